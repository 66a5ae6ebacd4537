"""Turn the profile's manifests into what is applied: images pinned to the freshly built immutable
tags, the pull secret wired in, ownership labels added, and Namespaces and CRDs first in each batch."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field

from clusterctl.imageref import same_repository

MANAGED_BY = "app.kubernetes.io/managed-by"
PROFILE_LABEL = "clusterctl.dev/profile"
HASH_ANNOTATION = "clusterctl.dev/applied-hash"

_CLUSTER_SCOPED = {
    "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PersistentVolume",
    "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "APIService",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "Node",
}
_FIRST = {"Namespace": 0, "CustomResourceDefinition": 1}


@dataclass
class RenderedObject:
    obj: dict
    source: str  # file:line, for messages

    @property
    def kind(self) -> str:
        return self.obj["kind"]

    @property
    def name(self) -> str:
        return self.obj["metadata"].get("name", "")

    @property
    def namespace(self) -> str | None:
        return self.obj["metadata"].get("namespace")

    @property
    def key(self) -> str:
        return f"{self.kind.lower()}/{self.name}"


@dataclass
class Batch:
    label: str  # the manifest entry as the profile names it
    objects: list[RenderedObject] = field(default_factory=list)


def apply_order(objects: list[RenderedObject]) -> list[list[RenderedObject]]:
    """Namespaces and CRDs first (applied and established), then everything else in file order."""
    first = [o for o in objects if o.kind in _FIRST]
    rest = [o for o in objects if o.kind not in _FIRST]
    return [p for p in (sorted(first, key=lambda o: _FIRST[o.kind]), rest) if p]


def pod_spec(obj: dict) -> dict | None:
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
    template = spec.get("template")
    return template.get("spec") if isinstance(template, dict) else None


def containers(spec: dict) -> list[dict]:
    return [c for key in ("initContainers", "containers") for c in spec.get(key) or [] if isinstance(c, dict)]


def uses_image(obj: dict, repository: str) -> bool:
    spec = pod_spec(obj)
    return bool(spec) and any(same_repository(c.get("image", ""), repository) for c in containers(spec))


@dataclass
class Wiring:
    refs: dict[str, str]  # image repository -> ref to deploy
    namespace: str
    profile: str
    pull_secret: str | None = None
    load_mode: bool = True
    notes: list[str] = field(default_factory=list)


def render(obj: dict, wiring: Wiring, cluster_scoped: set[str], source: str) -> RenderedObject:
    obj = json.loads(json.dumps(obj))  # plain dicts, detached from the parsed file
    meta = obj.setdefault("metadata", {})
    if obj["kind"] not in _CLUSTER_SCOPED | cluster_scoped and not meta.get("namespace"):
        meta["namespace"] = wiring.namespace
    labels = meta.setdefault("labels", {})
    labels[MANAGED_BY] = "clusterctl"
    labels[PROFILE_LABEL] = wiring.profile
    _wire_pod_spec(obj, wiring, source)
    meta.setdefault("annotations", {})[HASH_ANNOTATION] = content_hash(obj)
    return RenderedObject(obj, source)


def _wire_pod_spec(obj: dict, wiring: Wiring, source: str) -> None:
    spec = pod_spec(obj)
    if not spec:
        return
    ours = False
    for container in containers(spec):
        for repository, ref in wiring.refs.items():
            if same_repository(container.get("image", ""), repository):
                container["image"] = ref
                ours = True
                if wiring.load_mode and container.get("imagePullPolicy") == "Always":
                    # A loaded image exists only on the node: pulling it can never succeed.
                    container["imagePullPolicy"] = "IfNotPresent"
                    wiring.notes.append(f"{source}: {obj['kind']}/{obj['metadata'].get('name')} container "
                                        f"{container.get('name')!r}: imagePullPolicy Always -> IfNotPresent "
                                        "(the image is loaded into the node, not pulled)")
    if ours and wiring.pull_secret:
        secrets = spec.setdefault("imagePullSecrets", [])
        if {"name": wiring.pull_secret} not in secrets:
            secrets.append({"name": wiring.pull_secret})


def content_hash(obj: dict) -> str:
    clean = copy.deepcopy(obj)
    meta = clean.get("metadata", {})
    meta.get("annotations", {}).pop(HASH_ANNOTATION, None)
    if meta.get("annotations") == {}:
        del meta["annotations"]
    return hashlib.sha256(json.dumps(clean, sort_keys=True).encode()).hexdigest()[:16]


def crd_cluster_kinds(docs: list[dict]) -> set[str]:
    return {
        (d.get("spec") or {}).get("names", {}).get("kind", "")
        for d in docs
        if d.get("kind") == "CustomResourceDefinition" and (d.get("spec") or {}).get("scope") == "Cluster"
    }
