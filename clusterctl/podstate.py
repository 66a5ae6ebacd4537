"""Which pods belong to a workload, and which pod states will not fix themselves by waiting."""

from __future__ import annotations

from dataclasses import dataclass

# Waiting reasons that no amount of waiting repairs.
FATAL_NOW = {"InvalidImageName", "ErrImageNeverPull"}
CONFIG_GRACE_S = 10.0  # CreateContainerConfigError: a Secret applied a moment later may still arrive


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
