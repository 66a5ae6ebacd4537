"""Apply the rendered manifests, batch by batch, skipping every object whose live copy already carries
the same content hash and still holds every field the render sets (a hand edit keeps the hash)."""

from __future__ import annotations

import json

from clusterctl.drift import drift
from clusterctl.manifests.bundle import render_batches
from clusterctl.kube.discovery import Discovery
from clusterctl.manifests.render import HASH_ANNOTATION, PROFILE_LABEL, RenderedObject, apply_order, uses_image
from clusterctl.runner import Command
from clusterctl.steps.base import Check


def as_stream(objects: list[dict]) -> str:
    """Concatenated JSON documents: kubectl validates each object by its own kind (a List has no schema).
    No `---` between them: kubectl reads a stream that starts with `{` as JSON, where `---` is a syntax error."""
    return "\n".join(json.dumps(o) for o in objects) + "\n"


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
        """Objects whose live copy lacks this render's hash or drifted from it by hand: one labelled LIST
        per kind and namespace. Drifted ones are remembered in self.drifted for the report."""
        batches = self.selected(ctx)
        discovery = Discovery(ctx.api)
        live: dict[tuple[str, str, str, str], dict] = {}
        listed: set[tuple[str, str, str]] = set()
        for o in (o for batch in batches for o in batch):
            group = (o.obj["apiVersion"], o.kind, o.namespace or "")
            if group in listed:
                continue
            listed.add(group)
            path = discovery.collection(o.obj["apiVersion"], o.kind, o.namespace)
            if path is None:
                continue  # a kind the server does not serve yet (its CRD comes in this apply)
            listing = ctx.api.get(path, {"labelSelector": f"{PROFILE_LABEL}={ctx.profile.name}"}) or {}
            for item in listing.get("items") or []:
                live[(*group, (item.get("metadata") or {}).get("name", ""))] = item
        self.drifted = {}
        todo = []
        for batch in batches:
            todo.append([])
            for o in batch:
                have = live.get((o.obj["apiVersion"], o.kind, o.namespace or "", o.name))
                hashed = ((have or {}).get("metadata") or {}).get("annotations", {}).get(HASH_ANNOTATION)
                if hashed != o.obj["metadata"]["annotations"][HASH_ANNOTATION]:
                    todo[-1].append(o)  # new, or its render changed
                elif changed := drift(o.obj, have):
                    self.drifted[o.key] = changed
                    todo[-1].append(o)
        return todo

    def check(self, ctx) -> Check:
        if not any(self.selected(ctx)):
            return Check(True, "nothing to apply")
        self.todo = self.stale(ctx)
        return Check(not any(self.todo), "unchanged")

    def run(self, ctx) -> str:
        """One kubectl call for the Namespaces and CRDs (then wait until the CRDs are established), one
        for everything else in profile order: kubectl applies a stream in order, and each call costs."""
        applied = []
        for phase in apply_order([o for batch in self.todo for o in batch]):
            ctx.kubectl.apply(as_stream([o.obj for o in phase]))
            crds = [o.name for o in phase if o.kind == "CustomResourceDefinition"]
            if crds:
                ctx.kubectl.run("wait", "--for", "condition=established", "--timeout=60s",
                                *[f"crd/{name}" for name in crds]).check()
            applied += [o.key for o in phase]
        detail = f"{len(applied)} object{'s' if len(applied) != 1 else ''} applied"
        if self.drifted:
            detail += "; put back changes made by hand to " + ", ".join(
                f"{key} ({field})" for key, field in self.drifted.items())
        return detail

