"""Ensure the cluster: create it only when absent; never recreate one silently."""

from __future__ import annotations

import json

from clusterctl import identity
from clusterctl.drivers import ClusterState
from clusterctl.errors import ApiUnreachable, ClusterctlError, ClusterFailed, WrongCluster
from clusterctl.kube import paths
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
        state = ctx.driver.state()
        self.half_made = state is not ClusterState.ABSENT and identity.half_made(ctx.kubeconfig, ctx.driver.context)
        if self.half_made:
            return Check(False, "left half made by an interrupted run")
        if state is ClusterState.RUNNING:
            return Check(True, f"exists (context {ctx.driver.context})")
        return Check(False, state.value)

    def run(self, ctx) -> str:
        if self.half_made:  # it may lack anything from its control plane to the stamp: start again
            ctx.driver.delete()
        identity.begin_create(ctx.kubeconfig, ctx.driver.context)
        ctx.driver.create()
        ctx.forget_api()
        stamp_identity(ctx)
        identity.end_create(ctx.kubeconfig, ctx.driver.context)
        return f"{'recreated' if self.half_made else 'created'} (context {ctx.driver.context})"


def answers_as_stamped(ctx) -> bool:
    """The cheap proof that the cluster is up: its API server answers with the identity clusterctl
    stamped at creation (one GET instead of a kind or minikube process). Anything less: ask the driver."""
    record = identity.recorded(ctx.kubeconfig, ctx.driver.context)
    if record is None or identity.half_made(ctx.kubeconfig, ctx.driver.context):
        return False
    try:
        identity.verify(ctx.kubeconfig, ctx.driver.context, live_identity(ctx))
    except (WrongCluster, ApiUnreachable):
        return False
    ctx.verified = True
    return True


def stamp_identity(ctx) -> None:
    seen = endpoint(ctx.kubeconfig, ctx.driver.context)
    if seen is None:
        raise ClusterFailed(f"{ctx.profile.cluster.driver} did not write context {ctx.driver.context!r} "
                            f"into {ctx.kubeconfig}")
    stamp = identity.new_stamp(ctx.profile.name, ctx.driver.context, seen)
    ctx.kubectl.apply(json.dumps(identity.configmap(stamp)))
    identity.remember(ctx.kubeconfig, stamp)
    ctx.stamped = True


def live_identity(ctx) -> str | None:
    found = ctx.api.get(paths.item("ConfigMap", identity.NAMESPACE, identity.CONFIGMAP))
    return ((found or {}).get("data") or {}).get("id")


def verify_identity(ctx, api_may_be_down: bool = False) -> None:
    """WrongCluster unless the context still points at the cluster clusterctl created (--force skips).

    The kubeconfig is compared first: it costs nothing and a context pointing elsewhere is never called."""
    if ctx.force:
        return
    stamp = identity.verify_endpoint(ctx.kubeconfig, ctx.driver.context)
    try:
        live = live_identity(ctx)
    except ApiUnreachable:
        if not api_may_be_down:
            raise
        live = stamp.id  # a dead API server: the matching local record has to do
    identity.verify_live(stamp, live)


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
            verify_identity(ctx)
        except WrongCluster:
            if ctx.adopt:
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
        if ctx.driver.state() is ClusterState.RUNNING:
            return Check(True, f"running (context {ctx.driver.context})")
        raise ClusterctlError(
            f"cluster {ctx.profile.cluster.name!r} is not running",
            hint=f"run `clusterctl up {ctx.profile.name}` first",
        )

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
        if ctx.driver.state() is ClusterState.ABSENT:
            identity.forget(ctx.kubeconfig, ctx.driver.context)
            return Check(True, "already absent")
        if identity.half_made(ctx.kubeconfig, ctx.driver.context):
            return Check(False)  # ours, stopped before it was stamped
        try:
            verify_identity(ctx, api_may_be_down=True)
        except WrongCluster as exc:
            raise WrongCluster(exc.message, hint="if you do mean to delete it, `clusterctl down --force`")
        return Check(False)

    def run(self, ctx) -> str:
        ctx.driver.delete()
        identity.forget(ctx.kubeconfig, ctx.driver.context)
        return "deleted"
