"""`clusterctl status`: the cluster's state and each workload's readiness, read once from the API, or
with --watch kept up to date from the API's watch streams until Ctrl-C."""

from __future__ import annotations

from clusterctl import guard, redact
from clusterctl import report as reports
from clusterctl.app import Options, make_context
from clusterctl.drivers import ClusterState
from clusterctl.kube import paths
from clusterctl.steps.cluster import not_running
from clusterctl.steps.wait import Tracker, watch_groups, workloads
from clusterctl.waiter import Snapshot, Watches


def snapshot(ctx, items) -> Snapshot:
    snap = Snapshot()
    for kind, namespace in watch_groups(items):
        for obj in (ctx.api.get(paths.collection(kind, namespace)) or {}).get("items") or []:
            obj.setdefault("kind", kind)
            snap.objects[(kind, namespace, obj["metadata"]["name"])] = obj
    return snap


class Rows:
    """The workload rows over time. TIME TO READY counts from when a workload was first seen not ready
    during this look (a rollout, a restart), so one that was ready all along shows none."""

    def __init__(self, ctx, items):
        self.ctx = ctx
        self.tracker = Tracker(ctx, items)
        self.seen: set[tuple[str, str, str]] = set()
        self.unready_since: dict = {}
        self.time_to_ready: dict = {}
        self.first = True

    def update(self, snap: Snapshot) -> list:
        now = self.ctx.clock()
        self.tracker.update(snap)
        for w, r in self.tracker.reports.items():
            key = (w.kind, w.namespace, w.name)
            if key in snap.objects:
                self.seen.add(key)
            elif self.first or key in self.seen:  # never applied, or deleted while we look
                r.ready, r.status, r.blockers = 0, "Missing", []
            self._time_to_ready(w, r.ok, now)
            r.seconds_to_ready = self.time_to_ready.get(w)
        self.first = False
        return list(self.tracker.reports.values())

    def _time_to_ready(self, w, ok: bool, now: float) -> None:
        if not ok and w not in self.unready_since:
            self.unready_since[w] = now
            self.time_to_ready.pop(w, None)
        elif ok and w in self.unready_since:
            self.time_to_ready[w] = round(now - self.unready_since.pop(w), 2)


def require_running(ctx) -> None:
    """The cluster runs and its context is the one clusterctl created (compared before any request)."""
    state = ctx.driver.state()
    if state is not ClusterState.RUNNING:
        raise not_running(ctx, state)
    guard.verify(ctx)


def header(ctx, state: ClusterState) -> str:
    return (f"cluster {ctx.profile.cluster.name!r} ({ctx.profile.cluster.driver}, "
            f"context {ctx.driver.context}): {state.value}")


def as_json(ctx, state: ClusterState, rows: list, healthy: bool) -> dict:
    return {"schema": reports.SCHEMA, "verb": "status", "profile": ctx.profile.name, "context": ctx.driver.context,
            "cluster": state.value, "ok": healthy, "workloads": reports.workloads_json(rows), "hint": hint(ctx, state)}


def hint(ctx, state: ClusterState) -> str | None:
    return None if state is ClusterState.RUNNING else not_running(ctx, state).hint


def exit_code(state: ClusterState, rows: list) -> int:
    if state is not ClusterState.RUNNING:
        return 1
    return 0 if all(r.ok for r in rows) else 7


def show_status(profile_arg: str, options: Options, watch: bool = False) -> int:
    ctx = make_context(profile_arg, options)
    state = ctx.driver.state()
    if state is ClusterState.RUNNING:
        guard.verify(ctx)
    if state is ClusterState.RUNNING and watch:
        from clusterctl.watchview import watch_status

        return watch_status(ctx, workloads(ctx), options)
    rows = []
    if state is ClusterState.RUNNING:
        items = workloads(ctx)
        rows = Rows(ctx, items).update(snapshot(ctx, items))
    code = exit_code(state, rows)
    if options.json:
        ctx.console.print(redact.dumps(as_json(ctx, state, rows, code == 0), indent=2))
    else:
        ctx.console.print(header(ctx, state))
        if hint(ctx, state):
            ctx.console.print(f"hint: {hint(ctx, state)}")
        if rows:
            ctx.console.print(reports.WorkloadTable(reports.workload_rows(rows)))
    return code


class _SyncedAPI:
    """The API as Watches sees it. Watches stores a group's listing before it starts that group's watch, so
    the watch call says the group is complete in the snapshot: from then on, absent means deleted."""

    def __init__(self, api):
        self.api = api
        self.synced: set[str] = set()
        self.changed = None  # the Watches' condition, to wake the viewer

    def get(self, path: str, query: dict | None = None):
        return self.api.get(path, query)

    def watch(self, path: str, resource_version: str, timeout_s: int):
        with self.changed:
            self.synced.add(path)
            self.changed.notify_all()
        return self.api.watch(path, resource_version, timeout_s)


def follow(ctx, items, on_change) -> None:
    """Call on_change(rows) once the watches have listed everything, then whenever they see a change (and
    each second, for the time-based states), until interrupted. The watches' own lists are the only reads."""
    rows = Rows(ctx, items)
    api = _SyncedAPI(ctx.api)
    watches = Watches(api, watch_groups(items))
    api.changed = watches.changed
    wanted = {paths.collection(kind, namespace) for kind, namespace in watch_groups(items)}
    watches.start()
    try:
        with watches.changed:
            while True:
                if watches.snapshot.error:
                    raise watches.snapshot.error
                if wanted <= api.synced:
                    on_change(rows.update(watches.snapshot))
                watches.changed.wait(timeout=1.0)
    finally:
        watches.stop()
