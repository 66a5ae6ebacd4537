"""ReplicaSet: keep spec.replicas pods alive and report how many are ready and available."""
from __future__ import annotations

from .loop import Controller
from .objects import (APPS, count_available, delete, key, owned, owner_key, pod_active,
                      pod_from_template, pod_ready)

COMPONENT = "replicaset-controller"


class ReplicaSetController(Controller):
    watched = frozenset({"ReplicaSet", "Pod"})

    def keys_for(self, obj):
        if obj["kind"] == "ReplicaSet":
            return [key(obj)]
        owner = owner_key(obj, "ReplicaSet")
        return [owner] if owner else []

    def all_keys(self):
        return [key(rs) for rs in self.store.list(APPS, "ReplicaSet")]

    def reconcile(self, k):
        rs = self.store.get(APPS, "ReplicaSet", *k)
        if rs["metadata"].get("deletionTimestamp"):
            return None
        active = [p for p in owned(self.store, "v1", "Pod", rs) if pod_active(p)]
        want = rs["spec"].get("replicas", 1)
        if len(active) < want:
            for _ in range(want - len(active)):
                self._create_pod(rs)
        elif len(active) > want:
            for pod in _deletion_order(active)[:len(active) - want]:
                delete(self.store, pod)
                self.store.record_event(rs, "SuccessfulDelete",
                                        f"Deleted pod: {pod['metadata']['name']}",
                                        component=COMPONENT)
        return self._update_status(rs)

    def _create_pod(self, rs: dict) -> None:
        pod = self.store.create(pod_from_template(rs["spec"]["template"], rs))
        self.store.record_event(rs, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}",
                                component=COMPONENT)

    def _update_status(self, rs: dict) -> float | None:
        pods = [p for p in owned(self.store, "v1", "Pod", rs) if pod_active(p)]
        template_labels = (rs["spec"]["template"].get("metadata") or {}).get("labels") or {}
        available, wait = count_available(pods, rs["spec"].get("minReadySeconds", 0))
        status = {
            "replicas": len(pods),
            "fullyLabeledReplicas": sum(1 for p in pods if _has_labels(p, template_labels)),
            "readyReplicas": sum(1 for p in pods if pod_ready(p)),
            "availableReplicas": available,
            "observedGeneration": rs["metadata"].get("generation", 1),
        }
        status = {k: v for k, v in status.items() if k == "replicas" or v}
        if status != rs.get("status"):
            self.store.update_status({**rs, "status": status})
        return wait


def _has_labels(pod: dict, labels: dict) -> bool:
    have = pod["metadata"].get("labels") or {}
    return all(have.get(k) == v for k, v in labels.items())


def _deletion_order(pods: list[dict]) -> list[dict]:
    """Unscheduled, then not running, then not ready pods go first; newer before older."""
    newest_first = sorted(pods, key=lambda p: p["metadata"].get("creationTimestamp", ""),
                          reverse=True)
    return sorted(newest_first, key=lambda p: (bool(p["spec"].get("nodeName")),
                                               (p.get("status") or {}).get("phase") == "Running",
                                               pod_ready(p)))
