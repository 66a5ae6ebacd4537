"""Rules across the whole set of manifests: Services that select nothing, replicated workloads without a PDB."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from clusterctl.lint.catalog import finding
from clusterctl.lint.model import Finding
from clusterctl.lint.objects import (
    label_selector_matches, labels_match, line_of, mapping, name_of, namespace_of, pod_template,
)

_PDB_KINDS = ("Deployment", "StatefulSet")


@dataclass(frozen=True)
class Placed:
    """An object with where it came from and the namespace it lands in."""

    obj: dict
    file: str
    namespace: str


def check(objects: list[Placed]) -> Iterator[Finding]:
    yield from service_selectors(objects)
    yield from disruption_budgets(objects)


def place(obj: dict, file: str, default_namespace: str | None) -> Placed:
    return Placed(obj, file, namespace_of(obj, default_namespace))


def _pod_labels(objects: list[Placed], namespace: str) -> list[dict]:
    templates = (pod_template(p.obj) for p in objects if p.namespace == namespace)
    return [t.labels for t in templates if t is not None]


def service_selectors(objects: list[Placed]) -> Iterator[Finding]:
    for placed in objects:
        obj = placed.obj
        spec = mapping(obj, "spec")
        selector = mapping(spec, "selector")
        if obj.get("kind") != "Service" or not selector or spec.get("type") == "ExternalName":
            continue
        if not any(labels_match(selector, labels) for labels in _pod_labels(objects, placed.namespace)):
            wanted = ", ".join(f"{k}={v}" for k, v in selector.items())
            yield finding(
                "K8S011", placed.file, line_of(spec, "selector"),
                f"Service {name_of(obj)} selects {wanted}, which no pod template in namespace {placed.namespace} carries",
            )


def disruption_budgets(objects: list[Placed]) -> Iterator[Finding]:
    budgets = [p for p in objects if p.obj.get("kind") == "PodDisruptionBudget"]
    for placed in objects:
        obj = placed.obj
        replicas = mapping(obj, "spec").get("replicas")
        if obj.get("kind") not in _PDB_KINDS or not isinstance(replicas, int) or replicas <= 1:
            continue
        labels = pod_template(obj).labels
        if not any(
            b.namespace == placed.namespace and _selects(mapping(b.obj, "spec"), labels) for b in budgets
        ):
            yield finding(
                "K8S012", placed.file, line_of(mapping(obj, "spec"), "replicas"),
                f"{obj['kind']} {name_of(obj)} runs {replicas} replicas and no PodDisruptionBudget covers them, "
                "so a node drain can stop them all",
            )


def _selects(pdb_spec: dict, labels: dict) -> bool:
    selector = pdb_spec.get("selector")
    return isinstance(selector, dict) and label_selector_matches(selector, labels)
