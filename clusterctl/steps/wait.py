"""Wait until every workload of the applied set is ready, failing fast on states that cannot recover."""

from __future__ import annotations

from dataclasses import dataclass

from clusterctl import podstate
from clusterctl.errors import WaitTimeout, WorkloadsFailed
from clusterctl.kube.paths import WORKLOAD_KINDS
from clusterctl.manifests.bundle import render_batches
from clusterctl.manifests.render import uses_image
from clusterctl.runner import Command
from clusterctl.steps.base import Check
from clusterctl.waiter import Snapshot, Watches, Workload, status_of, wait_until


@dataclass
class WorkloadReport:
    workload: Workload
    ready: int = 0
    desired: int = 0
    status: str = "Pending"
    restarts: int = 0
    image: str = ""
    seconds_to_ready: float | None = None
    blockers: list = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("Ready", "Complete")


def workloads(ctx) -> list[Workload]:
    wanted = ctx.profile.wait.workloads
    repository = ctx.images[0].repository if ctx.only_image else None
    found = []
    for batch in render_batches(ctx):
        for o in batch.objects:
            if o.kind not in WORKLOAD_KINDS or (repository and not uses_image(o.obj, repository)):
                continue
            if wanted is None or o.key in wanted:
                found.append(Workload(o.kind, o.namespace, o.name))
    return found


class Tracker:
    """Turns snapshots into per-workload reports, remembering when each became ready or blocked."""

    def __init__(self, ctx, items: list[Workload]):
        self.ctx, self.items = ctx, items
        self.started = ctx.clock()
        self.reports = {w: WorkloadReport(w, blockers=[]) for w in items}
        self.first_seen: dict[tuple, float] = {}

    def update(self, snapshot: Snapshot) -> None:
        now = self.ctx.clock()
        for w, report in self.reports.items():
            obj = snapshot.objects.get((w.kind, w.namespace, w.name))
            state = status_of(w, snapshot)
            if not obj or not state:
                continue
            pods = podstate.current_pods(obj, snapshot.of("Pod", w.namespace), snapshot.of("ReplicaSet", w.namespace))
            report.ready, report.desired, report.note = state.ready_count, state.desired, state.note
            report.restarts = sum(podstate.restarts(p) for p in pods)
            report.image = ", ".join(c.get("image", "") for c in _template_containers(obj))
            report.blockers = [b for p in pods for b in podstate.blockers(p)]
            if state.ready:
                report.status = "Complete" if w.kind == "Job" else "Ready"
                if report.seconds_to_ready is None:
                    report.seconds_to_ready = round(now - self.started, 2)
            elif state.failed:
                report.status = f"Failed: {state.message}"
            elif self._fatal(report, now):
                report.status = f"Failed: {report.blockers[0].reason}"
            else:
                report.status = report.blockers[0].reason if report.blockers else f"Progressing: {state.message}"

    def _fatal(self, report: WorkloadReport, now: float) -> bool:
        for b in report.blockers:
            since = self.first_seen.setdefault((b.pod, b.container, b.reason), now)
            if podstate.is_fatal(b, now - since, self.ctx.profile.wait.restart_tolerance):
                return True
        return False

    def settled(self, snapshot: Snapshot) -> bool:
        self.update(snapshot)
        return all(r.ok or r.status.startswith("Failed") for r in self.reports.values())


def watch_groups(items: list[Workload]) -> set[tuple[str, str]]:
    """(kind, namespace) to list and watch: the workloads, their pods, and a Deployment's ReplicaSets
    (which of its pods are old)."""
    return {(w.kind, w.namespace) for w in items} | {("Pod", w.namespace) for w in items} \
        | {("ReplicaSet", w.namespace) for w in items if w.kind == "Deployment"}


def _template_containers(obj: dict) -> list[dict]:
    from clusterctl.manifests.render import pod_spec

    return (pod_spec(obj) or {}).get("containers") or []


class WaitReady:
    name = "wait"
    phase = "ready"

    def title(self, ctx) -> str:
        return "Wait for workloads"

    def plan(self, ctx) -> list[Command]:
        return []

    def check(self, ctx) -> Check:
        return Check(not workloads(ctx), "no workloads to wait for")

    def run(self, ctx) -> str:
        items = workloads(ctx)
        tracker = Tracker(ctx, items)
        show = ctx.console.tool_output("wait")
        shown: list[str] = []

        def decide(snapshot) -> bool:
            done = tracker.settled(snapshot)
            pending = ", ".join(f"{r.workload.key} {r.ready}/{r.desired} {r.status}"
                                for r in tracker.reports.values() if not r.ok)
            if pending and shown[-1:] != [pending]:
                shown.append(pending)
                show(f"waiting for {pending}")
            return done

        watches = Watches(ctx.api, watch_groups(items))
        watches.start()
        try:
            settled = wait_until(watches, decide, ctx.profile.wait.timeout_s, ctx.clock)
        finally:
            watches.stop()
        ctx.workloads = list(tracker.reports.values())
        ctx.notes += [f"{r.workload.key}: {r.note}" for r in ctx.workloads if r.ok and r.note]
        failed = [r for r in ctx.workloads if not r.ok]
        if failed:
            from clusterctl.diagnose import diagnose

            ctx.diagnoses = [d for r in failed for d in diagnose(ctx, r)]
        if not settled:
            raise WaitTimeout(
                f"timed out after {ctx.profile.wait.timeout_s:g}s; not ready: " + not_ready(failed, ctx.diagnoses),
                hint="see the reasons above; raise wait.timeout if the workloads are only slow")
        if failed:
            raise WorkloadsFailed("not ready: " + not_ready(failed, ctx.diagnoses), hint="see the diagnosis above")
        return f"{len(items)} workload{'s' if len(items) != 1 else ''} ready"


def not_ready(failed: list[WorkloadReport], diagnoses: list) -> str:
    """Each workload with its status and, when the status does not say it, the diagnosed cause
    (a failing probe leaves a Deployment merely "Progressing")."""
    causes: dict[str, list[str]] = {}
    for d in diagnoses:
        if d.reason != "NotReady" and d.reason not in causes.setdefault(d.workload, []):
            causes[d.workload].append(d.reason)
    parts = []
    for r in failed:
        extra = [c for c in causes.get(r.workload.key, []) if c not in r.status]
        parts.append(f"{r.workload.key} ({'; '.join([r.status, *extra])})")
    return ", ".join(parts)
