"""How long a DELETE takes, as the real registry decides it (kubernetes/kubernetes
pkg/registry/core/pod/strategy.go CheckGracefulDelete, staging/.../registry/rest/delete.go BeforeDelete).

A pod bound to a node and not finished is deleted gracefully: the server only stamps
deletionTimestamp (now + grace) and deletionGracePeriodSeconds; the kubelet runs preStop, stops the
containers and then removes the object. Every other object goes at once (unless it has finalizers).
"""
from __future__ import annotations

import time

DEFAULT_GRACE = 30  # the pod spec's default terminationGracePeriodSeconds


def grace_seconds(obj: dict, requested: int | None) -> int:
    """The grace period for deleting obj: 0 means remove now."""
    if obj["kind"] != "Pod" or obj["apiVersion"] != "v1":
        return 0
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
        return 0  # never started, or already done: nothing for a kubelet to stop
    grace = requested if requested is not None else spec.get("terminationGracePeriodSeconds", DEFAULT_GRACE)
    return 1 if int(grace) < 0 else int(grace)  # a negative period means "as soon as possible"


def shortens(meta: dict, grace: int) -> bool:
    """A second DELETE may only shorten a grace period already running."""
    current = meta.get("deletionGracePeriodSeconds")
    return current is None or grace < current


def deletion_timestamp(grace: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + grace))
