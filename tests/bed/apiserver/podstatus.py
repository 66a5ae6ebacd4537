"""A pod's STATUS column, derived the way kubectl's printPod does."""
from __future__ import annotations

import time

from .timefmt import human_duration, parse_rfc3339


def pod_status(pod: dict) -> tuple[str, int, int, str]:
    """(STATUS, ready containers, restarts, last restart age) the way kubectl's printPod does."""
    status = pod.get("status") or {}
    reason = status.get("reason") or status.get("phase") or ""
    initializing, reason = _init_status(pod, reason)
    ready = restarts = 0
    last_restart = 0.0
    has_running = False
    for cs in status.get("containerStatuses") or []:
        restarts += cs.get("restartCount", 0)
        finished = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
        if finished:
            last_restart = max(last_restart, parse_rfc3339(finished))
    if not initializing:
        for cs in reversed(status.get("containerStatuses") or []):
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                signal = terminated.get("signal")
                reason = f"Signal:{signal}" if signal else f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _pod_ready(pod) else "NotReady"
    if pod["metadata"].get("deletionTimestamp"):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"
    ago = human_duration(time.time() - last_restart) if last_restart else ""
    return reason, ready, restarts, ago


def _init_status(pod: dict, reason: str) -> tuple[bool, str]:
    inits = (pod.get("spec") or {}).get("initContainers") or []
    for i, cs in enumerate((pod.get("status") or {}).get("initContainerStatuses") or []):
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated and terminated.get("exitCode", 0) == 0:
            continue
        if terminated:
            return True, "Init:" + (terminated.get("reason") or
                                    f"ExitCode:{terminated.get('exitCode')}")
        if waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            return True, "Init:" + waiting["reason"]
        return True, f"Init:{i}/{len(inits)}"
    return False, reason


def _pod_ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])
