"""ControllerRevisions: the template history StatefulSets and DaemonSets roll between."""
from __future__ import annotations

import copy

from .objects import APPS, controller_ref, delete, owned, template_hash

HASH_LABEL = "controller.kubernetes.io/hash"


def ensure(store, owner: dict) -> dict:
    """The revision of the owner's current template, created or promoted to the newest."""
    template = owner["spec"]["template"]
    h = template_hash(template)
    name = f"{owner['metadata']['name']}-{h}"
    revisions = owned(store, APPS, "ControllerRevision", owner)
    newest = max((r.get("revision", 0) for r in revisions), default=0)
    existing = next((r for r in revisions if r["metadata"]["name"] == name), None)
    if existing is None:
        labels = {**((template.get("metadata") or {}).get("labels") or {}), HASH_LABEL: h}
        data = {"spec": {"template": {**copy.deepcopy(template), "$patch": "replace"}}}
        existing = store.create({
            "apiVersion": APPS, "kind": "ControllerRevision",
            "metadata": {"name": name, "namespace": owner["metadata"]["namespace"],
                         "labels": labels, "ownerReferences": [controller_ref(owner)]},
            "data": data, "revision": newest + 1})
        revisions.append(existing)
    elif existing.get("revision", 0) < newest:
        existing["revision"] = newest + 1
        existing = store.update(existing)
    _prune(store, owner, revisions, keep={name, (owner.get("status") or {}).get("currentRevision")})
    return existing


def hash_of(revision: dict) -> str:
    return revision["metadata"]["labels"][HASH_LABEL]


def _prune(store, owner: dict, revisions: list[dict], keep: set) -> None:
    limit = owner["spec"].get("revisionHistoryLimit", 10)
    spare = sorted((r for r in revisions if r["metadata"]["name"] not in keep),
                   key=lambda r: r.get("revision", 0))
    for rev in spare[:max(0, len(spare) - limit)]:
        delete(store, rev)
