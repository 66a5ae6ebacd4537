"""`clusterctl status`: the cluster's state and each workload's readiness, read once from the API."""

from __future__ import annotations

import json

from clusterctl import report as reports
from clusterctl.app import Options, make_context
from clusterctl.drivers import ClusterState
from clusterctl.kube import paths
from clusterctl.steps.wait import Tracker, workloads
from clusterctl.waiter import Snapshot


def snapshot(ctx, items) -> Snapshot:
    snap = Snapshot()
    for kind, namespace in {(w.kind, w.namespace) for w in items} | {("Pod", w.namespace) for w in items}:
        for obj in (ctx.api.get(paths.collection(kind, namespace)) or {}).get("items") or []:
            obj.setdefault("kind", kind)
            snap.objects[(kind, namespace, obj["metadata"]["name"])] = obj
    return snap


def show_status(profile_arg: str, options: Options) -> int:
    ctx = make_context(profile_arg, options)
    state = ctx.driver.state()
    rows = []
    if state is ClusterState.RUNNING:
        items = workloads(ctx)
        tracker = Tracker(ctx, items)
        tracker.update(snapshot(ctx, items))
        rows = list(tracker.reports.values())
    healthy = state is ClusterState.RUNNING and all(r.ok for r in rows)
    if options.json:
        doc = {"schema": reports.SCHEMA, "verb": "status", "profile": ctx.profile.name,
               "context": ctx.driver.context, "cluster": state.value, "ok": healthy,
               "workloads": reports.as_json(reports.RunReport("status", ctx.profile.name, ctx.driver.context),
                                            rows, [])["workloads"]}
        ctx.console.print(json.dumps(doc, indent=2))
    else:
        ctx.console.print(f"cluster {ctx.profile.cluster.name!r} ({ctx.profile.cluster.driver}, "
                          f"context {ctx.driver.context}): {state.value}")
        if rows:
            ctx.console.print(reports.table(["WORKLOAD", "READY", "STATUS", "RESTARTS", "IMAGE", "TIME TO READY"],
                                            reports.workload_rows(rows)))
    return 0 if healthy else 7 if state is ClusterState.RUNNING else 1
