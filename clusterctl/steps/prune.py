"""Delete what an earlier `up` of the profile applied and the profile no longer renders (a manifest
dropped from the profile, an object removed from a file): found by the profile's labels."""

from __future__ import annotations

from clusterctl.inventory import dropped, selector
from clusterctl.runner import Command
from clusterctl.steps.apply import as_stream
from clusterctl.steps.base import Check


class PruneDropped:
    name = "prune"
    phase = "apply"

    def title(self, ctx) -> str:
        return f"Prune what profile {ctx.profile.name!r} no longer renders"

    def plan(self, ctx) -> list[Command]:
        return [ctx.kubectl.delete_command(f"<objects labelled {selector(ctx.profile.name)} not in the render>")]

    def check(self, ctx) -> Check:
        self.todo = dropped(ctx)
        return Check(not self.todo, "nothing dropped")

    def run(self, ctx) -> str:
        ctx.runner.run(ctx.kubectl.delete_command(as_stream(self.todo))).check(
            hint="delete them by hand (`kubectl delete`) or put them back into the profile")
        return "pruned " + ", ".join(f"{o['kind'].lower()}/{o['metadata']['name']}" for o in self.todo)
