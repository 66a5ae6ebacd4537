"""The autoscaling/v1 Scale subresource of Deployments, ReplicaSets and StatefulSets."""
from __future__ import annotations

from . import patches, status
from .resources import Resource


def serve(api, req, resource: Resource, namespace: str, name: str) -> None:
    store = api.store
    with status.store_errors(resource, name), store.lock:
        obj = store.get(resource.api_version, resource.kind, namespace, name)
        if req.method in ("GET", "HEAD"):
            return req.send_json(200, _scale(obj))
        if req.method == "PUT":
            wanted = req.json_body()
        elif req.method == "PATCH":
            wanted = _patched(req, _scale(obj))
        else:
            raise status.method_not_allowed()
        replicas = ((wanted or {}).get("spec") or {}).get("replicas")
        if not isinstance(replicas, int) or replicas < 0:
            raise status.bad_request("spec.replicas must be a non-negative integer")
        obj["spec"]["replicas"] = replicas
        req.send_json(200, _scale(store.update(obj)))


def _patched(req, current: dict) -> dict:
    if req.content_type not in patches.TYPES:
        raise status.unsupported_media_type(req.content_type, patches.TYPES)
    try:
        return patches.apply(req.content_type, current,
                             patches.parse_body(req.body(), req.content_type))
    except patches.PatchError as exc:
        raise status.bad_request(str(exc)) from None


def _scale(obj: dict) -> dict:
    meta = obj["metadata"]
    selector = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    return {
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion",
                                          "creationTimestamp") if k in meta},
        "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
        "status": {"replicas": (obj.get("status") or {}).get("replicas", 0),
                   "selector": ",".join(f"{k}={v}" for k, v in sorted(selector.items()))},
    }
