"""A container's environment, resolved as the kubelet does (messages included)."""
from __future__ import annotations

import base64
import math
import re

from tests.bed.apiserver.errors import NotFound
from tests.bed.controllers import quantity

_REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_FIELD = re.compile(r"^metadata\.(labels|annotations)\['(.+)'\]$")


class ConfigError(Exception):
    """CreateContainerConfigError: the message is what the pod status and event show."""


def resolve(store, pod: dict, container: dict, node_allocatable: dict) -> dict[str, str]:
    ns = pod["metadata"]["namespace"]
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        prefix = source.get("prefix", "")
        for name, value in _source_data(store, ns, source).items():
            env[prefix + name] = value
    for var in container.get("env") or []:
        value = _value(store, pod, container, var, env, node_allocatable)
        if value is not None:
            env[var["name"]] = value
    return env


def expand(text: str, env: dict[str, str]) -> str:
    """$(VAR) references to defined variables, with $$ as an escaped $."""
    def sub(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        return env.get(m.group(1), m.group(0))

    return _REF.sub(sub, text)


def _source_data(store, ns: str, source: dict) -> dict[str, str]:
    if "configMapRef" in source:
        ref, kind = source["configMapRef"], "ConfigMap"
    else:
        ref, kind = source.get("secretRef") or {}, "Secret"
    obj = _get(store, kind, ns, ref.get("name", ""), ref.get("optional"))
    return _data(obj) if obj else {}


def _value(store, pod: dict, container: dict, var: dict, env: dict,
           node_allocatable: dict) -> str | None:
    if "valueFrom" not in var:
        return expand(str(var.get("value", "")), env)
    source = var["valueFrom"]
    ns = pod["metadata"]["namespace"]
    for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
        if field in source:
            ref = source[field]
            obj = _get(store, kind, ns, ref.get("name", ""), ref.get("optional"))
            if obj is None:
                return None
            data = _data(obj)
            if ref["key"] not in data:
                if ref.get("optional"):
                    return None
                raise ConfigError(
                    f"couldn't find key {ref['key']} in {kind} {ns}/{ref.get('name')}")
            return data[ref["key"]]
    if "fieldRef" in source:
        return _field(pod, source["fieldRef"]["fieldPath"])
    return _resource(container, source["resourceFieldRef"], node_allocatable)


def _get(store, kind: str, ns: str, name: str, optional: bool | None) -> dict | None:
    try:
        return store.get("v1", kind, ns, name)
    except NotFound:
        if optional:
            return None
        raise ConfigError(f'{kind.lower()} "{name}" not found') from None


def _data(obj: dict) -> dict[str, str]:
    if obj["kind"] == "Secret":
        return {k: base64.b64decode(v).decode(errors="replace")
                for k, v in (obj.get("data") or {}).items()}
    binary = {k: base64.b64decode(v).decode(errors="replace")
              for k, v in (obj.get("binaryData") or {}).items()}
    return {**binary, **(obj.get("data") or {})}


def _field(pod: dict, path: str) -> str:
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    simple = {
        "metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"), "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.podIP": status.get("podIP"), "status.hostIP": status.get("hostIP"),
    }
    if path in simple:
        return simple[path] or ""
    m = _FIELD.match(path)
    if m:
        return (meta.get(m.group(1)) or {}).get(m.group(2), "")
    raise ConfigError(f'unsupported fieldPath: "{path}"')


def _resource(container: dict, ref: dict, node_allocatable: dict) -> str:
    """limits.cpu, requests.memory, ...: the container's own value, else the node's."""
    kind, _, resource = ref["resource"].partition(".")
    amounts = (container.get("resources") or {}).get(kind) or {}
    value = quantity.parse(amounts.get(resource, node_allocatable.get(resource, "0")))
    divisor = quantity.parse(ref.get("divisor", "1") or "1")
    return str(math.ceil(value / divisor))
