"""The verbs on one resource type: list, get, create, update, patch, delete (+ collection)."""
from __future__ import annotations

import copy

from . import admission, fields, logs, patches, protobuf, scale, status, tables, watch
from .errors import AlreadyExists, NotFound
from .resources import Resource
from .selectors import BadSelector, query_matcher


def handle(api, req, resource: Resource, namespace: str | None, name: str | None,
           sub: str | None) -> None:
    if sub == "log":
        return logs.serve(api, req, namespace, name)
    if sub == "scale":
        return scale.serve(api, req, resource, namespace, name)
    verb = _verb(req, name)
    verb(api, req, resource, namespace, name, sub)


def _verb(req, name: str | None):
    method = "GET" if req.method == "HEAD" else req.method
    if name is None:
        if method == "GET":
            return _watch if is_watch(req.query) else _list
        table = {"POST": _create, "DELETE": _delete_collection}
    else:
        table = {"GET": _get, "PUT": _update, "PATCH": _patch, "DELETE": _delete}
    if method not in table:
        raise status.method_not_allowed()
    return table[method]


def is_watch(query: dict) -> bool:
    return query.get("watch", "").lower() in ("true", "1")


def matcher(req):
    try:
        return query_matcher(req.query)
    except BadSelector as exc:
        raise status.bad_request(str(exc)) from None


def _dry_run(req) -> bool:
    return req.query.get("dryRun") == "All"


def _list(api, req, resource: Resource, namespace, name, sub) -> None:
    match = matcher(req)
    store = api.store
    with store.lock:
        items = [o for o in store.list(resource.api_version, resource.kind, namespace) if match(o)]
        rv = str(store.resource_version)
    if tables.wants_table(req.headers.get("Accept")):
        return req.send_json(200, tables.table(resource, items, rv), tables.TABLE_CONTENT_TYPE)
    req.send_json(200, {"kind": f"{resource.kind}List", "apiVersion": resource.api_version,
                        "metadata": {"resourceVersion": rv}, "items": items})


def _watch(api, req, resource: Resource, namespace, name, sub) -> None:
    watch.serve(api, req, resource, namespace, matcher(req))


def _get(api, req, resource: Resource, namespace, name, sub) -> None:
    with status.store_errors(resource, name):
        obj = api.store.get(resource.api_version, resource.kind, namespace, name)
    if tables.wants_table(req.headers.get("Accept")):
        table = tables.table(resource, [obj], obj["metadata"]["resourceVersion"])
        return req.send_json(200, table, tables.TABLE_CONTENT_TYPE)
    req.send_json(200, obj)


def _create(api, req, resource: Resource, namespace, name, sub) -> None:
    body = _prepare(_body(req), resource, namespace, None)
    _decode(api, req, body, None)
    name = body["metadata"].get("name") or body["metadata"].get("generateName", "")
    if namespace:
        _require_namespace(api.store, namespace)
    with status.store_errors(resource, name):
        obj = _dry_create(api.store, body) if _dry_run(req) else api.store.create(body)
    req.send_json(201, obj)


def _update(api, req, resource: Resource, namespace, name, sub) -> None:
    body = _prepare(_body(req), resource, namespace, name, keep_status=sub == "status")
    store = api.store
    with status.store_errors(resource, name), store.lock:
        _decode(api, req, body, store.get(resource.api_version, resource.kind, namespace, name))
        obj = _replace(store, req, body, sub)
    req.send_json(200, obj)


def _replace(store, req, body: dict, sub) -> dict:
    """Write an existing object: its status only for the /status subresource; nothing with dryRun."""
    if _dry_run(req):
        return _dry_update(store, body, sub)
    return store.update_status(body) if sub == "status" else store.update(body)


def _patch(api, req, resource: Resource, namespace, name, sub) -> None:
    content_type = req.content_type
    if content_type not in patches.TYPES:
        raise status.unsupported_media_type(content_type, patches.TYPES)
    try:
        patch = patches.parse_body(req.body(), content_type)
    except patches.PatchError as exc:
        raise status.bad_request(str(exc)) from None
    store = api.store
    with status.store_errors(resource, name), store.lock:
        try:
            live = store.get(resource.api_version, resource.kind, namespace, name)
        except NotFound:
            if content_type != patches.APPLY or sub is not None:
                raise
            return _apply_create(api, req, resource, namespace, name, patch)
        try:
            patched = patches.apply(content_type, live, patch)
        except patches.PatchError as exc:
            raise status.bad_request(str(exc)) from None
        patched = _prepare(patched, resource, namespace, name, keep_status=sub == "status")
        if content_type != patches.APPLY:  # server-side apply's typed errors are not modelled
            try:
                _decode(api, req, patched, live)
            except fields.StrictDecodingError as err:
                raise fields.invalid_patch(patch, err) from None
        obj = _replace(store, req, patched, sub)
    req.send_json(200, obj)


def _apply_create(api, req, resource: Resource, namespace, name, body) -> None:
    body = _prepare(body, resource, namespace, name)
    if namespace:
        _require_namespace(api.store, namespace)
    obj = _dry_create(api.store, body) if _dry_run(req) else api.store.create(body)
    req.send_json(201, obj)


def _decode(api, req, body: dict, old: dict | None) -> None:
    """Unknown fields per the request's fieldValidation (the server's default is Warn); a create or
    update answers a strict error as create.go's transformDecodeError does."""
    directive = req.query.get("fieldValidation") or "Warn"
    try:
        fields.check(body, old, api.opts.k8s_version, directive, req.warnings)
    except fields.StrictDecodingError as err:
        if old is not None and req.method == "PATCH":
            raise
        kind, version = body["kind"], body["apiVersion"].rpartition("/")[2]
        raise status.bad_request(f'{kind} in version "{version}" cannot be handled as a {kind}: '
                                 f"{err}") from None


def _delete(api, req, resource: Resource, namespace, name, sub) -> None:
    options = _delete_options(req)
    propagation = options.get("propagationPolicy") or req.query.get("propagationPolicy") \
        or "Background"
    grace = options.get("gracePeriodSeconds", req.query.get("gracePeriodSeconds"))
    store = api.store
    with status.store_errors(resource, name), store.lock:
        obj = store.get(resource.api_version, resource.kind, namespace, name)
        if not _dry_run(req):
            obj = store.delete(resource.api_version, resource.kind, namespace, name,
                               propagation=propagation,
                               grace_period=None if grace is None else int(grace))
    req.send_json(200, obj)


def _delete_collection(api, req, resource: Resource, namespace, name, sub) -> None:
    match = matcher(req)
    store = api.store
    deleted = []
    with store.lock:
        for obj in store.list(resource.api_version, resource.kind, namespace):
            if match(obj) and not _dry_run(req):
                meta = obj["metadata"]
                deleted.append(store.delete(resource.api_version, resource.kind,
                                            meta.get("namespace"), meta["name"]))
        rv = str(store.resource_version)
    req.send_json(200, {"kind": f"{resource.kind}List", "apiVersion": resource.api_version,
                        "metadata": {"resourceVersion": rv}, "items": deleted})


def _body(req):
    if req.content_type != protobuf.CONTENT_TYPE:
        return req.json_body()
    try:
        return protobuf.decode(req.body())
    except protobuf.ProtobufError as exc:
        raise status.unsupported_media_type_message(str(exc)) from None


def _delete_options(req) -> dict:
    if not req.body():
        return {}
    if req.content_type != protobuf.CONTENT_TYPE:
        return req.json_body()
    try:
        return protobuf.delete_options(req.body())
    except protobuf.ProtobufError as exc:
        raise status.bad_request(str(exc)) from None


def _prepare(body, resource: Resource, namespace: str | None, name: str | None,
             keep_status: bool = False) -> dict:
    """Fill in and check apiVersion, kind, namespace and name against the URL."""
    if not isinstance(body, dict):
        raise status.bad_request("the request body must be a JSON object")
    body.setdefault("apiVersion", resource.api_version)
    body.setdefault("kind", resource.kind)
    if body["apiVersion"] != resource.api_version:
        raise status.bad_request(f"the API version in the data ({body['apiVersion']}) does not "
                                 f"match the expected API version ({resource.api_version})")
    if body["kind"] != resource.kind:
        raise status.bad_request(f"the kind in the data ({body['kind']}) does not match the "
                                 f"expected kind ({resource.kind})")
    meta = body.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise status.bad_request("metadata must be an object")
    if resource.namespaced:
        if meta.setdefault("namespace", namespace) != namespace:
            raise status.bad_request("the namespace of the provided object does not match the "
                                     "namespace sent on the request")
    else:
        meta.pop("namespace", None)
    if name is not None and meta.setdefault("name", name) != name:
        raise status.bad_request(f"the name of the object ({meta['name']}) does not match the "
                                 f"name on the URL ({name})")
    if not keep_status:
        body.pop("status", None)
    return body


def _require_namespace(store, namespace: str) -> None:
    try:
        store.get("v1", "Namespace", None, namespace)
    except NotFound:
        raise status.namespace_missing(namespace) from None


def _dry_create(store, body: dict) -> dict:
    obj = copy.deepcopy(body)
    meta = obj["metadata"]
    with store.lock:
        existing = store.list(obj["apiVersion"], obj["kind"], meta.get("namespace") or "")
        if any(o["metadata"]["name"] == meta.get("name") for o in existing):
            raise AlreadyExists(obj["kind"], meta.get("name", ""))
        admission.admit(obj, None)
    return obj


def _dry_update(store, body: dict, sub: str | None) -> dict:
    meta = body["metadata"]
    live = store.get(body["apiVersion"], body["kind"], meta.get("namespace"), meta["name"])
    if sub == "status":
        return {**live, "status": body.get("status")}
    new = copy.deepcopy(body)
    new["status"] = live.get("status")
    admission.admit(new, live)
    return new
