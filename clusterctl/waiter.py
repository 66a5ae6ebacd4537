"""Wait for workloads by watching the API, not by polling: one list+watch per kind and namespace, so
clusterctl learns the instant the last workload is ready and sends nothing while nothing changes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from clusterctl import readiness
from clusterctl.kube import paths

WATCH_SECONDS = 240


@dataclass(frozen=True)
class Workload:
    kind: str
    namespace: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind.lower()}/{self.name}"


@dataclass
class Snapshot:
    """What the watches have seen so far: objects by (kind, namespace, name)."""

    objects: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    error: Exception | None = None

    def of(self, kind: str, namespace: str) -> list[dict]:
        return [o for (k, ns, _), o in self.objects.items() if k == kind and ns == namespace]


class Watches:
    """Background list+watch streams feeding one Snapshot; `changed` wakes the waiter."""

    def __init__(self, api, groups: set[tuple[str, str]]):
        self.api = api
        self.snapshot = Snapshot()
        self.changed = threading.Condition()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._follow, args=g, daemon=True) for g in sorted(groups)]
        self._listed: set[tuple[str, str]] = set()

    @property
    def synced(self) -> bool:
        """Every group listed once (client-go's WaitForCacheSync): before that, a snapshot may hold a
        Deployment's pods without the ReplicaSets that tell its old ones apart."""
        return len(self._listed) == len(self._threads)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _store(self, kind: str, event: str, obj: dict) -> None:
        meta = obj.get("metadata") or {}
        key = (kind, meta.get("namespace", ""), meta.get("name", ""))
        with self.changed:
            if event == "DELETED":
                self.snapshot.objects.pop(key, None)
            else:
                self.snapshot.objects[key] = obj
            self.changed.notify_all()

    def _follow(self, kind: str, namespace: str) -> None:
        path = paths.collection(kind, namespace)
        try:
            while not self._stop.is_set():
                listing = self.api.get(path) or {}
                for item in listing.get("items") or []:
                    item.setdefault("kind", kind)
                    self._store(kind, "ADDED", item)
                with self.changed:
                    self._listed.add((kind, namespace))
                    self.changed.notify_all()
                version = (listing.get("metadata") or {}).get("resourceVersion", "0")
                for event, obj in self.api.watch(path, version, WATCH_SECONDS):
                    if self._stop.is_set():
                        return
                    if event in ("ADDED", "MODIFIED", "DELETED"):
                        self._store(kind, event, obj)
                    elif event == "ERROR":
                        break  # expired resourceVersion: list again
        except Exception as exc:  # ApiUnreachable, or anything else: a silent dead thread never syncs
            with self.changed:
                self.snapshot.error = exc
                self.changed.notify_all()


def wait_until(watches: Watches, decide: Callable[[Snapshot], bool], timeout_s: float,
               clock: Callable[[], float] = time.monotonic) -> bool:
    """Block until decide(snapshot) is True (returns True) or the timeout passes (returns False)."""
    deadline = clock() + timeout_s
    with watches.changed:
        while True:
            if watches.snapshot.error:
                raise watches.snapshot.error
            if watches.synced and decide(watches.snapshot):
                return True
            remaining = deadline - clock()
            if remaining <= 0:
                return False
            # Time-based policies (grace periods) need a look now and then even without events.
            watches.changed.wait(timeout=min(remaining, 1.0))


def status_of(workload: Workload, snapshot: Snapshot) -> readiness.Readiness | None:
    obj = snapshot.objects.get((workload.kind, workload.namespace, workload.name))
    return readiness.evaluate(obj) if obj else None
