"""In-memory object store with global resourceVersions, an event log and subscriptions.

Every write goes through admission (defaulting + validation), as on a real API server, so objects
written by the controllers and kubelet look like the ones users submit.
"""
from __future__ import annotations

import copy
import queue
import random
import threading
import uuid
from collections import deque
from typing import Callable

from . import admission, events, graceful
from .collector import Collector
from .errors import (AlreadyExists, Conflict, Forbidden, Invalid, NamespaceTerminating,
                     NotFound, StoreError)
from .timefmt import now_rfc3339

_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # the real server's generateName alphabet
_LOG_SIZE = 20000


def key_of(obj: dict) -> tuple[str, str, str, str]:
    meta = obj.get("metadata") or {}
    return obj["apiVersion"], obj["kind"], meta.get("namespace") or "", meta.get("name") or ""


def _spec_part(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def _without_rv(obj: dict) -> dict:
    out = copy.deepcopy(obj)
    out["metadata"].pop("resourceVersion", None)
    return out


class Store:
    def __init__(self, admit: Callable[[dict, dict | None], None] = admission.admit,
                 gc_delay: float = 0.1, namespace_delay: float = 5.0):
        # namespace_delay: the namespace controller's namespaceDeletionGracePeriod (5 s) before it
        # starts emptying a deleted namespace.
        self.lock = threading.RLock()
        self._admit = admit
        self._kinds: dict[tuple[str, str], dict[tuple[str, str], dict]] = {}
        self._rv = 0
        self._log: deque[tuple[str, dict, int]] = deque(maxlen=_LOG_SIZE)
        self._subs: list[queue.Queue] = []
        self.collector = Collector(self, gc_delay, namespace_delay)

    # -- reads ---------------------------------------------------------------------------------
    def get(self, api_version: str, kind: str, namespace: str | None, name: str) -> dict:
        with self.lock:
            obj = self._kinds.get((api_version, kind), {}).get((namespace or "", name))
            if obj is None:
                raise NotFound(kind, name)
            return copy.deepcopy(obj)

    def list(self, api_version: str, kind: str, namespace: str | None = None,
             labels: dict[str, str] | None = None) -> list[dict]:
        with self.lock:
            out = []
            for (ns, _), obj in sorted(self._kinds.get((api_version, kind), {}).items()):
                if namespace is not None and ns != namespace:
                    continue
                have = obj["metadata"].get("labels") or {}
                if labels and any(have.get(k) != v for k, v in labels.items()):
                    continue
                out.append(copy.deepcopy(obj))
            return out

    def kinds(self) -> list[tuple[str, str]]:
        with self.lock:
            return list(self._kinds)

    @property
    def resource_version(self) -> int:
        return self._rv

    @property
    def oldest_rv(self) -> int:
        """Watches from below this RV cannot be replayed (410 Gone)."""
        with self.lock:
            return self._log[0][2] - 1 if len(self._log) == self._log.maxlen else 0

    # -- writes --------------------------------------------------------------------------------
    def create(self, obj: dict) -> dict:
        with self.lock:
            obj = copy.deepcopy(obj)
            meta = obj.setdefault("metadata", {})
            if not meta.get("name") and meta.get("generateName"):
                meta["name"] = self._generate_name(obj)
            self._check_namespace_open(obj)
            meta.update(uid=str(uuid.uuid4()), creationTimestamp=now_rfc3339(), generation=1)
            for transient in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"):
                meta.pop(transient, None)
            self._admit(obj, None)
            bucket = self._kinds.setdefault(obj_kind(obj), {})
            _, kind, ns, name = key_of(obj)
            if (ns, name) in bucket:
                raise AlreadyExists(kind, name)
            bucket[(ns, name)] = obj
            self._emit("ADDED", obj)
            return copy.deepcopy(obj)

    def update(self, obj: dict) -> dict:
        with self.lock:
            old = self._live(obj)
            new = copy.deepcopy(obj)
            self._check_rv(new, old)
            new.pop("status", None)
            if "status" in old:
                new["status"] = copy.deepcopy(old["status"])
            meta = new.setdefault("metadata", {})
            for kept in ("uid", "creationTimestamp", "generation", "deletionTimestamp",
                         "deletionGracePeriodSeconds", "resourceVersion"):
                if kept in old["metadata"]:
                    meta[kept] = old["metadata"][kept]
                else:
                    meta.pop(kept, None)
            self._admit(new, old)
            if _spec_part(new) != _spec_part(old):
                meta["generation"] = old["metadata"].get("generation", 0) + 1
            return self._replace(old, new)

    def update_status(self, obj: dict) -> dict:
        with self.lock:
            old = self._live(obj)
            new = copy.deepcopy(old)
            if "status" in obj:
                new["status"] = copy.deepcopy(obj["status"])
            else:
                new.pop("status", None)
            return self._replace(old, new)

    def delete(self, api_version: str, kind: str, namespace: str | None, name: str,
               propagation: str = "Background", grace_period: int | None = None) -> dict:
        """DELETE: a running pod only gets its deletionTimestamp (its kubelet removes it), an
        object with finalizers waits for them, a Namespace goes through its deleter."""
        with self.lock:
            obj = self._kinds.get((api_version, kind), {}).get((namespace or "", name))
            if obj is None:
                raise NotFound(kind, name)
            if (api_version, kind) == ("v1", "Namespace"):
                return self._delete_namespace(obj)
            grace = graceful.grace_seconds(obj, grace_period)
            if grace or obj["metadata"].get("finalizers"):
                return self._mark_deleting(obj, grace)
            return self.remove(obj, propagation)

    def remove(self, obj: dict, propagation: str = "Background") -> dict:
        """Drop the object now (finalizers ignored) and let the collector handle dependents."""
        with self.lock:
            bucket = self._kinds.get(obj_kind(obj), {})
            _, _, ns, name = key_of(obj)
            gone = bucket.pop((ns, name), None)
            if gone is None:
                return copy.deepcopy(obj)
            self._emit("DELETED", gone)
            self.collector.removed(gone, propagation)
            return copy.deepcopy(gone)

    # -- watch support -------------------------------------------------------------------------
    def subscribe(self) -> "queue.Queue[tuple[str, dict]]":
        q: queue.Queue = queue.Queue()
        with self.lock:
            self._subs.append(q)
        return q

    def unsubscribe(self, q) -> None:
        with self.lock:
            if q in self._subs:
                self._subs.remove(q)

    def events_since(self, rv: int) -> list[tuple[str, dict, int]]:
        with self.lock:
            return [(t, copy.deepcopy(o), r) for t, o, r in self._log if r > rv]

    def record_event(self, involved: dict, reason: str, message: str, type_: str = "Normal",
                     component: str = "kubelet") -> None:
        events.record(self, involved, reason, message, type_, component)

    def close(self) -> None:
        self.collector.stop()

    # -- internals -----------------------------------------------------------------------------
    def all_objects(self) -> list[dict]:
        """Live objects themselves (not copies); only for the collector, under the lock."""
        return [o for bucket in self._kinds.values() for o in bucket.values()]

    def _live(self, obj: dict) -> dict:
        api_version, kind, ns, name = key_of(obj)
        old = self._kinds.get((api_version, kind), {}).get((ns, name))
        if old is None:
            raise NotFound(kind, name)
        return old

    def _check_rv(self, new: dict, old: dict) -> None:
        want = new["metadata"].get("resourceVersion")
        if want and want != old["metadata"]["resourceVersion"]:
            raise Conflict(old["kind"], old["metadata"]["name"],
                           "the object has been modified; please apply your changes to the "
                           "latest version and try again")

    def _replace(self, old: dict, new: dict) -> dict:
        if _without_rv(new) == _without_rv(old):
            return copy.deepcopy(old)  # a no-op write changes nothing, like the real server
        _, _, ns, name = key_of(new)
        self._kinds[obj_kind(new)][(ns, name)] = new
        meta = new["metadata"]
        if meta.get("deletionTimestamp") and not meta.get("finalizers") \
                and not meta.get("deletionGracePeriodSeconds") and obj_kind(new) != ("v1", "Namespace"):
            return self.remove(new)
        self._emit("MODIFIED", new)
        return copy.deepcopy(new)

    def _mark_deleting(self, obj: dict, grace: int = 0) -> dict:
        meta = obj["metadata"]
        if meta.get("deletionTimestamp") and not graceful.shortens(meta, grace):
            return copy.deepcopy(obj)
        new = copy.deepcopy(obj)
        new["metadata"]["deletionTimestamp"] = graceful.deletion_timestamp(grace)
        new["metadata"]["deletionGracePeriodSeconds"] = grace
        if obj_kind(obj) == ("v1", "Namespace"):
            new.setdefault("status", {})["phase"] = "Terminating"
        if grace == 0 and not meta.get("finalizers") and obj_kind(obj) != ("v1", "Namespace"):
            return self.remove(obj)  # a shortened grace period (kubectl delete --grace-period=0)
        return self._replace(obj, new)

    def _delete_namespace(self, ns: dict) -> dict:
        """First DELETE: Terminating, and the deleter empties it; once its spec.finalizers are
        gone (the deleter's own last DELETE), it is removed."""
        if not ns["metadata"].get("deletionTimestamp"):
            self.collector.namespace(ns["metadata"]["name"])
            return self._mark_deleting(ns)
        if (ns.get("spec") or {}).get("finalizers") or ns["metadata"].get("finalizers"):
            raise NamespaceTerminating("Namespace", ns["metadata"]["name"])
        return self.remove(ns)

    def _check_namespace_open(self, obj: dict) -> None:
        ns = obj["metadata"].get("namespace")
        ns_obj = self._kinds.get(("v1", "Namespace"), {}).get(("", ns or ""))
        if ns and ns_obj and ns_obj["metadata"].get("deletionTimestamp"):
            raise Forbidden(obj["kind"], obj["metadata"].get("name", ""),
                            f"unable to create new content in namespace {ns} because it is "
                            "being terminated")

    def _generate_name(self, obj: dict) -> str:
        bucket = self._kinds.get(obj_kind(obj), {})
        ns = obj["metadata"].get("namespace") or ""
        while True:
            name = obj["metadata"]["generateName"] + "".join(random.choices(_NAME_ALPHABET, k=5))
            if (ns, name) not in bucket:
                return name

    def _emit(self, type_: str, obj: dict) -> None:
        self._rv += 1
        obj["metadata"]["resourceVersion"] = str(self._rv)
        snapshot = copy.deepcopy(obj)
        self._log.append((type_, snapshot, self._rv))
        for q in self._subs:
            q.put((type_, copy.deepcopy(snapshot)))


def obj_kind(obj: dict) -> tuple[str, str]:
    return obj["apiVersion"], obj["kind"]


__all__ = ["AlreadyExists", "Conflict", "Forbidden", "Invalid", "NotFound", "Store", "StoreError",
           "key_of", "obj_kind"]
