"""The reconcile loop every stand-in controller runs on.

Store events and a periodic resync mark keys dirty; one thread reconciles each dirty key. A
reconcile may ask to be called again after some seconds (a deadline, a pod becoming available).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Hashable, Iterable

from tests.bed.apiserver.errors import Conflict, NotFound

log = logging.getLogger("bed.controllers")

_STOP = ("STOP", {})


class Controller:
    watched: frozenset[str] = frozenset()  # kinds whose events concern this controller
    resync_seconds = 2.0

    def __init__(self, store, opts):
        self.store, self.opts = store, opts
        self._events = store.subscribe()
        self._due: dict[Hashable, float] = {}
        self._spec_seen: dict[str, tuple[int, float]] = {}  # uid -> (generation, first seen)
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)

    # -- what a controller implements ----------------------------------------------------------
    def keys_for(self, obj: dict) -> Iterable[Hashable]:
        raise NotImplementedError

    def all_keys(self) -> Iterable[Hashable]:
        raise NotImplementedError

    def reconcile(self, key: Hashable) -> float | None:
        """Make it so; return seconds until another look is needed, or None."""
        raise NotImplementedError

    def observing(self, obj: dict) -> float | None:
        """Seconds until a spec change (generation > observedGeneration) may be acted on: the real
        controller learns of it through an informer and a work queue, so its status trails it."""
        meta = obj["metadata"]
        generation = meta.get("generation", 1)
        if (obj.get("status") or {}).get("observedGeneration", 0) >= generation:
            self._spec_seen.pop(meta["uid"], None)
            return None
        seen_gen, since = self._spec_seen.get(meta["uid"], (None, 0.0))
        if seen_gen != generation:
            since = time.monotonic()
            self._spec_seen[meta["uid"]] = (generation, since)
        left = since + self.opts.observe_lag - time.monotonic()
        return left if left > 0 else None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        self._events.put(_STOP)

    def join(self) -> None:
        self._thread.join(timeout=5)
        self.store.unsubscribe(self._events)

    def _run(self) -> None:
        next_resync = 0.0
        while not self._stopped:
            now = time.monotonic()
            if now >= next_resync:
                self._mark(self._safe_keys(self.all_keys), now)
                next_resync = now + self.resync_seconds
            self._reconcile_due(now)
            wake = min([next_resync, *self._due.values()])
            self._take_events(max(0.0, wake - time.monotonic()))

    def _take_events(self, timeout: float) -> None:
        try:
            event = self._events.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            type_, obj = event
            if obj.get("kind") in self.watched:
                self._mark(self._safe_keys(lambda: self.keys_for(obj)), time.monotonic())
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return

    def _reconcile_due(self, now: float) -> None:
        for key in [k for k, t in self._due.items() if t <= now]:
            del self._due[key]
            if self._stopped:
                return
            try:
                again = self.reconcile(key)
            except NotFound:
                again = None  # the object went away mid-way; its events bring us back if needed
            except Conflict:
                again = 0.05
            except Exception:  # a stand-in must keep running; the traceback tells the story
                log.exception("%s failed to reconcile %s", type(self).__name__, key)
                again = 1.0
            if again is not None:
                self._mark([key], now + again)

    def _mark(self, keys: Iterable[Hashable], when: float) -> None:
        for key in keys:
            self._due[key] = min(self._due.get(key, when), when)

    def _safe_keys(self, producer) -> list:
        try:
            return list(producer())
        except Exception:
            log.exception("%s could not map keys", type(self).__name__)
            return []
