"""Which pods belong to a workload, and which pod states will not fix themselves by waiting."""

from __future__ import annotations

from dataclasses import dataclass

# Waiting reasons that no amount of waiting repairs.
FATAL_NOW = {"InvalidImageName", "ErrImageNeverPull"}
CONFIG_GRACE_S = 10.0  # CreateContainerConfigError: a Secret applied a moment later may still arrive
HASH_LABEL = "pod-template-hash"


@dataclass(frozen=True)
class Blocker:
    pod: str
    container: str
    reason: str
    message: str
    restarts: int = 0
    previous_exit: dict | None = None


def selector_matches(selector: dict | None, labels: dict) -> bool:
    if not selector:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        present = key in labels
        if (op == "In" and labels.get(key) not in values) or (op == "NotIn" and present and labels[key] in values) \
                or (op == "Exists" and not present) or (op == "DoesNotExist" and present):
            return False
    return True


def pods_of(workload: dict, pods: list[dict]) -> list[dict]:
    if workload["kind"] == "Pod":
        return [workload]
    selector = (workload.get("spec") or {}).get("selector")
    if workload["kind"] == "Job" and not selector:
        uid = (workload.get("metadata") or {}).get("uid")
        return [p for p in pods if (p.get("metadata") or {}).get("labels", {}).get("controller-uid") == uid]
    return [p for p in pods if selector_matches(selector, (p.get("metadata") or {}).get("labels") or {})]


def current_pods(workload: dict, pods: list[dict], replicasets: list[dict]) -> list[dict]:
    """The pods a rollout is judged by. A Deployment keeps its old ReplicaSets' pods until new ones
    are available (maxSurge/maxUnavailable), and they may crash from the very bug being fixed: pods
    of an old ReplicaSet, one whose template is not the Deployment's (the controller's own test,
    EqualIgnoreHash), do not count. Every StatefulSet and DaemonSet pod counts: an old StatefulSet
    pod that is not ready holds its rollout up, and a DaemonSet deletes unavailable old pods at once."""
    mine = pods_of(workload, pods)
    if workload["kind"] != "Deployment":
        return mine
    uid = (workload.get("metadata") or {}).get("uid")
    template = _without_hash((workload.get("spec") or {}).get("template") or {})
    old = {_labels((rs.get("spec") or {}).get("template") or {}).get(HASH_LABEL) for rs in replicasets
           if uid and _controller_uid(rs) == uid
           and _without_hash((rs.get("spec") or {}).get("template") or {}) != template}
    return [p for p in mine if _labels(p).get(HASH_LABEL) not in old]


def _labels(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}


def _controller_uid(obj: dict) -> str | None:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return next((r.get("uid") for r in refs if r.get("controller")), None)


def _without_hash(template: dict) -> dict:
    meta = dict(template.get("metadata") or {})
    meta["labels"] = {k: v for k, v in (meta.get("labels") or {}).items() if k != HASH_LABEL}
    return {**template, "metadata": meta}


def restarts(pod: dict) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return sum(s.get("restartCount", 0) for s in statuses)


def blockers(pod: dict) -> list[Blocker]:
    status = pod.get("status") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    found = []
    for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        waiting = (cs.get("state") or {}).get("waiting")
        last = (cs.get("lastState") or {}).get("terminated")
        if waiting and waiting.get("reason") not in (None, "ContainerCreating", "PodInitializing"):
            found.append(Blocker(name, cs.get("name", ""), waiting["reason"], waiting.get("message", ""),
                                 cs.get("restartCount", 0), last))
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            found.append(Blocker(name, "", cond.get("reason") or "Unschedulable", cond.get("message", "")))
    return found


def is_fatal(blocker: Blocker, seen_for_s: float, restart_tolerance: int) -> bool:
    if blocker.reason in FATAL_NOW:
        return True
    if blocker.reason == "CreateContainerConfigError":
        return seen_for_s >= CONFIG_GRACE_S
    if blocker.reason == "ImagePullBackOff":
        return True  # back-off means the pull already failed more than once
    if blocker.reason == "CrashLoopBackOff":
        return blocker.restarts > restart_tolerance
    return False
