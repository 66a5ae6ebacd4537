"""Read Kubernetes objects for the rules: pod templates, containers, namespaces, selectors, and key lines."""

from __future__ import annotations

from dataclasses import dataclass

WORKLOAD_KINDS = frozenset(
    {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
)
BATCH_KINDS = frozenset({"Job", "CronJob"})


def line_of(node: object, key: str | int | None = None, default: int = 0) -> int:
    """The line of `key` in a marked map or list (yamlsrc); else `default`; else the node's own line."""
    if isinstance(key, str) and key in getattr(node, "key_lines", {}):
        return node.key_lines[key]
    lines = getattr(node, "item_lines", None)
    if isinstance(key, int) and lines and key < len(lines):
        return lines[key]
    return default or getattr(node, "line", 0)


def mapping(node: object, *keys: str) -> dict:
    """node[k1][k2]... when every step is a mapping, else {}."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def items(node: object, key: str) -> list:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, list) else []


def name_of(obj: dict) -> str:
    return str(mapping(obj, "metadata").get("name", "?"))


def namespace_of(obj: dict, default: str | None) -> str:
    return str(mapping(obj, "metadata").get("namespace") or default or "default")


@dataclass(frozen=True)
class PodTemplate:
    labels: dict
    spec: dict  # the pod spec, a marked map when read by yamlsrc


def pod_template(obj: dict) -> PodTemplate | None:
    kind = obj.get("kind")
    if kind not in WORKLOAD_KINDS:
        return None
    if kind == "Pod":
        return PodTemplate(mapping(obj, "metadata", "labels"), mapping(obj, "spec"))
    spec = mapping(obj, "spec", "jobTemplate", "spec") if kind == "CronJob" else mapping(obj, "spec")
    template = mapping(spec, "template")
    return PodTemplate(mapping(template, "metadata", "labels"), mapping(template, "spec"))


@dataclass(frozen=True)
class Container:
    data: dict
    line: int  # the line of its list item
    init: bool

    @property
    def name(self) -> str:
        return str(self.data.get("name", "?"))


def containers(spec: dict) -> list[Container]:
    found: list[Container] = []
    for key in ("initContainers", "containers"):
        listed = items(spec, key)
        for index, data in enumerate(listed):
            if isinstance(data, dict):
                found.append(Container(data, line_of(listed, index, line_of(spec, key)), key == "initContainers"))
    return found


def labels_match(selector: dict, labels: dict) -> bool:
    """A Service selector: every key=value is among the labels."""
    return all(k in labels and str(labels[k]) == str(v) for k, v in selector.items())


def label_selector_matches(selector: dict, labels: dict) -> bool:
    """A LabelSelector (matchLabels and matchExpressions); an empty one selects everything."""
    if not labels_match(mapping(selector, "matchLabels"), labels):
        return False
    for expression in items(selector, "matchExpressions"):
        if not isinstance(expression, dict) or not _expression_matches(expression, labels):
            return False
    return True


def _expression_matches(expression: dict, labels: dict) -> bool:
    key, operator = expression.get("key"), expression.get("operator")
    values = [str(v) for v in items(expression, "values")]
    if operator == "In":
        return key in labels and str(labels[key]) in values
    if operator == "NotIn":
        return key not in labels or str(labels[key]) not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return False
