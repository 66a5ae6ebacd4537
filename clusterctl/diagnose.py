"""Why a workload is not ready, in the user's terms: the reason class, its Warning events, the last log
lines, and a hint that names the fix when the cause is local wiring."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from clusterctl import hints
from clusterctl.kube import paths
from clusterctl.errors import ApiUnreachable
from clusterctl.podstate import Blocker, blockers, current_pods

LOG_LINES = 20


@dataclass
class Diagnosis:
    workload: str
    reason: str
    pod: str = ""
    container: str = ""
    message: str = ""
    events: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    hint: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _items(api, kind: str, namespace: str) -> list[dict]:
    return (api.get(paths.collection(kind, namespace)) or {}).get("items") or []


def _events(api, namespace: str, name: str) -> list[str]:
    listing = api.get(paths.collection("Event", namespace), {"fieldSelector": f"involvedObject.name={name}"}) or {}
    found = []
    for e in sorted(listing.get("items") or [], key=lambda e: e.get("lastTimestamp") or ""):
        if e.get("type") == "Warning":
            count = f" (x{e['count']})" if e.get("count", 1) > 1 else ""
            found.append(f"{e.get('reason')}: {e.get('message', '').strip()}{count}")
    return found[-8:]


def _logs(api, namespace: str, pod: str, container: str, previous: bool) -> list[str]:
    try:
        text = api.logs(namespace, pod, container, previous, LOG_LINES)
    except ApiUnreachable:
        return []
    return text.splitlines()[-LOG_LINES:]


def _classify(blocker: Blocker, logs: list[str], events: list[str]) -> str:
    exit_info = blocker.previous_exit or {}
    if any("exec format error" in line for line in logs + [blocker.message]):
        return "ExecFormatError"
    if exit_info.get("reason") == "OOMKilled":
        return "OOMKilled"
    if blocker.reason in ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"):
        return "ImagePull" if blocker.reason != "InvalidImageName" else "InvalidImageName"
    return blocker.reason


def _probe_failure(workload: str, pod: dict, events: list[str]) -> Diagnosis | None:
    unhealthy = [e for e in events if e.startswith("Unhealthy:")]
    if not unhealthy:
        return None
    name = pod["metadata"]["name"]
    kind = "liveness" if any("Liveness probe" in e for e in unhealthy) else "readiness"
    return Diagnosis(workload, f"{kind.capitalize()}ProbeFailing", name, "", unhealthy[-1], events,
                     hint=hints.probe(kind))


def _failed_container(pod: dict) -> str:
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        if ((cs.get("state") or {}).get("terminated") or {}).get("exitCode", 0) != 0:
            return cs.get("name", "")
    return ""


def _job_failure(api, w, status: str, pods: list[dict]) -> Diagnosis:
    """A failed Job's pods ended without a waiting reason: the last one's own output says why."""
    failed = sorted((p for p in pods if (p.get("status") or {}).get("phase") == "Failed"),
                    key=lambda p: (p.get("metadata") or {}).get("creationTimestamp") or "")
    events = _events(api, w.namespace, w.name)
    pod = container = ""
    logs: list[str] = []
    if failed:
        pod, container = failed[-1]["metadata"]["name"], _failed_container(failed[-1])
        logs = _logs(api, w.namespace, pod, container, previous=False) if container else []
    return Diagnosis(w.key, "JobFailed", pod, container, status, events, logs,
                     hint="read the last log lines above; fix the command or raise spec.backoffLimit")


def diagnose(ctx, report) -> list[Diagnosis]:
    """One diagnosis per failing pod/container of a workload that is not ready."""
    w = report.workload
    api = ctx.api
    obj = api.get(paths.item(w.kind, w.namespace, w.name))
    if obj is None:
        return [Diagnosis(w.key, "Missing", message=f"{w.key} does not exist in namespace {w.namespace}")]
    obj.setdefault("kind", w.kind)
    pods = current_pods(obj, _items(api, "Pod", w.namespace),
                        _items(api, "ReplicaSet", w.namespace) if w.kind == "Deployment" else [])
    found: list[Diagnosis] = []
    for pod in pods:
        name = pod["metadata"]["name"]
        events = _events(api, w.namespace, name)
        for b in blockers(pod):
            crashed = b.reason == "CrashLoopBackOff" or b.previous_exit is not None
            logs = _logs(api, w.namespace, name, b.container, previous=crashed) if b.container else []
            reason = _classify(b, logs, events)
            found.append(Diagnosis(w.key, reason, name, b.container, b.message, events, logs,
                                   hints.for_reason(ctx, reason, b, events, pod)))
        if not blockers(pod) and (probe := _probe_failure(w.key, pod, events)):
            found.append(probe)
    if w.kind == "Job" and not found and report.status.startswith("Failed"):
        found.append(_job_failure(api, w, report.status, pods))
    if not found:
        found.append(Diagnosis(w.key, "NotReady", message=report.status, events=_events(api, w.namespace, w.name),
                               hint="the workload is still progressing; raise wait.timeout if it is only slow"))
    return found
