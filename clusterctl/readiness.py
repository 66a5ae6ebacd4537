"""Is a workload ready? The same rules kubectl's rollout status and wait use, as pure functions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Readiness:
    ready: bool
    message: str
    failed: bool = False  # cannot become ready by waiting (a Job that failed, a deadline exceeded)
    ready_count: int = 0
    desired: int = 0


def _observed(obj: dict) -> bool:
    return (obj.get("status") or {}).get("observedGeneration", 0) >= (obj.get("metadata") or {}).get("generation", 0)


def _condition(obj: dict, kind: str) -> dict | None:
    return next((c for c in (obj.get("status") or {}).get("conditions") or [] if c.get("type") == kind), None)


def deployment(obj: dict) -> Readiness:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    want = spec.get("replicas", 1)
    updated, total, available = (status.get(k, 0) for k in ("updatedReplicas", "replicas", "availableReplicas"))
    ready = status.get("readyReplicas", 0)
    progressing = _condition(obj, "Progressing")
    if progressing and progressing.get("reason") == "ProgressDeadlineExceeded":
        return Readiness(False, "exceeded its progress deadline", True, ready, want)
    if not _observed(obj):
        return Readiness(False, "waiting for the spec update to be observed", ready_count=ready, desired=want)
    if updated < want:
        return Readiness(False, f"{updated} of {want} new replicas updated", ready_count=ready, desired=want)
    if total > updated:
        return Readiness(False, f"{total - updated} old replicas pending termination", ready_count=ready, desired=want)
    if available < updated:
        return Readiness(False, f"{available} of {updated} updated replicas available", ready_count=ready, desired=want)
    return Readiness(True, "rolled out", ready_count=ready, desired=want)


def statefulset(obj: dict) -> Readiness:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    want = spec.get("replicas", 1)
    ready = status.get("readyReplicas", 0)
    if not _observed(obj):
        return Readiness(False, "waiting for the spec update to be observed", ready_count=ready, desired=want)
    if ready < want:
        return Readiness(False, f"{ready} of {want} pods ready", ready_count=ready, desired=want)
    update = (spec.get("updateStrategy") or {}).get("type", "RollingUpdate")
    if update == "RollingUpdate" and status.get("updateRevision") != status.get("currentRevision"):
        done = status.get("updatedReplicas", 0)
        return Readiness(False, f"{done} of {want} pods at the new revision", ready_count=ready, desired=want)
    return Readiness(True, "rolled out", ready_count=ready, desired=want)


def daemonset(obj: dict) -> Readiness:
    status = obj.get("status") or {}
    want = status.get("desiredNumberScheduled", 0)
    updated, available = status.get("updatedNumberScheduled", 0), status.get("numberAvailable", 0)
    ready = status.get("numberReady", 0)
    if not _observed(obj):
        return Readiness(False, "waiting for the spec update to be observed", ready_count=ready, desired=want)
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
