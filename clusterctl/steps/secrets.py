"""Write the profile's Secrets (and the image pull secret) from the environment, through the API.

Not `kubectl apply`: client-side apply keeps a second copy of the Secret in its last-applied annotation,
and when the server refuses the patch kubectl prints the patch, that copy's base64 data included
(kubernetes/kubectl pkg/cmd/apply/apply.go @ v0.32.4). Nor server-side apply: a field manager other than
`kubectl` leaves an older client-side copy where it is (apimachinery managedfields lastappliedupdater.go).
A Secret is created, or replaced from its live copy (which drops that annotation), or, when its type
changed (the API server never updates a type: ValidateSecretUpdate), deleted and created again. Only the
API's Status message is ever passed on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from clusterctl.errors import ApplyRejected
from clusterctl.kube import paths
from clusterctl.kube.api import Refused
from clusterctl.secrets import desired_secrets, pull_secret_warning
from clusterctl.steps.base import Check

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


@dataclass(frozen=True)
class SecretWrite:
    """A plan line: which Secret is written and how, never a value."""

    namespace: str
    name: str
    type: str
    keys: tuple[str, ...]

    def display(self) -> str:
        return (f"write Secret {self.namespace}/{self.name} ({self.type}; keys {', '.join(self.keys)}; values from "
                "the environment, not shown) through the API: create it, replace it, or delete and create it "
                "again if its type changed")


class EnsureSecrets:
    name = "secrets"
    phase = "cluster"  # preparing the cluster for the app, before any build

    def title(self, ctx) -> str:
        return "Ensure secrets"

    def plan(self, ctx) -> list[SecretWrite]:
        profile = ctx.profile
        writes = [SecretWrite(profile.namespace, s.name, s.type, tuple(key for key, _ in s.from_env))
                  for s in profile.secrets]
        if profile.shipping.pull_secret:
            writes.append(SecretWrite(profile.namespace, profile.shipping.pull_secret,
                                      "kubernetes.io/dockerconfigjson", (".dockerconfigjson",)))
        return writes

    def check(self, ctx) -> Check:
        if not (ctx.profile.secrets or ctx.profile.shipping.pull_secret):
            return Check(True, "none declared")
        warning = pull_secret_warning(ctx.profile)
        if warning:
            ctx.notes.append(warning)
        self.todo = []
        for doc in desired_secrets(ctx.profile):
            meta = doc["metadata"]
            live = ctx.api.get(paths.item("Secret", meta["namespace"], meta["name"]))
            if _stale(doc, live):
                self.todo.append((doc, live))
        return Check(not self.todo, "up to date")

    def run(self, ctx) -> str:
        return "; ".join(_write(ctx, doc, live) for doc, live in self.todo)


def _stale(doc: dict, live: dict | None) -> bool:
    """Compared in memory; neither value is ever printed."""
    if not live:
        return True
    meta = live.get("metadata") or {}
    labels = meta.get("labels") or {}
    return (live.get("data") != doc["data"] or live.get("type") != doc["type"]
            or LAST_APPLIED in (meta.get("annotations") or {})  # written by an older clusterctl's kubectl apply
            or any(labels.get(k) != v for k, v in doc["metadata"]["labels"].items()))


def _write(ctx, doc: dict, live: dict | None) -> str:
    meta = doc["metadata"]
    collection = paths.collection("Secret", meta["namespace"])
    item = f"{collection}/{meta['name']}"
    if live is None:
        _send(ctx, meta, "POST", collection, doc)
        return f"secret/{meta['name']} created"
    if live.get("type") == doc["type"]:
        _send(ctx, meta, "PUT", item, _replacement(doc, live), immutable=bool(live.get("immutable")))
        return f"secret/{meta['name']} updated"
    _send(ctx, meta, "DELETE", item)
    _send(ctx, meta, "POST", collection, doc, deleted=True)
    return (f"secret/{meta['name']} recreated: its type changed from {live.get('type')} to {doc['type']}, "
            "which the API server never updates in place")


def _send(ctx, meta: dict, method: str, path: str, body: dict | None = None, *, immutable: bool = False,
          deleted: bool = False) -> None:
    try:
        ctx.api.write(method, path, body)
    except Refused as refused:
        if method == "DELETE" and refused.code == 404:
            return  # gone already
        raise _rejected(ctx, meta, refused, immutable, deleted) from None


def _replacement(doc: dict, live: dict) -> dict:
    """The live Secret with the profile's data, type and labels, and without the last-applied copy: a PUT
    keeps what others added (annotations, labels, owners) and fails if it changed meanwhile."""
    new = copy.deepcopy(live)
    new.pop("stringData", None)
    new.update(type=doc["type"], data=doc["data"])
    meta = new["metadata"]
    meta.pop("managedFields", None)  # left out, the server keeps its own record
    meta["labels"] = {**(meta.get("labels") or {}), **doc["metadata"]["labels"]}
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if k != LAST_APPLIED}
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    return new


def _rejected(ctx, meta: dict, refused: Refused, immutable: bool, deleted: bool) -> ApplyRejected:
    where = f"Secret {meta['namespace']}/{meta['name']}"
    if deleted:
        message = f"{where} was deleted to change its type, and the API server refused to create it again: "
    else:
        message = f"the API server refused {where}: "
    delete = f"kubectl --context {ctx.driver.context} -n {meta['namespace']} delete secret {meta['name']}"
    if immutable:
        hint = f"the Secret is marked immutable, so its data never changes: delete it (`{delete}`) and rerun `up`"
    else:
        hint = (f"fix what the API server names (secret {meta['name']!r} in the profile, or the policy or webhook "
                "that refused it) and rerun `up`; the Secret's values are never shown")
    return ApplyRejected(message + refused.message, hint=hint)
