"""down --keep-cluster: delete everything the profile owns, and keep the cluster.

Owned is what the current render applies and whatever else carries the profile's labels (objects of an
earlier render). Deletion is started, not waited for: the namespace stays Terminating while its pods run
their preStop hooks and grace periods; the next `up` waits for it to be gone.
"""

from __future__ import annotations

from clusterctl import guard
from clusterctl.drivers import ClusterState
from clusterctl.inventory import applied, dropped
from clusterctl.kube import paths
from clusterctl.runner import Command
from clusterctl.steps.apply import as_stream
from clusterctl.steps.base import Check
from clusterctl.steps.namespace import terminating


class DeleteApplied:
    name = "delete-applied"
    phase = "apply"

    def title(self, ctx) -> str:
        return f"Delete what profile {ctx.profile.name!r} applied (keeping the cluster)"

    def plan(self, ctx) -> list[Command]:
        return [ctx.kubectl.delete_command("<objects labelled with the profile, the rendered manifests, secrets, "
                                           "namespace>")]

    def check(self, ctx) -> Check:
        if ctx.driver.state() is ClusterState.ABSENT:
            return Check(True, "the cluster is absent")
        guard.verify(ctx)
        return Check(False)

    def run(self, ctx) -> str:
        *current, namespace = applied(ctx)
        path = paths.item("Namespace", None, ctx.profile.namespace)
        # A second DELETE of a Terminating namespace is refused (409), so it is sent only once.
        last = [] if terminating(ctx.api.get(path)) else [namespace]
        # Objects of earlier renders first, then the current render newest first, the namespace last.
        objects = dropped(ctx) + current[::-1] + last
        result = ctx.runner.run(ctx.kubectl.delete_command(as_stream(objects))).check()
        deleted = [line for line in result.stdout.splitlines() if line.endswith(" deleted")]
        detail = f"{len(deleted)} object{'s' if len(deleted) != 1 else ''} deleted"
        if terminating(ctx.api.get(path)):
            detail += f"; namespace {ctx.profile.namespace!r} is terminating until its pods have stopped"
        return detail
