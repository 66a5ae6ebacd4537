"""core/v1 Events: one per (object, reason, message, component), counted like the real recorder."""
from __future__ import annotations

import time

from .errors import Forbidden, NotFound
from .timefmt import now_rfc3339


def record(store, involved: dict, reason: str, message: str, type_: str, component: str) -> None:
    meta = involved.get("metadata") or {}
    ns = meta.get("namespace") or "default"
    now = now_rfc3339()
    with store.lock:
        for ev in store.list("v1", "Event", ns):
            if _same(ev, meta.get("uid"), reason, message, component):
                ev["count"] = ev.get("count", 1) + 1
                ev["lastTimestamp"] = now
                store.update(ev)
                return
        try:
            store.create(_new_event(involved, ns, reason, message, type_, component, now))
        except (NotFound, Forbidden):
            pass  # the namespace is going away; events are best effort


def _same(ev: dict, uid: str | None, reason: str, message: str, component: str) -> bool:
    return (ev["involvedObject"].get("uid") == uid and ev.get("reason") == reason
            and ev.get("message") == message
            and (ev.get("source") or {}).get("component") == component)


def _new_event(involved: dict, ns: str, reason: str, message: str, type_: str, component: str,
               now: str) -> dict:
    meta = involved.get("metadata") or {}
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{meta.get('name', 'unknown')}.{time.time_ns():x}", "namespace": ns},
        "involvedObject": {
            "apiVersion": involved.get("apiVersion"),
            "kind": involved.get("kind"),
            "name": meta.get("name"),
            "namespace": meta.get("namespace"),
            "uid": meta.get("uid"),
        },
        "reason": reason,
        "message": message,
        "type": type_,
        "source": {"component": component},
        "reportingComponent": component,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
    }
