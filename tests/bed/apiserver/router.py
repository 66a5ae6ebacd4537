"""Maps a request path to discovery, OpenAPI, health, or a resource handler."""
from __future__ import annotations

from . import discovery, handlers, status
from .resources import Registry

_HEALTH = {"/healthz", "/readyz", "/livez"}


def dispatch(api, req) -> None:
    path = req.path
    if req.method not in ("GET", "HEAD") and not path.startswith(("/api/", "/apis/")):
        raise status.method_not_allowed()
    if path == "/version":
        return req.send_json(200, discovery.version(api.opts.k8s_version))
    if path in _HEALTH or path.startswith(tuple(h + "/" for h in _HEALTH)):
        return req.send_bytes(200, b"ok", "text/plain; charset=utf-8")
    registry = Registry.from_store(api.store)
    if path.startswith("/openapi/"):
        return _openapi(api, req, registry)
    if path == "/api":
        return req.send_json(200, discovery.api_versions(f"127.0.0.1:{api.port}"))
    if path == "/apis":
        return req.send_json(200, discovery.api_group_list(registry))
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) >= 2:
        return _group_version(api, req, registry, "", parts[1], parts[2:])
    if parts[0] == "apis" and len(parts) == 2:
        return _found(req, discovery.api_group(registry, parts[1]))
    if parts[0] == "apis" and len(parts) >= 3:
        return _group_version(api, req, registry, parts[1], parts[2], parts[3:])
    raise status.no_route()


def _found(req, doc) -> None:
    if doc is None:
        raise status.no_route()
    req.send_json(200, doc)


def _openapi(api, req, registry: Registry) -> None:
    parts = req.path.strip("/").split("/")
    if parts == ["openapi", "v2"]:
        return req.send_bytes(200, discovery.openapi_v2_document(api.opts.k8s_version),
                              discovery.OPENAPI_V2_CONTENT_TYPE)
    if parts[:2] != ["openapi", "v3"]:
        raise status.no_route()
    if len(parts) == 2:
        return req.send_json(200, discovery.openapi_v3_index(registry))
    rest = parts[2:]
    if rest[0] == "api" and len(rest) == 2:
        group, version = "", rest[1]
    elif rest[0] == "apis" and len(rest) == 3:
        group, version = rest[1], rest[2]
    else:
        raise status.no_route()
    if not registry.in_group_version(group, version):
        raise status.no_route()
    req.send_json(200, discovery.openapi_v3_document(registry, group, version,
                                                      api.opts.k8s_version))


def _group_version(api, req, registry: Registry, group: str, version: str, rest: list[str]):
    if not rest:
        return _found(req, discovery.resource_list(registry, group, version))
    namespace = None
    if rest[0] == "namespaces" and len(rest) >= 3 and \
            _namespaced(registry.lookup(group, version, rest[2])):
        namespace, rest = rest[1], rest[2:]
    resource = registry.lookup(group, version, rest[0])
    if resource is None or len(rest) > 3 or (namespace and not resource.namespaced):
        raise status.no_route()
    name = rest[1] if len(rest) > 1 else None
    sub = rest[2] if len(rest) > 2 else None
    if sub is not None and sub not in resource.subresources:
        raise status.no_route()
    if name and resource.namespaced and namespace is None:
        raise status.no_route()
    handlers.handle(api, req, resource, namespace, name, sub)


def _namespaced(resource) -> bool:
    return resource is not None and resource.namespaced
