"""Pod phase and conditions from the containers' states, as the kubelet computes them."""
from __future__ import annotations

from .slot import Slot, now_rfc3339

_ORDER = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady")


def phase(pod_spec: dict, inits: list[Slot], apps: list[Slot]) -> str:
    """getPhase: waiting containers keep a pod Pending; all stopped ends it per restartPolicy."""
    policy = pod_spec.get("restartPolicy", "Always")
    for slot in inits:
        if not slot.completed:
            failed = slot.current and slot.current.exit and not slot.running and not slot.waiting
            return "Failed" if failed and policy == "Never" else "Pending"
    running = stopped = succeeded = waiting = 0
    for slot in apps:
        if slot.running:
            running += 1
        elif slot.current and slot.current.exit:
            stopped += 1
            succeeded += not slot.waiting and slot.current.exit["exitCode"] == 0
        else:
            waiting += 1
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if policy == "Always":
        return "Running"
    if stopped == succeeded:
        return "Succeeded"
    return "Failed" if policy == "Never" else "Running"


def conditions(pod_phase: str, inits: list[Slot], apps: list[Slot],
               before: list[dict]) -> list[dict]:
    terminal = pod_phase in ("Succeeded", "Failed")
    pending_init = [s.name for s in inits if not s.completed]
    unready = [s.name for s in apps if not s.ready]
    wanted = {"PodReadyToStartContainers": ("False" if terminal else "True", None, None)}
    if pending_init:
        wanted["Initialized"] = ("False", "ContainersNotInitialized",
                                 f"containers with incomplete status: [{' '.join(pending_init)}]")
    else:
        wanted["Initialized"] = ("True", "PodCompleted" if pod_phase == "Succeeded" else None, None)
    if pod_phase == "Succeeded":
        ready = ("False", "PodCompleted", None)
    elif unready:
        ready = ("False", "ContainersNotReady",
                 f"containers with unready status: [{' '.join(unready)}]")
    else:
        ready = ("True", None, None)
    wanted["Ready"] = wanted["ContainersReady"] = ready
    previous = {c["type"]: c for c in before}
    return [_condition(t, *wanted[t], previous.get(t)) for t in _ORDER]


def _condition(type_: str, status: str, reason: str | None, message: str | None,
               before: dict | None) -> dict:
    since = before["lastTransitionTime"] if before and before["status"] == status \
        else now_rfc3339()
    out = {"type": type_, "status": status, "lastProbeTime": None, "lastTransitionTime": since}
    if reason:
        out["reason"] = reason
    if message:
        out["message"] = message
    return out
