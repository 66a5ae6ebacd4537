"""Deployment status with its Available and Progressing conditions (kubectl rollout status)."""
from __future__ import annotations

import time

from tests.bed.apiserver.timefmt import now_rfc3339, parse_rfc3339

from .objects import find_condition, scaled_int, set_condition, without_zeros


def sync(store, d: dict, new_rs: dict | None, olds: list[dict], created: bool) -> float | None:
    """Write the status; return seconds until the progress deadline needs checking."""
    old = d.get("status") or {}
    status = _counts(d, new_rs, olds)
    conditions = list(old.get("conditions") or [])
    conditions = set_condition(conditions, _available_condition(d, status))
    rs_name = new_rs["metadata"]["name"] if new_rs else None
    if created and rs_name:
        conditions = set_condition(conditions, _progressing(
            "True", "NewReplicaSetCreated", f'Created new replica set "{rs_name}"'))
    conditions = _progress(d, status, old, conditions, rs_name)
    status["conditions"] = conditions
    if status != old:
        store.update_status({**d, "status": status})
    return _until_deadline(d, conditions)


def _counts(d: dict, new_rs: dict | None, olds: list[dict]) -> dict:
    everything = ([new_rs] if new_rs else []) + olds

    def total(field: str, rss: list[dict]) -> int:
        return sum((rs.get("status") or {}).get(field, 0) for rs in rss)

    available = total("availableReplicas", everything)
    return without_zeros({
        "observedGeneration": d["metadata"].get("generation", 1),
        "replicas": total("replicas", everything),
        "updatedReplicas": total("replicas", everything[:1] if new_rs else []),
        "readyReplicas": total("readyReplicas", everything),
        "availableReplicas": available,
        "unavailableReplicas": max(d["spec"].get("replicas", 1) - available, 0),
    })


def _available_condition(d: dict, status: dict) -> dict:
    want = d["spec"].get("replicas", 1)
    if status.get("availableReplicas", 0) >= want - max_unavailable(d):
        return _condition("Available", "True", "MinimumReplicasAvailable",
                          "Deployment has minimum availability.")
    return _condition("Available", "False", "MinimumReplicasUnavailable",
                      "Deployment does not have minimum availability.")


def _progress(d: dict, status: dict, old: dict, conditions: list[dict],
              rs_name: str | None) -> list[dict]:
    """syncRolloutStatus: complete, else progressing (refreshing lastUpdateTime), else timed out."""
    subject = f'ReplicaSet "{rs_name}"' if rs_name else f'Deployment "{d["metadata"]["name"]}"'
    current = find_condition(conditions, "Progressing")
    if _complete(d, status):
        return set_condition(conditions, _progressing(
            "True", "NewReplicaSetAvailable", f"{subject} has successfully progressed."))
    if _made_progress(status, old):
        new = _progressing("True", "ReplicaSetUpdated", f"{subject} is progressing.")
        if current and current["status"] == "True":
            new["lastTransitionTime"] = current["lastTransitionTime"]
        return [c for c in conditions if c["type"] != "Progressing"] + [new]
    if _timed_out(d, current):
        return set_condition(conditions, _progressing(
            "False", "ProgressDeadlineExceeded", f"{subject} has timed out progressing."))
    return conditions


def _complete(d: dict, status: dict) -> bool:
    want = d["spec"].get("replicas", 1)
    return (status.get("updatedReplicas", 0) == want and status.get("replicas", 0) == want
            and status.get("availableReplicas", 0) == want)


def _made_progress(new: dict, old: dict) -> bool:
    def grew(field: str) -> bool:
        return new.get(field, 0) > old.get(field, 0)

    old_replicas = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_replicas = new.get("replicas", 0) - new.get("updatedReplicas", 0)
    return grew("updatedReplicas") or grew("readyReplicas") or grew("availableReplicas") \
        or new_replicas < old_replicas


def _timed_out(d: dict, current: dict | None) -> bool:
    if not current or current.get("reason") == "NewReplicaSetAvailable":
        return False
    if current.get("reason") == "ProgressDeadlineExceeded":
        return True
    deadline = d["spec"].get("progressDeadlineSeconds")
    return deadline is not None and \
        parse_rfc3339(current["lastUpdateTime"]) + deadline < time.time()


def _until_deadline(d: dict, conditions: list[dict]) -> float | None:
    current = find_condition(conditions, "Progressing")
    deadline = d["spec"].get("progressDeadlineSeconds")
    if deadline is None or not current or current["status"] != "True" \
            or current.get("reason") == "NewReplicaSetAvailable":
        return None
    return max(0.1, parse_rfc3339(current["lastUpdateTime"]) + deadline + 1 - time.time())


def _progressing(status: str, reason: str, message: str) -> dict:
    return _condition("Progressing", status, reason, message)


def _condition(type_: str, status: str, reason: str, message: str) -> dict:
    now = now_rfc3339()
    return {"type": type_, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def surge_and_unavailable(d: dict, want: int) -> tuple[int, int]:
    rolling = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    surge = scaled_int(rolling.get("maxSurge", "25%"), want, round_up=True)
    unavailable = scaled_int(rolling.get("maxUnavailable", "25%"), want, round_up=False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_unavailable(d: dict) -> int:
    want = d["spec"].get("replicas", 1)
    if (d["spec"].get("strategy") or {}).get("type") == "Recreate" or want == 0:
        return 0
    return min(surge_and_unavailable(d, want)[1], want)
