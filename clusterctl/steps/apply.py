"""Apply the rendered manifests, batch by batch, skipping every object whose live copy already carries
the same content hash."""

from __future__ import annotations

import json

from clusterctl.manifests.bundle import render_batches
from clusterctl.manifests.render import HASH_ANNOTATION, RenderedObject, apply_order, uses_image
from clusterctl.runner import Command
from clusterctl.steps.base import Check


def as_stream(objects: list[dict]) -> str:
    """Concatenated JSON documents: kubectl validates each object by its own kind (a List has no schema).
    No `---` between them: kubectl reads a stream that starts with `{` as JSON, where `---` is a syntax error."""
    return "\n".join(json.dumps(o) for o in objects) + "\n"


def _identity(obj: dict) -> tuple[str, str, str]:
    meta = obj.get("metadata") or {}
    return obj.get("kind", ""), meta.get("namespace") or "", meta.get("name", "")


class ApplyManifests:
    name = "apply"
    phase = "apply"

    def title(self, ctx) -> str:
        return f"Apply {len(ctx.profile.manifests)} manifest source{'s' if len(ctx.profile.manifests) != 1 else ''}"

    def plan(self, ctx) -> list[Command]:
        return [ctx.kubectl.apply_command(f"<{source.path}>") for source in ctx.profile.manifests]

    def selected(self, ctx) -> list[list[RenderedObject]]:
        """Per batch, the objects this run owns: all of them, or for redeploy those using the image."""
        batches = render_batches(ctx)
        if not ctx.only_image:
            return [b.objects for b in batches]
        repository = ctx.images[0].repository
        return [[o for o in b.objects if uses_image(o.obj, repository)] for b in batches]

    def stale(self, ctx) -> list[list[RenderedObject]]:
        batches = self.selected(ctx)
        objects = [o for batch in batches for o in batch]
        if not objects:
            return [[] for _ in batches]
        result = ctx.runner.run(ctx.kubectl.command("get", "--ignore-not-found", "-o", "json", "-f", "-",
                                                    stdin=as_stream([o.obj for o in objects])))
        live: dict[tuple, str] = {}
        if result.ok and result.stdout.strip():
            found = json.loads(result.stdout)
            for item in found.get("items", [found]) if found.get("kind") == "List" else [found]:
                annotations = (item.get("metadata") or {}).get("annotations") or {}
                live[_identity(item)] = annotations.get(HASH_ANNOTATION, "")
        wanted = lambda o: live.get(_identity(o.obj)) != o.obj["metadata"]["annotations"][HASH_ANNOTATION]
        return [[o for o in batch if wanted(o)] for batch in batches]

    def check(self, ctx) -> Check:
        if not any(self.selected(ctx)):
            return Check(True, "nothing to apply")
        self.todo = self.stale(ctx)
        return Check(not any(self.todo), "unchanged")

    def run(self, ctx) -> str:
        applied = []
        for objects in self.todo:
            for phase in apply_order(objects):
                ctx.kubectl.apply(as_stream([o.obj for o in phase]))
                crds = [o.name for o in phase if o.kind == "CustomResourceDefinition"]
                if crds:
                    ctx.kubectl.run("wait", "--for", "condition=established", "--timeout=60s",
                                    *[f"crd/{name}" for name in crds]).check()
                applied += [o.key for o in phase]
        return f"{len(applied)} object{'s' if len(applied) != 1 else ''} applied"

