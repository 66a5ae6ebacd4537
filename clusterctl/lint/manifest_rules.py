"""Rules on one manifest document: apiVersion lifecycle, schema, Secrets, namespace, then its pod spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from clusterctl.lint import apiversions, gates, pod_rules
from clusterctl.lint.catalog import finding
from clusterctl.lint.model import Finding
from clusterctl.lint.objects import WORKLOAD_KINDS, line_of, mapping, name_of

_MAX_SCHEMA_ERRORS = 10


@dataclass(frozen=True)
class Target:
    """What the manifests are checked against."""

    version: apiversions.Version | None = None  # None: today's Kubernetes, newest schemas
    namespace: str | None = None  # the namespace objects without one are applied to
    managed_images: tuple[str, ...] = ()  # repositories the profile builds (clusterctl pins their tags)
    floor: apiversions.Version | None = None  # without a pinned version: the oldest the cluster may run

    @property
    def fields_version(self) -> apiversions.Version | None:
        """The version whose fields the objects must use: a field the cluster lacks is refused."""
        return self.version or self.floor


def check(obj: dict, file: str, line: int, target: Target) -> Iterator[Finding]:
    retired = api_lifecycle(obj, file, target)
    yield from retired
    if not any(f.rule == "K8S002" for f in retired):  # a removed API has no schema left to check
        yield from schema(obj, file, line, target)
    yield from gates.check(obj, file, target.fields_version)
    yield from secret_data(obj, file)
    yield from default_namespace(obj, file, target)
    yield from pod_rules.check(obj, file, target.managed_images)


def api_lifecycle(obj: dict, file: str, target: Target) -> list[Finding]:
    api_version, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
    found = apiversions.status(api_version, kind, target.version)
    if found is None:
        return []
    state, row = found
    line = line_of(obj, "apiVersion")
    use = f"use {row.replacement}" if row.replacement else "remove the object; this API has no successor"
    if state == "removed":
        message = f"{kind} {api_version} was removed in Kubernetes {apiversions.show(row.removed)}"
        hint = f"{use}; `kubectl convert` rewrites the file" if row.replacement else use
        return [finding("K8S002", file, line, message, hint=hint)]
    message = (
        f"{kind} {api_version} is deprecated since {apiversions.show(row.deprecated)} "
        f"and removed in {apiversions.show(row.removed)}"
    )
    return [finding("K8S003", file, line, message, hint=f"{use} before moving to {apiversions.show(row.removed)}")]


def schema(obj: dict, file: str, line: int, target: Target) -> Iterator[Finding]:
    from clusterctl.lint import schema as schemas  # deferred: loads jsonschema and the definitions

    loaded = schemas.load(target.fields_version)
    if isinstance(loaded, str):
        return  # the engine reports the missing schemas once, not per document
    errors = loaded.errors(obj)
    if errors is None:
        group, version, kind = schemas.gvk(obj)
        if loaded.knows_group(group):
            api = f"{group}/{version}" if group else version
            message = f"Kubernetes {apiversions.show(loaded.version)} has no kind {kind} in {api}"
            yield finding("K8S001", file, line_of(obj, "kind", line), message,
                          hint="check the kind and apiVersion (`kubectl api-resources`)")
        return
    where = f"{obj.get('kind')} {name_of(obj)}"
    for error in errors[:_MAX_SCHEMA_ERRORS]:
        yield finding("K8S001", file, _error_line(obj, error, line), f"{where}: {_error_message(error)}")


def _walk(obj: object, path) -> tuple[object, int]:
    """Follow a schema error's path: (the node there, the line of its key or item)."""
    node, line = obj, line_of(obj)
    for step in path:
        line = line_of(node, step, line)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return node, line


def _error_line(obj: dict, error, default: int) -> int:
    node, line = _walk(obj, error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(node, dict):
        extra = [k for k in node if k not in error.schema.get("properties", {})]
        if extra:
            return line_of(node, extra[0], line)
    if error.validator == "required" and isinstance(node, dict):
        return line_of(node, None, line)
    return line or default


def _error_message(error) -> str:
    path = _dotted(error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return f"{path}: unknown field{'s' if len(extra) > 1 else ''} {', '.join(map(str, extra))}"
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(t for t in wanted if t != "null") if isinstance(wanted, list) else wanted
        return f"{path}: expected {wanted}, got {type(error.instance).__name__} {_short(error.instance)}"
    return f"{path}: {_short(error.message, 160)}"


def _dotted(path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _short(value: object, limit: int = 60) -> str:
    text = value if isinstance(value, str) and limit > 60 else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def secret_data(obj: dict, file: str) -> Iterator[Finding]:
    if obj.get("kind") != "Secret":
        return
    for key in ("data", "stringData"):
        values = mapping(obj, key)
        if any(v not in (None, "") for v in values.values()):
            names = ", ".join(sorted(map(str, values)))[:80]
            yield finding("K8S013", file, line_of(obj, key), f"Secret {name_of(obj)} keeps {key} ({names}) in the repository")


def default_namespace(obj: dict, file: str, target: Target) -> Iterator[Finding]:
    if obj.get("kind") not in WORKLOAD_KINDS:
        return
    metadata = mapping(obj, "metadata")
    explicit = metadata.get("namespace")
    if (explicit or target.namespace or "default") != "default":
        return
    line = line_of(metadata, "namespace", line_of(obj, "metadata"))
    how = "sets namespace: default" if explicit else "has no namespace, so it lands in default"
    yield finding("K8S010", file, line, f"{obj.get('kind')} {name_of(obj)} {how}")
