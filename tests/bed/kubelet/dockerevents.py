"""Container events followed from `docker events` instead of polling every container."""
from __future__ import annotations

import json
import logging
import subprocess
import threading
import time
from typing import Callable

log = logging.getLogger("bed.kubelet")

POD_UID_LABEL = "io.kubernetes.pod.uid"


class EventStream:
    """Calls on_event(event) for every container event matching `filters`, following `docker events`
    again (from the last event seen) whenever the stream ends; on_start() runs each time it begins."""

    def __init__(self, binary: str, filters: list[str], on_event: Callable[[dict], None],
                 on_start: Callable[[], None] = lambda: None):
        self._binary, self._filters, self._on_event, self._on_start = binary, filters, on_event, on_start
        self._since = time.time() - 1  # replayed on (re)start, so no event slips through
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
            argv = [self._binary, "events", "--since", f"{self._since:.3f}", "--filter", "type=container"]
            for f in self._filters:
                argv += ["--filter", f]
            self._proc = subprocess.Popen(argv + ["--format", "{{json .}}"], stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
            self._on_start()
            for line in self._proc.stdout:
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self._since = max(self._since, event.get("timeNano", 0) / 1e9)
                self._on_event(event)
            self._proc.wait()
            if not self._stopped:
                log.warning("docker events ended (exit %s); following again", self._proc.returncode)
                time.sleep(0.5)


class ExitWatcher(EventStream):
    """Calls on_exit(pod_uid, container_id) for every `die` of a container with `label`."""

    def __init__(self, docker, label: str, on_exit: Callable[[str, str], None]):
        super().__init__(docker.binary, ["event=die", f"label={label}"], self._handle)
        self._on_exit = on_exit

    def _handle(self, event: dict) -> None:
        attributes = (event.get("Actor") or {}).get("Attributes") or {}
        if attributes.get(POD_UID_LABEL):
            self._on_exit(attributes[POD_UID_LABEL], event.get("id", ""))
