"""REST paths for the kinds clusterctl reads."""

from __future__ import annotations

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod")

_RESOURCES = {
    "Pod": ("v1", "pods"),
    "Event": ("v1", "events"),
    "Namespace": ("v1", "namespaces"),
    "Node": ("v1", "nodes"),
    "Service": ("v1", "services"),
    "Secret": ("v1", "secrets"),
    "ConfigMap": ("v1", "configmaps"),
    "Deployment": ("apps/v1", "deployments"),
    "StatefulSet": ("apps/v1", "statefulsets"),
    "DaemonSet": ("apps/v1", "daemonsets"),
    "ReplicaSet": ("apps/v1", "replicasets"),
    "Job": ("batch/v1", "jobs"),
}
_CLUSTER_SCOPED = {"Namespace", "Node"}


def collection(kind: str, namespace: str | None = None) -> str:
    api_version, plural = _RESOURCES[kind]
    prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
    if namespace and kind not in _CLUSTER_SCOPED:
        return f"{prefix}/namespaces/{namespace}/{plural}"
    return f"{prefix}/{plural}"


def item(kind: str, namespace: str | None, name: str) -> str:
    return f"{collection(kind, namespace)}/{name}"
