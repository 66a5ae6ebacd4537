"""The namespace controller's deleter: one pass over a Terminating namespace (kubernetes/kubernetes
pkg/controller/namespace/deletion/namespaced_resources_deleter.go, namespace_controller.go).

Each pass deletes whatever content is left (pods go gracefully, so they stay until their kubelet is
done), records what remains in the namespace's conditions, and comes back after half the estimated
time (`estimate/2 + 1`). Only an empty namespace loses its `kubernetes` finalizer and goes away.
"""
from __future__ import annotations

import copy
import math
import time
from collections import Counter

from .resources import Registry
from .timefmt import now_rfc3339, parse_rfc3339

FINALIZER = "kubernetes"
FINALIZER_ESTIMATE = 15  # seconds assumed for another controller's finalizer


def sweep(store, name: str) -> float | None:
    """Delete the namespace's content; seconds until the next pass, or None when done."""
    with store.lock:
        ns = _namespace(store, name)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return None
        if FINALIZER in (ns.get("spec") or {}).get("finalizers") or []:
            for obj in _content(store, name):
                meta = obj["metadata"]
                store.delete(obj["apiVersion"], obj["kind"], name, meta["name"])
            left = _content(store, name)
            _record(store, ns, left)
            if left:
                return _estimate(left) / 2 + 1
            ns = _finalize(store, _namespace(store, name))
        if not (ns.get("spec") or {}).get("finalizers"):
            store.delete("v1", "Namespace", None, name)
        return None


def _namespace(store, name: str) -> dict | None:
    return next((o for o in store.all_objects()
                 if (o["apiVersion"], o["kind"]) == ("v1", "Namespace")
                 and o["metadata"]["name"] == name), None)


def _content(store, name: str) -> list[dict]:
    return [copy.deepcopy(o) for o in store.all_objects() if o["metadata"].get("namespace") == name]


def _estimate(left: list[dict]) -> int:
    """Seconds until the slowest remaining object should be gone (estimateGracefulTermination)."""
    now, estimate = time.time(), 0
    for obj in left:
        meta = obj["metadata"]
        if meta.get("deletionGracePeriodSeconds"):
            estimate = max(estimate, math.ceil(parse_rfc3339(meta["deletionTimestamp"]) - now))
        elif meta.get("finalizers"):
            estimate = max(estimate, FINALIZER_ESTIMATE)
    return max(estimate, 1)


def _record(store, ns: dict, left: list[dict]) -> None:
    """The conditions `kubectl describe namespace` shows while content remains."""
    registry = Registry.from_store(store)
    counts = Counter(_resource_name(registry, o) for o in left)
    finalizers = Counter(f for o in left for f in o["metadata"].get("finalizers") or [])
    conditions = [
        _condition("NamespaceDeletionContentFailure", False, "ContentDeleted",
                   "All content successfully deleted, may be waiting on finalization"),
        _condition("NamespaceContentRemaining", bool(left), "SomeResourcesRemain" if left else
                   "ContentRemoved", "Some resources are remaining: " + ", ".join(
                       f"{r} has {n} resource instances" for r, n in sorted(counts.items()))
                   if left else "All content successfully removed"),
        _condition("NamespaceFinalizersRemaining", bool(finalizers), "SomeFinalizersRemain"
                   if finalizers else "ContentHasNoFinalizers",
                   "Some content in the namespace has finalizers remaining: " + ", ".join(
                       f"{f} in {n} resource instances" for f, n in sorted(finalizers.items()))
                   if finalizers else "All content-preserving finalizers finished"),
    ]
    old = (ns.get("status") or {}).get("conditions") or []
    if [(c["type"], c["status"], c["message"]) for c in old] == \
            [(c["type"], c["status"], c["message"]) for c in conditions]:
        return
    new = copy.deepcopy(ns)
    new["status"]["conditions"] = conditions
    store.update_status(new)


def _resource_name(registry: Registry, obj: dict) -> str:
    """`pods.` or `deployments.apps`: the real message's resource.group form."""
    resource = registry.for_kind(obj["apiVersion"], obj["kind"])
    plural = resource.plural if resource else obj["kind"].lower() + "s"
    return f"{plural}.{obj['apiVersion'].rpartition('/')[0]}"


def _condition(type_: str, on: bool, reason: str, message: str) -> dict:
    return {"type": type_, "status": "True" if on else "False", "lastTransitionTime": now_rfc3339(),
            "reason": reason, "message": message}


def _finalize(store, ns: dict) -> dict:
    """PUT .../namespaces/NAME/finalize without our token."""
    new = copy.deepcopy(ns)
    new["spec"]["finalizers"] = [f for f in new["spec"]["finalizers"] if f != FINALIZER]
    return store.update(new)

