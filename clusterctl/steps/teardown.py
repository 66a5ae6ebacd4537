"""down --keep-cluster: delete what the profile applied, newest first, and keep the cluster."""

from __future__ import annotations

import json

from clusterctl import guard
from clusterctl.drivers import ClusterState
from clusterctl.manifests.bundle import render_batches
from clusterctl.runner import Command
from clusterctl.steps.apply import as_stream
from clusterctl.steps.base import Check
from clusterctl.steps.namespace import namespace_manifest


def _objects(ctx) -> tuple[list, list[dict]]:
    rendered = [o for batch in reversed(render_batches(ctx)) for o in reversed(batch.objects)]
    secrets = [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": s.name, "namespace": ctx.profile.namespace}}
               for s in ctx.profile.secrets]
    if ctx.profile.shipping.pull_secret:
        secrets.append({"apiVersion": "v1", "kind": "Secret",
                        "metadata": {"name": ctx.profile.shipping.pull_secret, "namespace": ctx.profile.namespace}})
    return rendered, secrets


class DeleteApplied:
    name = "delete-applied"
    phase = "apply"

    def title(self, ctx) -> str:
        return f"Delete what profile {ctx.profile.name!r} applied (keeping the cluster)"

    def plan(self, ctx) -> list[Command]:
        return [ctx.kubectl.delete_command("<rendered manifests, secrets, namespace>")]

    def check(self, ctx) -> Check:
        if ctx.driver.state() is ClusterState.ABSENT:
            return Check(True, "the cluster is absent")
        guard.verify(ctx)
        return Check(False)

    def run(self, ctx) -> str:
        rendered, secrets = _objects(ctx)
        manifest = as_stream([o.obj for o in rendered] + secrets + [json.loads(namespace_manifest(ctx))])
        result = ctx.runner.run(ctx.kubectl.delete_command(manifest)).check()
        deleted = [line for line in result.stdout.splitlines() if line.endswith(" deleted")]
        return f"{len(deleted)} object{'s' if len(deleted) != 1 else ''} deleted"
