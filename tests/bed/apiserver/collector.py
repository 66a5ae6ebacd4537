"""Background garbage collection: ownerReference cascades and namespace termination.

Both happen a moment after the triggering delete, as on a real cluster, so a client that deletes a
Namespace and then its contents (kubectl delete -f) sees the contents still there; a namespace then
stays Terminating until its pods have finished their grace period (namespace_deleter).
"""
from __future__ import annotations

import copy
import heapq
import itertools
import threading
import time

from . import namespace_deleter

_CRD = ("apiextensions.k8s.io/v1", "CustomResourceDefinition")


class Collector:
    def __init__(self, store, gc_delay: float, namespace_delay: float):
        self._store = store
        self._gc_delay, self._ns_delay = gc_delay, namespace_delay
        self._jobs: list[tuple[float, int, str, object]] = []
        self._seq = itertools.count()
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="bed-gc", daemon=True)
        self._thread.start()

    def removed(self, obj: dict, propagation: str) -> None:
        uid = obj["metadata"]["uid"]
        if propagation == "Orphan":
            self.orphan(uid)
        else:
            self._schedule(self._gc_delay, "dependents", uid)
        if (obj["apiVersion"], obj["kind"]) == _CRD:
            spec = obj.get("spec") or {}
            kind = (spec.get("names") or {}).get("kind", "")
            self._schedule(self._gc_delay, "custom", (spec.get("group", ""), kind))

    def namespace(self, name: str) -> None:
        self._schedule(self._ns_delay, "namespace", name)

    def orphan(self, uid: str) -> None:
        """propagationPolicy=Orphan: dependents lose the ownerReference and stay."""
        store = self._store
        with store.lock:
            for obj in list(store.all_objects()):
                refs = obj["metadata"].get("ownerReferences") or []
                kept = [r for r in refs if r.get("uid") != uid]
                if len(kept) != len(refs):
                    new = _copy_with_refs(obj, kept)
                    store.update(new)

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=2)

    def _schedule(self, delay: float, what: str, arg) -> None:
        with self._wake:
            heapq.heappush(self._jobs, (time.monotonic() + delay, next(self._seq), what, arg))
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (not self._jobs or self._jobs[0][0] > time.monotonic()):
                    timeout = self._jobs[0][0] - time.monotonic() if self._jobs else None
                    self._wake.wait(timeout)
                if self._stopped:
                    return
                _, _, what, arg = heapq.heappop(self._jobs)
            if what == "dependents":
                self._collect_dependents(arg)
            elif what == "custom":
                self._collect_custom_objects(*arg)
            else:
                self._finish_namespace(arg)

    def _collect_dependents(self, uid: str) -> None:
        store = self._store
        with store.lock:
            live_uids = {o["metadata"]["uid"] for o in store.all_objects()}
            for obj in list(store.all_objects()):
                refs = obj["metadata"].get("ownerReferences") or []
                if any(r.get("uid") == uid for r in refs) and \
                        not any(r.get("uid") in live_uids for r in refs):
                    meta = obj["metadata"]
                    store.delete(obj["apiVersion"], obj["kind"], meta.get("namespace"), meta["name"])

    def _collect_custom_objects(self, group: str, kind: str) -> None:
        """A deleted CRD takes its custom objects with it."""
        store = self._store
        with store.lock:
            for obj in list(store.all_objects()):
                if obj["kind"] == kind and obj["apiVersion"].split("/")[0] == group:
                    store.remove(obj)

    def _finish_namespace(self, name: str) -> None:
        again = namespace_deleter.sweep(self._store, name)
        if again is not None:
            self._schedule(again, "namespace", name)


def _copy_with_refs(obj: dict, refs: list) -> dict:
    new = copy.deepcopy(obj)
    new["metadata"]["ownerReferences"] = refs
    if not refs:
        del new["metadata"]["ownerReferences"]
    return new
