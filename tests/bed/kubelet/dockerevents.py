"""Container exits, followed from `docker events` instead of polling every container."""
from __future__ import annotations

import json
import logging
import subprocess
import threading
import time
from typing import Callable

log = logging.getLogger("bed.kubelet")

POD_UID_LABEL = "io.kubernetes.pod.uid"


class ExitWatcher:
    """Calls on_exit(pod_uid, container_id) for every `die` of a container with `label`."""

    def __init__(self, docker, label: str, on_exit: Callable[[str, str], None]):
        self._docker, self._label, self._on_exit = docker, label, on_exit
        self._since = time.time() - 1  # replayed on (re)start, so no exit slips through
        self._proc: subprocess.Popen | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="bed-docker-events", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped:
            self._proc = subprocess.Popen(
                [self._docker.binary, "events", "--since", f"{self._since:.3f}",
                 "--filter", "type=container", "--filter", "event=die",
                 "--filter", f"label={self._label}", "--format", "{{json .}}"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                text=True)
            for line in self._proc.stdout:
                self._handle(line)
            self._proc.wait()
            if not self._stopped:
                log.warning("docker events ended (exit %s); following again", self._proc.returncode)
                time.sleep(0.5)

    def _handle(self, line: str) -> None:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            return
        self._since = max(self._since, event.get("timeNano", 0) / 1e9)
        attributes = (event.get("Actor") or {}).get("Attributes") or {}
        if attributes.get(POD_UID_LABEL):
            self._on_exit(attributes[POD_UID_LABEL], event.get("id", ""))
