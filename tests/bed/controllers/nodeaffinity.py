"""Whether a pod may land on a node: nodeSelector and required node affinity."""
from __future__ import annotations

_OPS = {
    "In": lambda have, values: have is not None and have in values,
    "NotIn": lambda have, values: have not in values,
    "Exists": lambda have, values: have is not None,
    "DoesNotExist": lambda have, values: have is None,
    "Gt": lambda have, values: have is not None and have.isdigit() and int(have) > int(values[0]),
    "Lt": lambda have, values: have is not None and have.isdigit() and int(have) < int(values[0]),
}


def node_matches(pod_spec: dict, node: dict) -> bool:
    labels = node["metadata"].get("labels") or {}
    selector = pod_spec.get("nodeSelector") or {}
    if any(labels.get(k) != v for k, v in selector.items()):
        return False
    required = (((pod_spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = required.get("nodeSelectorTerms") or []
    return not terms or any(_term_matches(t, labels, node["metadata"]["name"]) for t in terms)


def pinned_node(pod_spec: dict) -> str | None:
    """The node a DaemonSet pod is pinned to by its metadata.name matchFields term."""
    required = (((pod_spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or []:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("operator") == "In":
                return (field.get("values") or [None])[0]
    return None


def pin_to_node(pod_spec: dict, node_name: str) -> None:
    affinity = pod_spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
    affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}


def _term_matches(term: dict, labels: dict, node_name: str) -> bool:
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    return all(_OPS[e["operator"]](labels.get(e["key"]), e.get("values") or []) for e in exprs) \
        and all(_OPS[f["operator"]](node_name if f["key"] == "metadata.name" else None,
                                    f.get("values") or []) for f in fields)
