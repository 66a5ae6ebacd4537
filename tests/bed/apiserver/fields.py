"""What the served Kubernetes version knows of an object's fields, as its decoder and strategy see them.

* Unknown fields: the real server decodes into its Go types, so a field the version does not have is
  never stored. With `fieldValidation=Strict` (kubectl's default `--validate=strict`) that is an error,
  with `Warn` (the server's default) a `Warning` header, with `Ignore` nothing
  (kubernetes/apiserver pkg/endpoints/handlers/create.go, patch.go @ v0.30.0; the message is
  apimachinery pkg/runtime/error.go `strictDecodingError` and pkg/runtime/converter.go
  `recordUnknownField` @ v0.30.0: `strict decoding error: unknown field "spec.x[0].y"`).
  The fields each version has are read from the OpenAPI schemas the kubernetes-validate package ships
  (generated from each release's own OpenAPI document).
* Disabled feature gates: in 1.29 PodLifecycleSleepAction is alpha and off, so the pod strategy drops
  `lifecycle.preStop.sleep`/`postStart.sleep` unless the old object used it (kubernetes/kubernetes
  pkg/api/pod/util.go `dropPodLifecycleSleepAction`; gate table pkg/features/kube_features.go: alpha
  1.29, beta and on 1.30). 1.29.0 left the emptied handler behind, which validation then rejects with
  "must specify a handler type" (kubernetes/kubernetes#122488, server v1.29.0); that is what is served.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path

from .errors import Invalid

_SCHEMA_DIR = re.compile(r"^v1\.(\d+)\.0-local-strict$")
_SLEEP_GATE_ON_FROM = 30  # PodLifecycleSleepAction: beta and on by default from 1.30
_SLEEP_FIELD_FROM = 29  # the field exists (alpha) from 1.29


class StrictDecodingError(Exception):
    def __init__(self, unknown: list[str]):
        self.unknown = unknown
        super().__init__("strict decoding error: " + ", ".join(f'unknown field "{p}"' for p in unknown))


def minor(k8s_version: str) -> int:
    return int(k8s_version.lstrip("v").split(".")[1])


@functools.lru_cache(maxsize=4)
def _definitions(served_minor: int) -> dict | None:
    """The `$defs` of the newest shipped schema set not newer than the served version."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
    shipped = {int(m.group(1)): p for p in root.iterdir() if (m := _SCHEMA_DIR.match(p.name))}
    usable = [m for m in shipped if m <= served_minor]
    if not usable:
        return None
    defs = json.loads((shipped[max(usable)] / "_definitions.json").read_text())["$defs"]
    kinds = {}
    for name, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            kinds[(gvk["group"], gvk["version"], gvk["kind"])] = name
    return {"defs": defs, "kinds": kinds}


def unknown_fields(obj: dict, k8s_version: str) -> list[str]:
    """Paths of the fields this version has no place for, as the strict decoder names them."""
    loaded = _definitions(minor(k8s_version))
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    name = loaded and loaded["kinds"].get((group, version, obj.get("kind")))
    if not name:
        return []  # custom resources and kinds without a schema: nothing to say
    found: list[str] = []
    _walk(obj, {"$ref": f"#/$defs/{name}"}, "", loaded["defs"], found)
    return found


def prune(obj: dict, paths: list[str]) -> None:
    """Remove the unknown fields, as decoding into the typed object does."""
    for path in paths:
        parent, key = _locate(obj, path)
        if isinstance(parent, dict):
            parent.pop(key, None)


def _walk(value, schema: dict, path: str, defs: dict, found: list[str]) -> None:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(value, dict):
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if props is not None and key in props:
                _walk(item, props[key], child, defs, found)
            elif isinstance(extra, dict):
                _walk(item, extra, child, defs, found)
            elif props is not None and extra is False:
                found.append(child)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            _walk(item, schema["items"], f"{path}[{i}]", defs, found)


def _locate(obj, path: str):
    steps = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    node = obj
    for step in steps[:-1]:
        node = node[int(step[1:-1])] if step.startswith("[") else node.get(step)
        if node is None:
            return None, None
    return node, steps[-1]


_POD_TEMPLATE_PATHS = {"Pod": ("spec",), "PodTemplate": ("template", "spec"),
                       "CronJob": ("spec", "jobTemplate", "spec", "template", "spec")}


def pod_spec_path(kind: str) -> tuple[str, ...] | None:
    if kind in _POD_TEMPLATE_PATHS:
        return _POD_TEMPLATE_PATHS[kind]
    if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"):
        return ("spec", "template", "spec")
    return None


def drop_disabled(obj: dict, old: dict | None, k8s_version: str) -> None:
    """The pod strategy's dropDisabledFields for the gates this bed models."""
    if not _SLEEP_FIELD_FROM <= minor(k8s_version) < _SLEEP_GATE_ON_FROM:
        return  # before 1.29 the decoder already refused or pruned the field; from 1.30 it is on
    path = pod_spec_path(str(obj.get("kind")))
    if path is None or _uses_sleep(_dig(old, path)):
        return
    for container in _containers(_dig(obj, path)):
        lifecycle = container.get("lifecycle")
        for hook in ("preStop", "postStart"):
            handler = lifecycle.get(hook) if isinstance(lifecycle, dict) else None
            if isinstance(handler, dict):
                handler.pop("sleep", None)


def _dig(obj, path):
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _containers(spec) -> list[dict]:
    if not isinstance(spec, dict):
        return []
    return [c for key in ("initContainers", "containers", "ephemeralContainers")
            for c in (spec.get(key) or []) if isinstance(c, dict)]


def _uses_sleep(spec) -> bool:
    return any(isinstance(c.get("lifecycle"), dict) and
               any(isinstance(h, dict) and "sleep" in h for h in c["lifecycle"].values())
               for c in _containers(spec))


def check(obj: dict, old: dict | None, k8s_version: str, directive: str, warnings: list[str]) -> None:
    """Strict: raise StrictDecodingError; Warn: add warnings; every directive: prune, then drop gated."""
    unknown = unknown_fields(obj, k8s_version)
    if unknown and directive == "Strict":
        raise StrictDecodingError(unknown)
    if directive == "Warn":
        warnings.extend(f'unknown field "{p}"' for p in unknown)
    prune(obj, unknown)
    drop_disabled(obj, old, k8s_version)


def invalid_patch(patch: object, err: StrictDecodingError) -> Invalid:
    """patch.go answers a strict error on a patched object as Invalid on the field `patch`."""
    return Invalid("", "", [("patch", f'Invalid value: "{go_value(patch)}": {err}')])


def go_value(value) -> str:
    """Go's %+v of a decoded JSON value (maps print sorted by key)."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
