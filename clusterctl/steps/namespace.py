"""Ensure the target namespace exists, owned by the profile."""

from __future__ import annotations

import json

from clusterctl.kube import paths
from clusterctl.manifests.render import MANAGED_BY, PROFILE_LABEL
from clusterctl.runner import Command
from clusterctl.steps.base import Check


def namespace_manifest(ctx) -> str:
    doc = {"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": ctx.profile.namespace,
                        "labels": {MANAGED_BY: "clusterctl", PROFILE_LABEL: ctx.profile.name}}}
    return json.dumps(doc)


class EnsureNamespace:
    name = "namespace"
    phase = "cluster"  # preparing the cluster for the app, before any build

    def title(self, ctx) -> str:
        return f"Ensure namespace {ctx.profile.namespace!r}"

    def plan(self, ctx) -> list[Command]:
        return [ctx.kubectl.apply_command(namespace_manifest(ctx))]

    def check(self, ctx) -> Check:
        live = ctx.api.get(paths.item("Namespace", None, ctx.profile.namespace))
        if live and (live.get("status") or {}).get("phase") != "Terminating":
            return Check(True, "exists")
        return Check(False)

    def run(self, ctx) -> str:
        ctx.kubectl.apply(namespace_manifest(ctx))
        return "created"
