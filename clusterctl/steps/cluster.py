"""Ensure the cluster: create it only when absent; never recreate one silently."""

from __future__ import annotations

import json

from clusterctl import guard, identity
from clusterctl.drivers import ClusterState
from clusterctl.errors import ApiUnreachable, ClusterctlError, ClusterFailed, WrongCluster
from clusterctl.kubeconfig import endpoint
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
        if answers_as_stamped(ctx):
            return Check(True, f"running, identity verified (context {ctx.driver.context})")
        self.state = ctx.driver.state()
        self.half_made = self.state is not ClusterState.ABSENT and identity.half_made(ctx.kubeconfig,
                                                                                       ctx.driver.context)
        if self.half_made:
            return Check(False, "left half made by an interrupted run")
        if self.state is ClusterState.RUNNING:
            return Check(True, f"exists (context {ctx.driver.context})")
        return Check(False, self.state.value)

    def run(self, ctx) -> str:
        if self.state is ClusterState.STOPPED and not self.half_made:
            return start_again(ctx)
        if self.half_made:  # it may lack anything from its control plane to the stamp: start again
            ctx.driver.delete()
        identity.begin_create(ctx.kubeconfig, ctx.driver.context)
        ctx.driver.create()
        ctx.forget_api()
        stamp_identity(ctx)
        identity.end_create(ctx.kubeconfig, ctx.driver.context)
        return f"{'recreated' if self.half_made else 'created'} (context {ctx.driver.context})"


def start_again(ctx) -> str:
    """A stopped cluster keeps everything but its running nodes: start them, never recreate it."""
    ctx.driver.start()
    ctx.forget_api()
    try:
        guard.wait_answering(ctx, ctx.profile.wait.timeout_s)
    except WrongCluster:
        if not ctx.adopt:
            raise  # --adopt: VerifyIdentity decides next
    return f"started again (context {ctx.driver.context})"


def answers_as_stamped(ctx) -> bool:
    """The cheap proof that the cluster is up: its API server answers with the identity clusterctl
    stamped at creation (one GET instead of a kind or minikube process). Anything less: ask the driver."""
    if identity.recorded(ctx.kubeconfig, ctx.driver.context) is None or identity.half_made(
            ctx.kubeconfig, ctx.driver.context):
        return False
    try:
        guard.verify(ctx)
    except (WrongCluster, ApiUnreachable):
        return False
    return ctx.verified


def stamp_identity(ctx) -> None:
    seen = endpoint(ctx.kubeconfig, ctx.driver.context)
    if seen is None:
        raise ClusterFailed(f"{ctx.profile.cluster.driver} did not write context {ctx.driver.context!r} "
                            f"into {ctx.kubeconfig}")
    stamp = identity.new_stamp(ctx.profile.name, ctx.driver.context, seen)
    ctx.kubectl.apply(json.dumps(identity.configmap(stamp)))
    identity.remember(ctx.kubeconfig, stamp)
    ctx.stamped = True


class VerifyIdentity:
    """Before anything is applied: the context still points at the cluster clusterctl created."""

    name = "identity"
    phase = "cluster"

    def title(self, ctx) -> str:
        return f"Verify the identity of {ctx.driver.context!r}"

    def plan(self, ctx) -> list[Command]:
        return []

    def check(self, ctx) -> Check:
        if ctx.stamped:
            return Check(True, "stamped at creation")
        if ctx.verified:
            return Check(True, "verified")
        try:
            guard.verify(ctx)
        except WrongCluster:
            if ctx.adopt:  # decided after the comparison
                return Check(False)
            raise
        return Check(True, "verified")

    def run(self, ctx) -> str:
        stamp_identity(ctx)
        return "adopted and stamped"


class RequireCluster:
    """For redeploy: the cluster must already be up; creating one here would surprise."""

    name = "cluster"
    phase = "cluster"

    def title(self, ctx) -> str:
        return f"Find cluster {ctx.profile.cluster.name!r}"

    def plan(self, ctx) -> list[Command]:
        return []

    def check(self, ctx) -> Check:
        if answers_as_stamped(ctx):
            return Check(True, f"running, identity verified (context {ctx.driver.context})")
        state = ctx.driver.state()
        if state is ClusterState.RUNNING:
            return Check(True, f"running (context {ctx.driver.context})")
        raise not_running(ctx, state)

    def run(self, ctx) -> str:
        return ""


class DeleteCluster:
    """Deletes only a cluster clusterctl created (its identity verified), unless forced."""

    name = "cluster"
    phase = "cluster"

    def title(self, ctx) -> str:
        return f"Delete {ctx.profile.cluster.driver} cluster {ctx.profile.cluster.name!r}"

    def plan(self, ctx) -> list[Command]:
        return [ctx.driver.delete_command()]

    def check(self, ctx) -> Check:
        state = ctx.driver.state()
        if state is ClusterState.ABSENT:
            identity.forget(ctx.kubeconfig, ctx.driver.context)
            return Check(True, "already absent")
        if identity.half_made(ctx.kubeconfig, ctx.driver.context):
            return Check(False)  # ours, stopped before it was stamped
        if self._stopped_without_context(ctx, state):
            return Check(False)
        try:
            guard.verify(ctx, api_may_be_down=True)
        except WrongCluster as exc:
            raise WrongCluster(exc.message, hint="if you do mean to delete it, `clusterctl down --force`")
        return Check(False)

    @staticmethod
    def _stopped_without_context(ctx, state: ClusterState) -> bool:
        """`minikube stop` removes the context: with no server or CA to compare and no API to ask, the record
        that clusterctl made this cluster decides. The driver deletes by name, sending no API request."""
        context = ctx.driver.context
        if state is not ClusterState.STOPPED or endpoint(ctx.kubeconfig, context) is not None:
            return False
        if identity.recorded(ctx.kubeconfig, context) is None:
            return False  # not ours as far as we know: the guard refuses it
        ctx.notes.append(f"{context!r} is stopped and its context was removed; clusterctl's record of creating "
                         f"it decides, and {ctx.driver.tool} deletes it by name")
        return True

    def run(self, ctx) -> str:
        ctx.driver.delete()
        identity.forget(ctx.kubeconfig, ctx.driver.context)
        return "deleted"


def not_running(ctx, state: ClusterState) -> ClusterctlError:
    if state is ClusterState.STOPPED:
        return ClusterctlError(f"cluster {ctx.profile.cluster.name!r} is stopped",
                               hint=f"`clusterctl up {ctx.profile.name}` starts it again, keeping what it holds")
    return ClusterctlError(f"cluster {ctx.profile.cluster.name!r} is not running",
                           hint=f"run `clusterctl up {ctx.profile.name}` first")
