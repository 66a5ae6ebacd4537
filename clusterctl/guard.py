"""The identity guard: the one function that stands before every request to a context's API server.

Order: compare the context's server and CA with the record (local files, no request), then ask the
cluster for its identity stamp. A context pointing at another cluster is refused before anything, even a
GET, is sent with its credentials. --adopt (VerifyIdentity) and --force decide only after the comparison.

A driver that publishes its API on a new loopback port at each start (minikube's docker driver on
macOS, Windows, WSL and rootless docker) keeps its CA. But minikube's CA is shared by every profile of
one MINIKUBE_HOME, so the CA proves only "one of this user's minikube clusters": a loopback port move
with the same CA passes only when minikube itself says the context is where this profile's API is
published now (`minikube status`: Kubeconfig Configured, read from its config and docker). Then the
stamp is asked for, and the record follows the move when it matches. A different CA, another host, a
port move on kind (fixed at creation) or one minikube disowns is refused without a request.
"""

from __future__ import annotations

import time
from dataclasses import replace

from clusterctl import identity
from clusterctl.errors import ApiUnreachable, WrongCluster
from clusterctl.kube import paths


def verify(ctx, api_may_be_down: bool = False) -> None:
    """WrongCluster unless the context still points at the cluster clusterctl created (--force overrides,
    and says so in the report). api_may_be_down: a dead API server leaves the matching record to decide."""
    if ctx.stamped or ctx.verified:
        return
    found = identity.compare(ctx.kubeconfig, ctx.driver.context, ctx.driver.api_port_moves)
    if found.refusal:
        return _refuse(ctx, found.refusal)
    if found.moved and not ctx.driver.context_is_current():
        return _refuse(ctx, WrongCluster(
            f"context {ctx.driver.context!r} now points at {found.seen.server}, which {ctx.driver.tool} does not "
            f"publish for the cluster clusterctl created (recorded at {found.stamp.server}); nothing was sent to it",
            hint=f"`{ctx.driver.tool} update-context -p {ctx.profile.cluster.name}` points it back"))
    try:
        live = live_identity(ctx)
    except ApiUnreachable:
        if api_may_be_down:
            return
        raise
    try:
        identity.verify_live(found.stamp, live)
    except WrongCluster as exc:
        return _refuse(ctx, exc)
    if found.moved:
        identity.remember(ctx.kubeconfig, replace(found.stamp, server=found.seen.server))
        ctx.notes.append(f"the API server of {ctx.driver.context!r} moved from {found.stamp.server} to "
                         f"{found.seen.server} (same CA, same identity stamp); the record follows it")
    ctx.verified = True


def _refuse(ctx, refusal: WrongCluster) -> None:
    if not ctx.force:
        raise refusal
    ctx.notes.append(f"identity check failed and was overridden by --force: {refusal.message}")


def live_identity(ctx) -> str | None:
    found = ctx.api.get(paths.item("ConfigMap", identity.NAMESPACE, identity.CONFIGMAP))
    return ((found or {}).get("data") or {}).get("id")


def wait_answering(ctx, timeout_s: float) -> None:
    """After a stopped cluster was started: verify (which compares first) until its API answers."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return verify(ctx)
        except ApiUnreachable:
            if time.monotonic() >= deadline:
                raise
        time.sleep(0.5)
