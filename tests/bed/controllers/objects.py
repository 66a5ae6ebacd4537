"""Helpers every controller shares: owner references, conditions, pod readiness and hashes."""
from __future__ import annotations

import copy
import json
import math
import time

from tests.bed.apiserver.timefmt import now_rfc3339, parse_rfc3339

APPS = "apps/v1"
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery rand.SafeEncodeString


def key(obj: dict) -> tuple[str, str]:
    meta = obj["metadata"]
    return meta.get("namespace") or "", meta["name"]


def controller_ref(owner: dict) -> dict:
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"],
            "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}


def controller_of(obj: dict) -> dict | None:
    for ref in obj["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def owner_key(obj: dict, kind: str) -> tuple[str, str] | None:
    """Key of the object's controller when it is of `kind`."""
    ref = controller_of(obj)
    if ref and ref.get("kind") == kind:
        return obj["metadata"].get("namespace") or "", ref["name"]
    return None


def owned(store, api_version: str, kind: str, owner: dict) -> list[dict]:
    uid = owner["metadata"]["uid"]
    return [o for o in store.list(api_version, kind, owner["metadata"].get("namespace"))
            if (controller_of(o) or {}).get("uid") == uid]


def template_hash(template: dict) -> str:
    """FNV-32a over the template, encoded like the real pod-template-hash."""
    h = 0x811C9DC5
    for byte in json.dumps(template, sort_keys=True).encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "".join(SAFE_ALPHABET[ord(c) % len(SAFE_ALPHABET)] for c in str(h))


def find_condition(conditions: list[dict] | None, type_: str) -> dict | None:
    return next((c for c in conditions or [] if c.get("type") == type_), None)


def set_condition(conditions: list[dict], new: dict) -> list[dict]:
    """The controllers' SetCondition: same status and reason is a no-op; a change goes last."""
    cur = find_condition(conditions, new["type"])
    if cur and cur["status"] == new["status"] and cur.get("reason") == new.get("reason"):
        return conditions
    if cur and cur["status"] == new["status"] and "lastTransitionTime" in cur:
        new = {**new, "lastTransitionTime": cur["lastTransitionTime"]}
    return [c for c in conditions if c.get("type") != new["type"]] + [new]


def delete(store, obj: dict) -> None:
    meta = obj["metadata"]
    store.delete(obj["apiVersion"], obj["kind"], meta.get("namespace"), meta["name"])


def pod_active(pod: dict) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp")


def pod_ready(pod: dict) -> bool:
    cond = find_condition((pod.get("status") or {}).get("conditions"), "Ready")
    return bool(cond and cond["status"] == "True")


def available_in(pod: dict, min_ready_seconds: int) -> float | None:
    """Seconds until the pod counts as available (0 = now); None when it is not ready."""
    if not pod_ready(pod):
        return None
    if not min_ready_seconds:
        return 0.0
    cond = find_condition(pod["status"]["conditions"], "Ready")
    since = parse_rfc3339(cond.get("lastTransitionTime") or now_rfc3339())
    return max(0.0, since + min_ready_seconds - time.time())


def count_available(pods: list[dict], min_ready_seconds: int) -> tuple[int, float | None]:
    """(available pods, seconds until the next ready pod becomes available)."""
    waits = [available_in(p, min_ready_seconds) for p in pods]
    pending = [w for w in waits if w]
    return sum(1 for w in waits if w == 0), (min(pending) if pending else None)


def pod_from_template(template: dict, owner: dict, labels: dict | None = None,
                      name: str | None = None) -> dict:
    meta = copy.deepcopy(template.get("metadata") or {})
    meta.pop("creationTimestamp", None)
    meta["labels"] = {**(meta.get("labels") or {}), **(labels or {})}
    meta["namespace"] = owner["metadata"]["namespace"]
    meta["ownerReferences"] = [controller_ref(owner)]
    if name:
        meta["name"] = name
    else:
        meta["generateName"] = owner["metadata"]["name"] + "-"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": copy.deepcopy(template.get("spec") or {})}


def scaled_int(value, total: int, round_up: bool) -> int:
    """An IntOrString such as 25% resolved against `total`."""
    if isinstance(value, str) and value.endswith("%"):
        exact = int(value[:-1]) * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    return int(value or 0)


def without_zeros(status: dict, keep: tuple[str, ...] = ()) -> dict:
    """Drop 0-valued counters, as the real API omits `omitempty` integers."""
    return {k: v for k, v in status.items() if k in keep or v != 0}
