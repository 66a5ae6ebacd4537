"""Is a workload ready? The rules of kubectl's rollout status (kubernetes/kubectl
pkg/polymorphichelpers/rollout_status.go) and wait, as pure functions. Where kubectl refuses
(OnDelete), the workload is ready once its existing pods are, and a note says they were not rolled."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Readiness:
    ready: bool
    message: str
    failed: bool = False  # cannot become ready by waiting (a Job that failed, a deadline exceeded)
    ready_count: int = 0
    desired: int = 0
    note: str = ""  # worth telling the user even when ready


def _observed(obj: dict) -> bool:
    return (obj.get("status") or {}).get("observedGeneration", 0) >= (obj.get("metadata") or {}).get("generation", 0)


def _condition(obj: dict, kind: str) -> dict | None:
    return next((c for c in (obj.get("status") or {}).get("conditions") or [] if c.get("type") == kind), None)


def deployment(obj: dict) -> Readiness:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    want = spec.get("replicas", 1)
    updated, total, available = (status.get(k, 0) for k in ("updatedReplicas", "replicas", "availableReplicas"))
    ready = status.get("readyReplicas", 0)
    # Generation first: until the controller has seen this spec, its conditions (a deadline exceeded
    # by the last rollout) and counts describe the previous one.
    if not _observed(obj):
        return Readiness(False, "waiting for the spec update to be observed", ready_count=ready, desired=want)
    progressing = _condition(obj, "Progressing")
    if progressing and progressing.get("reason") == "ProgressDeadlineExceeded":
        return Readiness(False, "exceeded its progress deadline", True, ready, want)
    if updated < want:
        return Readiness(False, f"{updated} of {want} new replicas updated", ready_count=ready, desired=want)
    if total > updated:
        return Readiness(False, f"{total - updated} old replicas pending termination", ready_count=ready, desired=want)
    if available < updated:
        return Readiness(False, f"{available} of {updated} updated replicas available", ready_count=ready, desired=want)
    return Readiness(True, "rolled out", ready_count=ready, desired=want)


def _on_delete(done: int, what: str, ready: int, want: int, updated: int) -> Readiness:
    """kubectl: "rollout status is only available for RollingUpdate strategy type". The controller
    replaces a pod only when someone deletes it, so waiting for a roll would never end: ready once
    `done` (ready or available) pods reach `want`, with a note while some run the old template."""
    if done < want:
        return Readiness(False, f"{done} of {want} pods {what}", ready_count=ready, desired=want)
    note = "" if updated >= want else (
        f"updateStrategy OnDelete: {want - updated} of {want} pods still run the previous template; "
        "delete them to roll them")
    return Readiness(True, "ready, not rolled (OnDelete)" if note else "ready", ready_count=ready,
                     desired=want, note=note)


def statefulset(obj: dict) -> Readiness:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    want = spec.get("replicas", 1)
    ready, updated = status.get("readyReplicas", 0), status.get("updatedReplicas", 0)
    strategy = spec.get("updateStrategy") or {}
    if not _observed(obj):
        return Readiness(False, "waiting for the spec update to be observed", ready_count=ready, desired=want)
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return _on_delete(ready, "ready", ready, want, updated)
    if ready < want:
        return Readiness(False, f"{ready} of {want} pods ready", ready_count=ready, desired=want)
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        # A partition keeps the pods below it at the current revision on purpose: currentRevision
        # never becomes updateRevision, so kubectl counts the pods above the partition instead.
        above = want - (rolling.get("partition") or 0)
        if updated < above:
            return Readiness(False, f"{updated} of {above} pods at the new revision", ready_count=ready,
                             desired=want)
        return Readiness(True, "rolled out", ready_count=ready, desired=want)
    if status.get("updateRevision") != status.get("currentRevision"):
        return Readiness(False, f"{updated} of {want} pods at the new revision", ready_count=ready, desired=want)
    return Readiness(True, "rolled out", ready_count=ready, desired=want)


def daemonset(obj: dict) -> Readiness:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    want = status.get("desiredNumberScheduled", 0)
    updated, available = status.get("updatedNumberScheduled", 0), status.get("numberAvailable", 0)
    ready = status.get("numberReady", 0)
    if not _observed(obj):
        return Readiness(False, "waiting for the spec update to be observed", ready_count=ready, desired=want)
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        return _on_delete(available, "available", ready, want, updated)
    if updated < want:
        return Readiness(False, f"{updated} of {want} pods updated", ready_count=ready, desired=want)
    if available < want:
        return Readiness(False, f"{available} of {want} updated pods available", ready_count=ready, desired=want)
    return Readiness(True, "rolled out", ready_count=ready, desired=want)


def replicaset(obj: dict) -> Readiness:
    want = (obj.get("spec") or {}).get("replicas", 1)
    ready = (obj.get("status") or {}).get("readyReplicas", 0)
    ok = _observed(obj) and ready >= want
    return Readiness(ok, "ready" if ok else f"{ready} of {want} pods ready", ready_count=ready, desired=want)


def job(obj: dict) -> Readiness:
    want = (obj.get("spec") or {}).get("completions", 1)
    done = (obj.get("status") or {}).get("succeeded", 0)
    failed = _condition(obj, "Failed")
    if failed and failed.get("status") == "True":
        return Readiness(False, f"failed: {failed.get('reason', '')} {failed.get('message', '')}".strip(),
                         True, done, want)
    complete = _condition(obj, "Complete")
    if complete and complete.get("status") == "True":
        return Readiness(True, "complete", ready_count=done, desired=want)
    return Readiness(False, f"{done} of {want} completions", ready_count=done, desired=want)


def pod(obj: dict) -> Readiness:
    status = obj.get("status") or {}
    phase = status.get("phase", "Pending")
    if phase == "Succeeded":
        return Readiness(True, "succeeded", ready_count=1, desired=1)
    if phase == "Failed":
        return Readiness(False, f"failed: {status.get('reason') or 'a container exited with an error'}", True, 0, 1)
    ready = _condition(obj, "Ready")
    if ready and ready.get("status") == "True":
        return Readiness(True, "ready", ready_count=1, desired=1)
    return Readiness(False, phase.lower(), ready_count=0, desired=1)


CHECKS = {"Deployment": deployment, "StatefulSet": statefulset, "DaemonSet": daemonset,
          "ReplicaSet": replicaset, "Job": job, "Pod": pod}


def evaluate(obj: dict) -> Readiness:
    return CHECKS[obj["kind"]](obj)
