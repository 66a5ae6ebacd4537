"""PATCH bodies: strategic merge (lists merged by their keys), JSON merge and JSON patch."""
from __future__ import annotations

import copy
import json

import yaml

STRATEGIC = "application/strategic-merge-patch+json"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"
TYPES = (JSON_PATCH, MERGE, APPLY, STRATEGIC)

# Lists the real types merge element-wise, by field name -> merge key.
_MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "env": "name", "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "imagePullSecrets": "name", "hostAliases": "ip", "conditions": "type",
    "ownerReferences": "uid", "ports": None,  # containerPort or port, see _key_for
}


class PatchError(ValueError):
    """The body cannot be applied (400 BadRequest / 422)."""


def parse_body(raw: bytes, content_type: str):
    text = raw.decode() if raw else "{}"
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        if content_type == APPLY:
            return yaml.safe_load(text)
        raise PatchError("the request body is not valid JSON")


def apply(content_type: str, live: dict, patch) -> dict:
    if content_type == STRATEGIC:
        return strategic_merge(live, patch)
    if content_type in (MERGE, APPLY):
        return merge_patch(live, patch)
    return json_patch(live, patch)


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list) and key in _MERGE_KEYS and isinstance(result.get(key), list):
            result[key] = _merge_list(result[key], value, _key_for(key, value + result[key]))
        elif isinstance(value, dict):
            result[key] = strategic_merge(result.get(key), value)
        else:
            result[key] = copy.deepcopy(value)
    _apply_directives(result, patch)
    return result


def _apply_directives(result: dict, patch: dict) -> None:
    for key, value in patch.items():
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            if isinstance(result.get(field), list):
                result[field] = [v for v in result[field] if v not in value]
    retain = patch.get("$retainKeys")
    if isinstance(retain, list):
        for key in [k for k in result if k not in retain]:
            del result[key]


def _key_for(field: str, items: list) -> str:
    if _MERGE_KEYS[field]:
        return _MERGE_KEYS[field]
    has_container_port = any(isinstance(i, dict) and "containerPort" in i for i in items)
    return "containerPort" if has_container_port else "port"


def _merge_list(live: list, patch: list, key: str) -> list:
    if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
        return [copy.deepcopy(i) for i in patch if not (isinstance(i, dict) and "$patch" in i)]
    result = copy.deepcopy(live)
    for item in patch:
        if not isinstance(item, dict):
            return copy.deepcopy(patch)  # primitive lists are replaced
        at = next((n for n, cur in enumerate(result)
                   if isinstance(cur, dict) and cur.get(key) == item.get(key)), None)
        if item.get("$patch") == "delete":
            if at is not None:
                del result[at]
        elif at is None:
            result.append(strategic_merge({}, item))
        else:
            result[at] = strategic_merge(result[at], item)
    return result


def json_patch(target: dict, ops) -> dict:
    """RFC 6902."""
    if not isinstance(ops, list):
        raise PatchError("json patch must be a list of operations")
    doc = copy.deepcopy(target)
    for op in ops:
        doc = _json_patch_op(doc, op)
    return doc


def _json_patch_op(doc, op: dict):
    kind, path = op.get("op"), op.get("path", "")
    if kind == "test":
        if _get(doc, path) != op.get("value"):
            raise PatchError(f"testing value {path} failed")
        return doc
    if kind in ("move", "copy"):
        value = copy.deepcopy(_get(doc, op.get("from", "")))
        if kind == "move":
            doc = _set(doc, op["from"], None, remove=True)
        return _set(doc, path, value)
    if kind == "remove":
        return _set(doc, path, None, remove=True)
    if kind in ("add", "replace"):
        return _set(doc, path, copy.deepcopy(op.get("value")), replace=kind == "replace")
    raise PatchError(f"Unexpected kind: {kind}")


def _tokens(path: str) -> list[str]:
    if path == "":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in path.lstrip("/").split("/")]


def _get(doc, path: str):
    return _walk(doc, _tokens(path), path)


def _walk(doc, tokens: list[str], path: str):
    for token in tokens:
        try:
            doc = doc[int(token)] if isinstance(doc, list) else doc[token]
        except (KeyError, IndexError, ValueError, TypeError):
            raise PatchError(f"path {path} not found") from None
    return doc


def _set(doc, path: str, value, remove: bool = False, replace: bool = False):
    tokens = _tokens(path)
    if not tokens:
        return value
    parent = _walk(doc, tokens[:-1], path)
    last = tokens[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if remove or replace:
            if index >= len(parent):
                raise PatchError(f"path {path} not found")
            if remove:
                del parent[index]
            else:
                parent[index] = value
        else:
            parent.insert(index, value)
    elif isinstance(parent, dict):
        if (remove or replace) and last not in parent:
            raise PatchError(f"path {path} not found")
        if remove:
            del parent[last]
        else:
            parent[last] = value
    else:
        raise PatchError(f"path {path} not found")
    return doc
