"""Legacy discovery documents and the OpenAPI v3 stub kubectl's default validation needs.

Aggregated discovery is never answered: kubectl falls back to these legacy documents (see
kube-api-double.md, "Discovery").
"""
from __future__ import annotations

from .resources import Registry, Resource

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
_SUB_VERBS = {"status": ["get", "patch", "update"], "scale": ["get", "patch", "update"],
              "log": ["get"], "finalize": ["update"]}


def version(k8s_version: str) -> dict:
    major, minor = k8s_version.lstrip("v").split(".")[:2]
    return {"major": major, "minor": minor, "gitVersion": k8s_version, "gitCommit": "bed",
            "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23",
            "compiler": "gc", "platform": "linux/amd64"}


def api_versions(host: str) -> dict:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": host}]}


def api_group_list(registry: Registry) -> dict:
    groups = [api_group(registry, g) for g in registry.group_versions() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(registry: Registry, group: str) -> dict | None:
    versions = registry.group_versions().get(group)
    if not versions:
        return None
    entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": entries,
            "preferredVersion": entries[0]}


def resource_list(registry: Registry, group: str, version: str) -> dict | None:
    resources = registry.in_group_version(group, version)
    if not resources:
        return None
    entries = []
    for r in resources:
        entries.append(_entry(r))
        entries += [_subresource_entry(r, sub) for sub in r.subresources]
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": entries}


def _entry(r: Resource) -> dict:
    entry = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
             "kind": r.kind, "verbs": VERBS}
    if r.short_names:
        entry["shortNames"] = list(r.short_names)
    if r.categories:
        entry["categories"] = list(r.categories)
    return entry


def _subresource_entry(r: Resource, sub: str) -> dict:
    kind = {"scale": "Scale", "log": "Pod"}.get(sub, r.kind)
    entry = {"name": f"{r.plural}/{sub}", "singularName": "", "namespaced": r.namespaced,
             "kind": kind, "verbs": _SUB_VERBS[sub]}
    if sub == "scale":
        entry.update(group="autoscaling", version="v1")
    return entry


OPENAPI_V2_CONTENT_TYPE = "application/octet-stream"  # kube-openapi serves the protobuf document so


def openapi_v2_document(k8s_version: str) -> bytes:
    """A gnostic openapi_v2.Document (google/gnostic-models openapiv2/OpenAPIv2.proto) with no
    definitions: kubectl 1.27/1.28 need /openapi/v2 to parse before they validate anything
    (kubectl pkg/cmd/util/factory_client_access.go `Validator` @ v0.27.3), then ask the v3 stub
    whether the server validates fields; with no definitions they patch from built-in types."""
    info = _pb_string(1, "Kubernetes") + _pb_string(2, k8s_version)
    return _pb_string(1, "2.0") + _pb_bytes(2, info)


def _pb_string(number: int, text: str) -> bytes:
    return _pb_bytes(number, text.encode())


def _pb_bytes(number: int, data: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def openapi_v3_index(registry: Registry) -> dict:
    paths = {}
    for group, versions in registry.group_versions().items():
        for v in versions:
            key = f"apis/{group}/{v}" if group else f"api/{v}"
            paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash=bed"}
    return {"paths": paths}


def openapi_v3_document(registry: Registry, group: str, version: str, k8s_version: str) -> dict:
    """Declares, per kind, a patch operation taking fieldValidation: enough for kubectl to
    leave validation to the server (its queryParamVerifierV3)."""
    paths = {}
    for r in registry.in_group_version(group, version):
        prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
        scope = "/namespaces/{namespace}" if r.namespaced else ""
        paths[f"{prefix}{scope}/{r.plural}/{{name}}"] = {"patch": {
            "x-kubernetes-group-version-kind": {"group": group, "version": version, "kind": r.kind},
            "parameters": [{"name": "fieldValidation", "in": "query",
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK"}},
        }}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": k8s_version},
            "components": {"schemas": {}}, "paths": paths}
