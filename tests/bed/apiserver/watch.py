"""?watch=true: a chunked stream of one JSON event per line, ended after timeoutSeconds."""
from __future__ import annotations

import json
import queue
import time

from . import status, tables
from .resources import Resource

MAX_SECONDS = 60.0  # a watch notices a departed client only when it writes; bound its life


def serve(api, req, resource: Resource, namespace: str | None, match) -> None:
    store = api.store
    timeout = _timeout(req.query.get("timeoutSeconds"))
    rv = req.query.get("resourceVersion", "")

    def relevant(obj: dict) -> bool:
        return (obj["apiVersion"], obj["kind"]) == (resource.api_version, resource.kind) and \
            (namespace is None or obj["metadata"].get("namespace") == namespace) and match(obj)

    with store.lock:
        q = store.subscribe()
        initial, error = _initial(store, resource, namespace, rv, relevant)
        last = store.resource_version
    try:
        encode = _Encoder(resource, tables.wants_table(req.headers.get("Accept")))
        req.start_stream("application/json")
        for type_, obj in initial:
            req.write_chunk(encode(type_, obj))
        if error is not None:
            req.write_chunk(json.dumps({"type": "ERROR", "object": error.body()}).encode() + b"\n")
        else:
            _follow(api, req, q, last, relevant, encode, time.monotonic() + timeout)
        req.end_stream()
    finally:
        store.unsubscribe(q)


def _timeout(value: str | None) -> float:
    try:
        return min(float(value), MAX_SECONDS) if value else MAX_SECONDS
    except ValueError:
        raise status.bad_request(f"invalid timeoutSeconds: {value}") from None


def _initial(store, resource: Resource, namespace, rv: str, relevant):
    """Synthetic ADDED for a watch from "now", else the replayed log; or a 410 when too old."""
    if rv in ("", "0"):
        objs = store.list(resource.api_version, resource.kind, namespace)
        return [("ADDED", o) for o in objs if relevant(o)], None
    try:
        since = int(rv)
    except ValueError:
        raise status.bad_request(f"invalid resource version: {rv}") from None
    if since < store.oldest_rv:
        return [], status.gone(f"too old resource version: {since} ({store.oldest_rv})")
    return [(t, o) for t, o, _ in store.events_since(since) if relevant(o)], None


def _follow(api, req, q: queue.Queue, last: int, relevant, encode, deadline: float) -> None:
    while not api.stopping.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        try:
            type_, obj = q.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if int(obj["metadata"]["resourceVersion"]) > last and relevant(obj):
            req.write_chunk(encode(type_, obj))


class _Encoder:
    """Event lines; as Table rows when the client asked for Tables (kubectl get -w)."""

    def __init__(self, resource: Resource, as_table: bool):
        self._resource, self._as_table, self._first = resource, as_table, True

    def __call__(self, type_: str, obj: dict) -> bytes:
        if self._as_table:
            rv = obj["metadata"].get("resourceVersion", "")
            obj = tables.table(self._resource, [obj], rv, with_columns=self._first)
            self._first = False
        return json.dumps({"type": type_, "object": obj}).encode() + b"\n"
