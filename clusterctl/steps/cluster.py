"""Ensure the cluster: create it only when absent; never recreate one silently."""

from __future__ import annotations

from clusterctl.drivers import ClusterState
from clusterctl.errors import ClusterctlError
from clusterctl.runner import Command
from clusterctl.steps.base import Check


class EnsureCluster:
    name = "cluster"
    phase = "cluster"

    def title(self, ctx) -> str:
        return f"Ensure {ctx.profile.cluster.driver} cluster {ctx.profile.cluster.name!r}"

    def plan(self, ctx) -> list[Command]:
        return [ctx.driver.create_command()]

    def check(self, ctx) -> Check:
        state = ctx.driver.state()
        if state is ClusterState.RUNNING:
            return Check(True, f"exists (context {ctx.driver.context})")
        return Check(False, state.value)

    def run(self, ctx) -> str:
        ctx.driver.create()
        return f"created (context {ctx.driver.context})"


class RequireCluster:
    """For redeploy: the cluster must already be up; creating one here would surprise."""

    name = "cluster"
    phase = "cluster"

    def title(self, ctx) -> str:
        return f"Find cluster {ctx.profile.cluster.name!r}"

    def plan(self, ctx) -> list[Command]:
        return []

    def check(self, ctx) -> Check:
        if ctx.driver.state() is ClusterState.RUNNING:
            return Check(True, f"running (context {ctx.driver.context})")
        raise ClusterctlError(
            f"cluster {ctx.profile.cluster.name!r} is not running",
            hint=f"run `clusterctl up {ctx.profile.name}` first",
        )

    def run(self, ctx) -> str:
        return ""


class DeleteCluster:
    name = "cluster"
    phase = "cluster"

    def title(self, ctx) -> str:
        return f"Delete {ctx.profile.cluster.driver} cluster {ctx.profile.cluster.name!r}"

    def plan(self, ctx) -> list[Command]:
        return [ctx.driver.delete_command()]

    def check(self, ctx) -> Check:
        if ctx.driver.state() is ClusterState.ABSENT:
            return Check(True, "already absent")
        return Check(False)

    def run(self, ctx) -> str:
        ctx.driver.delete()
        return "deleted"
