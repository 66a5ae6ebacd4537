"""Build the images, in parallel, tagged by the hash of their inputs: unchanged inputs build nothing."""

from __future__ import annotations

from clusterctl.errors import BuildFailed
from clusterctl.parallel import run_bounded
from clusterctl.runner import Command
from clusterctl.steps.base import Check


class BuildImages:
    name = "build"
    phase = "build"

    def title(self, ctx) -> str:
        return f"Build {len(ctx.images)} image{'s' if len(ctx.images) != 1 else ''}"

    def plan(self, ctx) -> list[Command]:
        # The builds get --load when the first command finds buildx (a dry run cannot ask it).
        builds = [ctx.docker.build_command(i, ctx.ref(i), ctx.tags[i.name]) for i in ctx.images]
        return [ctx.docker.buildx_version_command(), *builds] if builds else []

    def _missing(self, ctx):
        refs = {i.name: ctx.ref(i) for i in ctx.images}
        present = ctx.docker.present(list(refs.values()))
        return [i for i in ctx.images if refs[i.name] not in present]

    def check(self, ctx) -> Check:
        self.todo = self._missing(ctx) if ctx.images else []
        return Check(not self.todo, "unchanged, already built" if ctx.images else "no images")

    def run(self, ctx) -> str:
        missing = self.todo
        load = ctx.docker.builds_with_buildx()  # asked once, before the builds run in parallel

        def build(image) -> None:
            ctx.docker.build(image, ctx.ref(image), ctx.tags[image.name], ctx.console.tool_output(image.name), load)

        run_bounded(missing, build, ctx.profile.build.parallelism, lambda i: f"image {i.name!r}", BuildFailed)
        return ", ".join(f"{i.name}:{ctx.tags[i.name]}" for i in missing)
