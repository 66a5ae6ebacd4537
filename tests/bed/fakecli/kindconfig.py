"""kind's cluster config (`kind.x-k8s.io/v1alpha4`), decoded strictly as kind decodes it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_STR, _INT, _BOOL = "string", "int32", "bool"
_PATCH = ("PatchJSON6902", {"group": _STR, "version": _STR, "kind": _STR, "patch": _STR})
_MOUNT = ("Mount", {"containerPath": _STR, "hostPath": _STR, "readOnly": _BOOL,
                    "selinuxRelabel": _BOOL, "propagation": _STR})
_PORT = ("PortMapping", {"containerPort": _INT, "hostPort": _INT, "listenAddress": _STR,
                         "protocol": _STR})
_NETWORKING = ("Networking", {"ipFamily": _STR, "apiServerPort": _INT, "apiServerAddress": _STR,
                              "podSubnet": _STR, "serviceSubnet": _STR, "disableDefaultCNI": _BOOL,
                              "kubeProxyMode": _STR, "dnsSearch": [_STR]})
_NODE = ("Node", {"role": _STR, "image": _STR, "labels": {_STR: _STR}, "extraMounts": [_MOUNT],
                  "extraPortMappings": [_PORT], "kubeadmConfigPatches": [_STR],
                  "kubeadmConfigPatchesJSON6902": [_PATCH]})
_CLUSTER = ("Cluster", {"kind": _STR, "apiVersion": _STR, "name": _STR, "nodes": [_NODE],
                        "networking": _NETWORKING, "featureGates": {_STR: _BOOL},
                        "runtimeConfig": {_STR: _STR}, "kubeadmConfigPatches": [_STR],
                        "kubeadmConfigPatchesJSON6902": [_PATCH], "containerdConfigPatches": [_STR],
                        "containerdConfigPatchesJSON6902": [_STR]})
_NAME = re.compile(r"^[a-z0-9.-]+$")


class ConfigError(Exception):
    pass


@dataclass
class KindNode:
    role: str
    image: str | None = None
    port_mappings: list[dict] = field(default_factory=list)


@dataclass
class KindConfig:
    name: str = ""
    nodes: list[KindNode] = field(default_factory=lambda: [KindNode("control-plane")])
    disable_default_cni: bool = False


def parse(raw: str) -> KindConfig:
    try:
        root = yaml.compose(raw)
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", 0) + 1
        raise ConfigError("could not determine kind / apiVersion for config: "
                          f"yaml: line {line}: {getattr(err, 'problem', err)}") from None
    meta = meta if isinstance(meta, dict) else {}
    api, kind = meta.get("apiVersion", ""), meta.get("kind", "")
    if api != "kind.x-k8s.io/v1alpha4":
        raise ConfigError(f"unknown apiVersion: {api}")
    if kind != "Cluster":
        raise ConfigError(f"unknown kind {kind} for apiVersion: {api}")
    errors: list[str] = []
    _check(root, _CLUSTER, errors)
    if errors:
        raise ConfigError("unable to decode config: yaml: unmarshal errors:\n"
                          + "\n".join(f"  {e}" for e in errors))
    return _build(meta)


def validate(cfg: KindConfig) -> None:
    errs = []
    if not _NAME.match(cfg.name):
        errs.append(f"'{cfg.name}' is not a valid cluster name, cluster names must match "
                    f"`{_NAME.pattern}`")
    for i, node in enumerate(cfg.nodes):
        if node.role not in ("control-plane", "worker"):
            errs.append(f'invalid configuration for node {i}: "{node.role}" is not a valid node role')
    if not any(n.role == "control-plane" for n in cfg.nodes):
        errs.append("must have at least one control-plane node")
    if len(errs) == 1:
        raise ConfigError(errs[0])
    if errs:
        raise ConfigError("[" + ", ".join(errs) + "]")


def node_names(cluster: str, cfg: KindConfig) -> list[str]:
    """kind's namer: `<n>-control-plane`, `<n>-control-plane2`, `<n>-worker`, `<n>-worker2`…"""
    counts: dict[str, int] = {}
    names = []
    for node in cfg.nodes:
        counts[node.role] = counts.get(node.role, 0) + 1
        suffix = "" if counts[node.role] == 1 else str(counts[node.role])
        names.append(f"{cluster}-{node.role}{suffix}")
    return names


def _build(data: dict) -> KindConfig:
    cfg = KindConfig(name=data.get("name") or "")
    if data.get("nodes"):
        cfg.nodes = [KindNode(role=n.get("role") or "control-plane", image=n.get("image"),
                              port_mappings=[_port_defaults(p) for p in n.get("extraPortMappings") or []])
                     for n in data["nodes"]]
    cfg.disable_default_cni = bool((data.get("networking") or {}).get("disableDefaultCNI"))
    return cfg


def _port_defaults(p: dict) -> dict:
    return {"containerPort": p.get("containerPort", 0), "hostPort": p.get("hostPort", 0),
            "listenAddress": p.get("listenAddress") or "0.0.0.0",
            "protocol": p.get("protocol") or "TCP"}


def _check(node, schema, errors: list[str]) -> None:
    """yaml.v3 with KnownFields(true): unknown fields and wrong scalar types, by line."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        return
    line = node.start_mark.line + 1
    if isinstance(schema, tuple):
        type_name, fields = schema
        if not isinstance(node, yaml.MappingNode):
            errors.append(f"line {line}: cannot unmarshal {_short(node)} into v1alpha4.{type_name}")
            return
        for key, value in node.value:
            if key.value not in fields:
                errors.append(f"line {key.start_mark.line + 1}: field {key.value} not found "
                              f"in type v1alpha4.{type_name}")
            else:
                _check(value, fields[key.value], errors)
    elif isinstance(schema, list):
        if not isinstance(node, yaml.SequenceNode):
            errors.append(f"line {line}: cannot unmarshal {_short(node)} into []{_go(schema[0])}")
            return
        for item in node.value:
            _check(item, schema[0], errors)
    elif isinstance(schema, dict):
        (value_schema,) = schema.values()
        if not isinstance(node, yaml.MappingNode):
            errors.append(f"line {line}: cannot unmarshal {_short(node)} into map[string]{_go(value_schema)}")
            return
        for _, value in node.value:
            _check(value, value_schema, errors)
    else:
        _check_scalar(node, schema, line, errors)


def _check_scalar(node, schema: str, line: int, errors: list[str]) -> None:
    wanted = {_INT: "tag:yaml.org,2002:int", _BOOL: "tag:yaml.org,2002:bool"}.get(schema)
    if not isinstance(node, yaml.ScalarNode):
        errors.append(f"line {line}: cannot unmarshal {_short(node)} into {schema}")
    elif wanted and node.tag != wanted:
        errors.append(f"line {line}: cannot unmarshal {_short(node)} `{node.value}` into {schema}")


def _short(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "!!map"
    if isinstance(node, yaml.SequenceNode):
        return "!!seq"
    return "!!" + node.tag.rsplit(":", 1)[-1]


def _go(schema) -> str:
    if isinstance(schema, tuple):
        return f"v1alpha4.{schema[0]}"
    return schema if isinstance(schema, str) else "interface {}"
