"""What a profile owns on the cluster: every object carrying its labels, found by one labelled LIST per
served resource type (the idea of kubectl's `apply --prune` and ApplySet: membership is a label, not a
file). What the current render no longer contains is what `up` prunes and `down --keep-cluster` deletes.
"""

from __future__ import annotations

from dataclasses import dataclass

from clusterctl.errors import ApiUnreachable
from clusterctl.manifests.bundle import render_batches
from clusterctl.manifests.render import MANAGED_BY, PROFILE_LABEL
from clusterctl.steps.namespace import namespace_object


@dataclass(frozen=True)
class Ref:
    group: str  # not the version: the server lists an object under its group's preferred version
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, obj: dict) -> "Ref":
        meta = obj.get("metadata") or {}
        return cls(obj["apiVersion"].rpartition("/")[0], obj["kind"], meta.get("namespace") or "",
                   meta.get("name", ""))


def selector(profile_name: str) -> str:
    return f"{MANAGED_BY}=clusterctl,{PROFILE_LABEL}={profile_name}"


def applied(ctx) -> list[dict]:
    """Every object this run of the profile applies, in this order: the render, its Secrets, its namespace."""
    namespace = ctx.profile.namespace
    secrets = [s.name for s in ctx.profile.secrets] + [n for n in [ctx.profile.shipping.pull_secret] if n]
    return ([o.obj for batch in render_batches(ctx) for o in batch.objects]
            + [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": namespace}}
               for name in secrets]
            + [namespace_object(ctx)])


def dropped(ctx) -> list[dict]:
    """Objects labelled as this profile's that the current render does not contain."""
    keep = {Ref.of(o) for o in applied(ctx)}
    return [o for o in labelled(ctx) if Ref.of(o) not in keep]


def labelled(ctx) -> list[dict]:
    """{apiVersion, kind, metadata{name, namespace}} of every live object carrying the profile's labels,
    except those a controller owns (they go with their owner) and those already being deleted."""
    found = []
    query = {"labelSelector": selector(ctx.profile.name)}
    for api_version, plural, kind in _listable(ctx):
        try:
            listing = ctx.api.get(f"{_prefix(api_version)}/{plural}", query) or {}
        except ApiUnreachable as exc:
            ctx.notes.append(f"could not list {plural} ({api_version}) to find what to prune: {exc}")
            continue
        for item in listing.get("items") or []:
            meta = item.get("metadata") or {}
            owned = any(r.get("controller") for r in meta.get("ownerReferences") or [])
            if owned or meta.get("deletionTimestamp"):
                continue
            stub = {"name": meta.get("name", "")}
            if meta.get("namespace"):
                stub["namespace"] = meta["namespace"]
            found.append({"apiVersion": api_version, "kind": kind, "metadata": stub})
    return found


def _listable(ctx) -> list[tuple[str, str, str]]:
    """(apiVersion, plural, kind) of every resource the server lets us list and delete, each group at
    its preferred version."""
    versions = ["v1"] + [g["preferredVersion"]["groupVersion"]
                         for g in (ctx.api.get("/apis") or {}).get("groups") or [] if g.get("preferredVersion")]
    out = []
    for api_version in versions:
        try:
            resources = (ctx.api.get(_prefix(api_version)) or {}).get("resources") or []
        except ApiUnreachable as exc:  # an aggregated API whose backend is down answers 503
            ctx.notes.append(f"could not discover {api_version} to find what to prune: {exc}")
            continue
        out += [(api_version, r["name"], r["kind"]) for r in resources
                if "/" not in r["name"] and {"list", "delete"} <= set(r.get("verbs") or [])]
    return out


def _prefix(api_version: str) -> str:
    return "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
