"""Create the profile's Secrets (and the image pull secret) from the environment."""

from __future__ import annotations

from clusterctl.kube import paths
from clusterctl.runner import Command
from clusterctl.secrets import desired_secrets, pull_secret_warning
from clusterctl.steps.apply import as_stream
from clusterctl.steps.base import Check


class EnsureSecrets:
    name = "secrets"
    phase = "cluster"  # preparing the cluster for the app, before any build

    def title(self, ctx) -> str:
        return "Ensure secrets"

    def plan(self, ctx) -> list[Command]:
        if not (ctx.profile.secrets or ctx.profile.shipping.pull_secret):
            return []
        return [ctx.kubectl.apply_command("<secrets from the environment>")]

    def _stale(self, ctx) -> list[dict]:
        stale = []
        for doc in desired_secrets(ctx.profile):
            meta = doc["metadata"]
            live = ctx.api.get(paths.item("Secret", meta["namespace"], meta["name"]))
            # Compared in memory; neither value is ever printed.
            if not live or live.get("data") != doc["data"] or live.get("type") != doc["type"]:
                stale.append(doc)
        return stale

    def check(self, ctx) -> Check:
        if not (ctx.profile.secrets or ctx.profile.shipping.pull_secret):
            return Check(True, "none declared")
        warning = pull_secret_warning(ctx.profile)
        if warning:
            ctx.notes.append(warning)
        self.todo = self._stale(ctx)
        return Check(not self.todo, "up to date")

    def run(self, ctx) -> str:
        stale = self.todo
        ctx.kubectl.apply(as_stream(stale))
        return ", ".join(d["metadata"]["name"] for d in stale)
