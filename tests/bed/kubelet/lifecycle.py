"""Stopping a container as the kubelet does (kubernetes/kubernetes
pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer, executePreStopHook;
pkg/kubelet/lifecycle/handlers.go).

The preStop hook (exec, httpGet or sleep) runs first and uses up part of the grace period; the
container then gets SIGTERM and what is left of the grace period, never less than 2 s, before SIGKILL.
"""
from __future__ import annotations

import threading
import time

MIN_GRACE = 2  # minimumGracePeriodInSeconds: a last window to avoid needless SIGKILLs


def kill(docker, container_id: str, spec: dict, grace: float, halt: threading.Event,
         warn) -> None:
    """preStop within `grace`, then `docker stop` (SIGTERM, SIGKILL after the rest of the grace)."""
    spent = 0
    hook = (spec.get("lifecycle") or {}).get("preStop")
    if hook and grace > 0:
        started = time.monotonic()
        failure = _pre_stop(docker, container_id, hook, grace, halt)
        if failure:
            warn("FailedPreStopHook", f"PreStopHook failed: {failure}")
        spent = int(time.monotonic() - started)  # whole seconds, as the kubelet counts them
    docker.stop([container_id], max(int(grace) - spent, MIN_GRACE))


def _pre_stop(docker, container_id: str, hook: dict, grace: float,
              halt: threading.Event) -> str | None:
    """Run the hook, at most `grace` seconds; the failure message, or None."""
    if "sleep" in hook:
        halt.wait(min(float(hook["sleep"].get("seconds", 0)), grace))
        return None
    if "exec" in hook:
        command = hook["exec"].get("command") or []
        res = docker.run("exec", container_id, *command, timeout=grace)
        if res.code != 0:
            return f"command {command!r} exited with {res.code}: {(res.out + res.err).strip()}"
        return None
    if "httpGet" in hook:
        http = hook["httpGet"]
        url = f"{http.get('scheme', 'HTTP').lower()}://127.0.0.1:{http.get('port')}{http.get('path', '/')}"
        res = docker.run("exec", container_id, "wget", "-q", "-O", "/dev/null", url, timeout=grace)
        return None if res.code == 0 else f"Get {url!r}: {(res.out + res.err).strip()}"
    return None
