"""One container of a pod as the kubelet tracks it: its docker instances and its status."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .backoff import Backoff
from .images import Image
from .probes import Probe


@dataclass
class Instance:
    """One docker container run for a pod container (one restart attempt)."""
    id: str
    attempt: int
    image: Image
    started_at: str
    started: float = field(default_factory=time.monotonic)
    exit: dict | None = None    # the `terminated` state once it ended
    finished: float = 0.0       # monotonic time of the exit


class Slot:
    def __init__(self, spec: dict, init: bool, backoff_base: float, backoff_cap: float):
        self.spec, self.init = spec, init
        self.name = spec["name"]
        self.instances: list[Instance] = []  # the current one and the one before it
        self.starts = 0
        self.waiting: tuple[str, str | None] | None = ("ContainerCreating", None)
        self.retry_at = 0.0
        self.crash = Backoff(backoff_base, backoff_cap)
        self.pull = Backoff(backoff_base, backoff_cap)
        self.probes: dict[str, Probe] = {}
        self.ready = False

    @property
    def current(self) -> Instance | None:
        return self.instances[-1] if self.instances else None

    @property
    def previous(self) -> Instance | None:
        return self.instances[-2] if len(self.instances) > 1 else None

    @property
    def running(self) -> bool:
        return self.current is not None and self.current.exit is None

    @property
    def completed(self) -> bool:
        cur = self.current
        return cur is not None and cur.exit is not None and cur.exit["exitCode"] == 0 \
            and self.waiting is None

    @property
    def started(self) -> bool:
        startup = self.probes.get("Startup")
        return self.running and (startup is None or startup.result is True)

    def status(self, scheme: str) -> dict:
        cur, prev = self.current, self.previous
        out = {"name": self.name, "image": cur.image.ref if cur else self.spec["image"],
               "imageID": cur.image.image_id if cur else "",
               "ready": self.ready or (self.init and self.completed),
               "restartCount": max(0, self.starts - 1), "started": self.started}
        if cur:
            out["containerID"] = f"{scheme}://{cur.id}"
        if self.running:
            state, last = {"running": {"startedAt": cur.started_at}}, prev.exit if prev else None
        elif self.waiting:
            state, last = {"waiting": _waiting(*self.waiting)}, cur.exit if cur else None
        else:
            state, last = {"terminated": cur.exit}, prev.exit if prev else None
        out["state"] = state
        out["lastState"] = {"terminated": last} if last else {}
        return out


def exit_state(info: dict, scheme: str) -> tuple[dict, float]:
    """The `terminated` state from `docker inspect`, and how long ago it ended."""
    state = info["State"]
    code = state.get("ExitCode", 0)
    reason = "OOMKilled" if state.get("OOMKilled") else ("Completed" if code == 0 else "Error")
    finished = _parse_docker_time(state.get("FinishedAt"))
    terminated = {"exitCode": code, "reason": reason,
                  "startedAt": _rfc3339(_parse_docker_time(state.get("StartedAt"))),
                  "finishedAt": _rfc3339(finished), "containerID": f"{scheme}://{info['Id']}"}
    return terminated, max(0.0, time.time() - finished)


def now_rfc3339() -> str:
    return _rfc3339(time.time())


def _waiting(reason: str, message: str | None) -> dict:
    return {"reason": reason, "message": message} if message else {"reason": reason}


def _rfc3339(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _parse_docker_time(value: str | None) -> float:
    """Docker's RFC 3339 with nanoseconds (fromisoformat takes at most microseconds)."""
    if not value or value.startswith("0001-"):
        return time.time()
    head, _, frac = value.rstrip("Z").partition(".")
    stamp = datetime.fromisoformat(head).replace(tzinfo=timezone.utc).timestamp()
    return stamp + (float("0." + frac) if frac else 0.0)
