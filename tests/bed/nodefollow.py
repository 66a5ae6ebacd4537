"""The API server follows its node container: stopped, it does not answer; started, it answers again.

kind publishes the API on a host port chosen at creation (`--publish=127.0.0.1:PORT:6443`), so it comes
back on the same port; minikube publishes `127.0.0.1::8443`, so docker gives it a new port at each start.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
from typing import Callable

from tests.bed.kubelet.dockerevents import EventStream

log = logging.getLogger("bed.nodefollow")


class NodeFollower:
    def __init__(self, container: str, server, keep_port: bool, on_change: Callable[[], None]):
        self.container, self.server, self.keep_port, self.on_change = container, server, keep_port, on_change
        self.serving: bool | None = None  # None until the container's state is first known
        self._stopped = False
        self._events = EventStream("docker", [f"container={container}", "event=start", "event=die"],
                                   lambda event: self._settle(event.get("Action") == "start"),
                                   on_start=lambda: self._settle(self._inspect()))  # before the stream began

    def start(self) -> "NodeFollower":
        self._events.start()
        return self

    def stop(self) -> None:
        self._stopped = True
        self._events.stop()

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
