"""DaemonSet: one pod per eligible node, replaced node by node when the template changes."""
from __future__ import annotations

from . import revisions
from .loop import Controller
from .nodeaffinity import node_matches, pin_to_node, pinned_node
from .objects import (APPS, available_in, delete, key, owned, owner_key, pod_active,
                      pod_from_template, pod_ready, scaled_int)

COMPONENT = "daemonset-controller"
REVISION_LABEL = "controller-revision-hash"
_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]


class DaemonSetController(Controller):
    watched = frozenset({"DaemonSet", "Pod", "Node"})

    def keys_for(self, obj):
        if obj["kind"] == "DaemonSet":
            return [key(obj)]
        if obj["kind"] == "Node":
            return self.all_keys()
        owner = owner_key(obj, "DaemonSet")
        return [owner] if owner else []

    def all_keys(self):
        return [key(ds) for ds in self.store.list(APPS, "DaemonSet")]

    def reconcile(self, k):
        ds = self.store.get(APPS, "DaemonSet", *k)
        if ds["metadata"].get("deletionTimestamp"):
            return None
        if (lag := self.observing(ds)) is not None:
            return lag
        current = revisions.hash_of(revisions.ensure(self.store, ds))
        nodes = [n["metadata"]["name"] for n in self.store.list("v1", "Node")
                 if node_matches(ds["spec"]["template"].get("spec") or {}, n)]
        for pod in owned(self.store, "v1", "Pod", ds):
            if not pod_active(pod):
                self._delete(ds, pod)  # a finished daemon pod is replaced
        by_node = self._pods_by_node(ds)
        for node, pods in by_node.items():
            for pod in pods[1 if node in nodes else 0:]:
                self._delete(ds, pod)
        for node in nodes:
            if not by_node.get(node):
                self._create(ds, node, current)
        self._roll(ds, [by_node[n][0] for n in nodes if by_node.get(n)], len(nodes), current)
        return self._update_status(ds, nodes, current)

    def _pods_by_node(self, ds: dict) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for pod in owned(self.store, "v1", "Pod", ds):
            node = pod["spec"].get("nodeName") or pinned_node(pod["spec"]) or ""
            out.setdefault(node, []).append(pod)
        return out

    def _roll(self, ds: dict, placed: list[dict], desired: int, current: str) -> None:
        """Replace outdated pods; available ones only while few enough are unavailable."""
        strategy = ds["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        limit = max(1, scaled_int((strategy.get("rollingUpdate") or {}).get("maxUnavailable", 1),
                                  desired, round_up=True))
        unavailable = desired - sum(1 for p in placed if self._available(ds, p))
        for pod in (p for p in placed if _revision(p) != current
                    and not p["metadata"].get("deletionTimestamp")):  # never deleted twice
            if not self._available(ds, pod):
                self._delete(ds, pod)
            elif unavailable < limit:
                unavailable += 1
                self._delete(ds, pod)

    def _available(self, ds: dict, pod: dict) -> bool:
        return available_in(pod, ds["spec"].get("minReadySeconds", 0)) == 0

    def _create(self, ds: dict, node: str, current: str) -> None:
        pod = pod_from_template(ds["spec"]["template"], ds, labels={
            REVISION_LABEL: current,
            "pod-template-generation": str(ds["metadata"].get("generation", 1))})
        pin_to_node(pod["spec"], node)
        pod["spec"]["tolerations"] = (pod["spec"].get("tolerations") or []) + _TOLERATIONS
        made = self.store.create(pod)
        self.store.record_event(ds, "SuccessfulCreate", f"Created pod: {made['metadata']['name']}",
                                component=COMPONENT)

    def _delete(self, ds: dict, pod: dict) -> None:
        delete(self.store, pod)
        self.store.record_event(ds, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}",
                                component=COMPONENT)

    def _update_status(self, ds: dict, nodes: list[str], current: str) -> float | None:
        by_node = self._pods_by_node(ds)
        placed = [by_node[n][0] for n in nodes if by_node.get(n)]
        waits = [available_in(p, ds["spec"].get("minReadySeconds", 0)) for p in placed]
        available = sum(1 for w in waits if w == 0)
        status = {
            "currentNumberScheduled": len(placed),
            "numberMisscheduled": sum(len(p) for n, p in by_node.items() if n not in nodes),
            "desiredNumberScheduled": len(nodes),
            "numberReady": sum(1 for p in placed if pod_ready(p)),
            "observedGeneration": ds["metadata"].get("generation", 1),
            "updatedNumberScheduled": sum(1 for p in placed if _revision(p) == current),
            "numberAvailable": available,
            "numberUnavailable": len(nodes) - available,
        }
        required = ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                    "numberReady")
        status = {k: v for k, v in status.items() if v or k in required}
        if status != ds.get("status"):
            self.store.update_status({**ds, "status": status})
        pending = [w for w in waits if w]
        return min(pending) if pending else None


def _revision(pod: dict) -> str | None:
    return (pod["metadata"].get("labels") or {}).get(REVISION_LABEL)
