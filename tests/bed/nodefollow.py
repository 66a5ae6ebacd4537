"""The API server follows its node container: stopped, it does not answer; started, it answers again.

kind publishes the API on a host port chosen at creation (`--publish=127.0.0.1:PORT:6443`), so it comes
back on the same port; minikube publishes `127.0.0.1::8443`, so docker gives it a new port at each start.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
import time
from typing import Callable

log = logging.getLogger("bed.nodefollow")


class NodeFollower:
    def __init__(self, container: str, server, keep_port: bool, on_change: Callable[[], None]):
        self.container, self.server, self.keep_port, self.on_change = container, server, keep_port, on_change
        self.serving: bool | None = None  # None until the container's state is first known
        self._proc: subprocess.Popen | None = None
        self._stopped = False
        self._since = time.time()
        self._thread = threading.Thread(target=self._run, name="bed-node-follow", daemon=True)

    def start(self) -> "NodeFollower":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped = True
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped:
            self._proc = subprocess.Popen(
                ["docker", "events", "--since", f"{self._since:.3f}", "--filter", "type=container",
                 "--filter", f"container={self.container}", "--filter", "event=start", "--filter", "event=die",
                 "--format", "{{json .}}"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
            self._settle(self._inspect())  # what happened before the stream began
            for line in self._proc.stdout:
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self._since = max(self._since, event.get("timeNano", 0) / 1e9)
                self._settle(event.get("Action") == "start")
            self._proc.wait()
            if not self._stopped:
                time.sleep(0.5)

    def _inspect(self) -> bool:
        done = subprocess.run(["docker", "inspect", "--type", "container", "-f", "{{.State.Running}}",
                               self.container], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        return done.stdout.strip() == "true"

    def _settle(self, running: bool) -> None:
        if running == self.serving or self._stopped:
            return
        if running and self.serving is False:
            self.server.resume(self.server.port if self.keep_port else 0)
        elif not running:
            self.server.suspend()
        self.serving = running
        log.info("node container %s %s", self.container, "started" if running else "stopped")
        self.on_change()


def write_apiserver_json(state_dir, server, serving: bool) -> None:
    """DIR/apiserver.json while the API answers; absent while its node is stopped."""
    path = state_dir / "apiserver.json"
    if not serving:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".apiserver.json.{os.getpid()}")
    tmp.write_text(json.dumps({"pid": os.getpid(), "port": server.port, "url": server.url}))
    os.replace(tmp, path)
