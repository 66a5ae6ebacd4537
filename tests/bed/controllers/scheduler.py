"""default-scheduler: bind pending pods to a node that fits, or say why none does."""
from __future__ import annotations

from collections import Counter

from tests.bed.apiserver.timefmt import now_rfc3339

from . import quantity
from .loop import Controller
from .nodeaffinity import node_matches
from .objects import find_condition, key, pod_active

COMPONENT = "default-scheduler"
_NOT_HELPFUL = "Preemption is not helpful for scheduling."
_NO_VICTIMS = "No preemption victims found for incoming pod."


class Scheduler(Controller):
    watched = frozenset({"Pod", "Node"})
    resync_seconds = 1.0

    def keys_for(self, obj):
        if obj["kind"] == "Pod" and _pending(obj):
            return [key(obj)]
        if obj["kind"] == "Node" or not pod_active(obj):
            return self.all_keys()  # room may have appeared (deleted pods: the resync)
        return []

    def all_keys(self):
        return [key(p) for p in self.store.list("v1", "Pod") if _pending(p)]

    def reconcile(self, k):
        pod = self.store.get("v1", "Pod", *k)
        if not _pending(pod):
            return None
        nodes = self.store.list("v1", "Node")
        used = _usage(self.store.list("v1", "Pod"))
        misfits = {n["metadata"]["name"]: _misfit(pod, n, used.get(n["metadata"]["name"], {}))
                   for n in nodes}
        fitting = [n for n in nodes if not misfits[n["metadata"]["name"]]]
        if fitting:
            self._bind(pod, max(fitting, key=lambda n: _free_share(n, used)))
        else:
            self._unschedulable(pod, _fit_error(len(nodes), list(misfits.values())))
        return None

    def _bind(self, pod: dict, node: dict) -> None:
        node_name = node["metadata"]["name"]
        with self.store.lock:
            pod = self.store.get("v1", "Pod", pod["metadata"]["namespace"], pod["metadata"]["name"])
            if pod["spec"].get("nodeName"):
                return
            pod["spec"]["nodeName"] = node_name
            pod = self.store.update(pod)
            self._set_scheduled(pod, {"type": "PodScheduled", "status": "True"})
        ns, name = key(pod)
        self.store.record_event(pod, "Scheduled",
                                f"Successfully assigned {ns}/{name} to {node_name}",
                                component=COMPONENT)

    def _unschedulable(self, pod: dict, message: str) -> None:
        current = find_condition((pod.get("status") or {}).get("conditions"), "PodScheduled")
        if current and current.get("message") == message:
            return
        self._set_scheduled(pod, {"type": "PodScheduled", "status": "False",
                                  "reason": "Unschedulable", "message": message})
        self.store.record_event(pod, "FailedScheduling", message, "Warning", COMPONENT)

    def _set_scheduled(self, pod: dict, condition: dict) -> None:
        status = dict(pod.get("status") or {})
        condition = {"type": condition["type"], "status": condition["status"],
                     "lastProbeTime": None, "lastTransitionTime": now_rfc3339(),
                     **{k: v for k, v in condition.items() if k not in ("type", "status")}}
        status["conditions"] = [c for c in status.get("conditions") or []
                                if c.get("type") != "PodScheduled"] + [condition]
        self.store.update_status({**pod, "status": status})


def _pending(pod: dict) -> bool:
    spec = pod.get("spec") or {}
    return not spec.get("nodeName") and pod_active(pod) \
        and spec.get("schedulerName", COMPONENT) == COMPONENT


def _usage(pods: list[dict]) -> dict[str, dict[str, float]]:
    """Requested resources (and a pod count) per node, over pods that still hold them."""
    used: dict[str, dict[str, float]] = {}
    for pod in pods:
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or not pod_active(pod):
            continue
        bucket = used.setdefault(node, {"pods": 0.0})
        bucket["pods"] += 1
        for name, amount in quantity.pod_requests(pod["spec"]).items():
            bucket[name] = bucket.get(name, 0.0) + amount
    return used


def _misfit(pod: dict, node: dict, used: dict[str, float]) -> list[str]:
    """Why the node cannot take the pod, from the first filter that rejects it (as the real one)."""
    if (node.get("spec") or {}).get("unschedulable"):
        return ["node(s) were unschedulable"]
    if not node_matches(pod["spec"], node):
        return ["node(s) didn't match Node's node affinity/selector"]
    allocatable = {k: quantity.parse(v)
                   for k, v in ((node.get("status") or {}).get("allocatable") or {}).items()}
    if used.get("pods", 0) + 1 > allocatable.get("pods", 110):
        return ["Too many pods"]
    return [f"Insufficient {name}"
            for name, amount in sorted(quantity.pod_requests(pod["spec"]).items())
            if amount > 0 and used.get(name, 0.0) + amount > allocatable.get(name, 0.0)]


def _free_share(node: dict, used: dict[str, dict[str, float]]) -> tuple[float, str]:
    allocatable = (node.get("status") or {}).get("allocatable") or {}
    cpu = quantity.parse(allocatable.get("cpu", "1")) or 1.0
    name = node["metadata"]["name"]
    return 1 - used.get(name, {}).get("cpu", 0.0) / cpu, name


def _fit_error(total: int, misfits: list[list[str]]) -> str:
    """The scheduler's FitError text, preemption verdict included."""
    if not total:
        return "no nodes available to schedule pods"
    reasons = Counter(r for m in misfits for r in m)
    verdicts = Counter(_NO_VICTIMS if any(r.startswith("Insufficient") or r == "Too many pods"
                                          for r in m) else _NOT_HELPFUL for m in misfits)
    return (f"0/{total} nodes are available: {_histogram(reasons)}. preemption: 0/{total} nodes "
            f"are available: {_histogram(verdicts)[:-1]}.")


def _histogram(counts: Counter) -> str:
    return ", ".join(sorted(f"{n} {reason}" for reason, n in counts.items()))
