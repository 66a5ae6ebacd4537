"""Ensure the target namespace exists, owned by the profile.

A namespace being deleted stays Terminating until its content is gone (pods run their preStop hook and
grace period first), and the API server refuses to create anything in it ("unable to create new content
in namespace X because it is being terminated"). So a Terminating namespace is waited for until it is
gone, then created again: that is what makes `up` right after `down --keep-cluster` work.
"""

from __future__ import annotations

import json

from clusterctl.errors import WaitTimeout
from clusterctl.kube import paths
from clusterctl.manifests.render import MANAGED_BY, PROFILE_LABEL
from clusterctl.runner import Command
from clusterctl.steps.base import Check

WATCH_SECONDS = 30


def namespace_object(ctx) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ctx.profile.namespace,
                         "labels": {MANAGED_BY: "clusterctl", PROFILE_LABEL: ctx.profile.name}}}


def namespace_manifest(ctx) -> str:
    return json.dumps(namespace_object(ctx))


def terminating(namespace: dict | None) -> bool:
    return bool(namespace and (namespace["metadata"].get("deletionTimestamp")
                               or (namespace.get("status") or {}).get("phase") == "Terminating"))


def remaining(namespace: dict) -> str:
    """What the namespace controller says is left (its NamespaceContentRemaining condition)."""
    for condition in (namespace.get("status") or {}).get("conditions") or []:
        if condition.get("status") == "True" and condition.get("type") in (
                "NamespaceContentRemaining", "NamespaceFinalizersRemaining"):
            return condition.get("message", "")
    return "its content is being deleted"


class EnsureNamespace:
    name = "namespace"
    phase = "cluster"  # preparing the cluster for the app, before any build

    def title(self, ctx) -> str:
        return f"Ensure namespace {ctx.profile.namespace!r}"

    def plan(self, ctx) -> list[Command]:
        return [ctx.kubectl.apply_command(namespace_manifest(ctx))]

    def check(self, ctx) -> Check:
        live = ctx.api.get(paths.item("Namespace", None, ctx.profile.namespace))
        self.terminating = terminating(live)
        if live and not self.terminating:
            return Check(True, "exists")
        return Check(False)

    def run(self, ctx) -> str:
        detail = "created"
        if self.terminating:
            seconds = wait_until_gone(ctx, ctx.profile.namespace, ctx.profile.wait.timeout_s)
            detail = f"created after the old one finished terminating ({seconds:.0f}s)"
        ctx.kubectl.apply(namespace_manifest(ctx))
        return detail


def wait_until_gone(ctx, name: str, timeout_s: float) -> float:
    """Follow the namespace with a watch until it is deleted; seconds waited, or WaitTimeout naming it."""
    show = ctx.console.tool_output("namespace")
    started = ctx.clock()
    deadline = started + timeout_s
    said = [""]

    def progress(live: dict) -> None:
        if remaining(live) != said[0]:
            said[0] = remaining(live)
            show(f"waiting for namespace {name!r} to finish terminating: {said[0]}")

    while True:
        live = ctx.api.get(paths.item("Namespace", None, name))
        if not live:
            return ctx.clock() - started
        progress(live)
        left = deadline - ctx.clock()
        if left <= 0:
            raise WaitTimeout(f"namespace {name!r} is still terminating after {timeout_s:g}s: {remaining(live)}",
                              hint=f"see `kubectl describe namespace {name}`; pods with a long "
                                   "terminationGracePeriodSeconds take that long to go")
        for event, obj in ctx.api.watch(paths.collection("Namespace"), live["metadata"].get("resourceVersion", "0"),
                                        max(1, int(min(left, WATCH_SECONDS)))):
            if (obj.get("metadata") or {}).get("name") != name:
                continue
            if event == "DELETED":
                return ctx.clock() - started
            progress(obj)
