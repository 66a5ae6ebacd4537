"""Read every manifest source of the profile, in order, and render it for this run's images."""

from __future__ import annotations

from clusterctl.manifests.render import Batch, Wiring, crd_cluster_kinds, render
from clusterctl.manifests.source import parse_manifest_text, read_manifests


def source_docs(ctx, source) -> list:
    """The parsed documents of one manifest source, read once per run (lint and render share them)."""
    if source.path not in ctx.manifest_docs:
        if source.kind == "kustomize":
            result = ctx.runner.run(ctx.kubectl.kustomize_command(source.path)).check(
                hint=f"fix the kustomization in {source.path}")
            ctx.manifest_docs[source.path] = parse_manifest_text(result.stdout, str(source.path))
        else:
            ctx.manifest_docs[source.path] = read_manifests(source)
    return ctx.manifest_docs[source.path]


def wiring(ctx) -> Wiring:
    shipping = ctx.profile.shipping
    refs = {image.repository: ctx.ref(image) for image in ctx.profile.images}
    return Wiring(refs=refs, namespace=ctx.profile.namespace, profile=ctx.profile.name,
                  pull_secret=shipping.pull_secret, load_mode=shipping.mode == "load")


def render_batches(ctx) -> list[Batch]:
    if ctx.batches is None:
        wired = wiring(ctx)
        sources = [(s, source_docs(ctx, s)) for s in ctx.profile.manifests]
        scoped = crd_cluster_kinds([d.obj for _, docs in sources for d in docs])
        ctx.batches = [
            Batch(str(source.path), [render(d.obj, wired, scoped, f"{d.file}:{d.line}") for d in docs])
            for source, docs in sources
        ]
        ctx.notes.extend(wired.notes)
    return ctx.batches
