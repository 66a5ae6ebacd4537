"""Removed and deprecated apiVersions, from the Kubernetes Deprecated API Migration Guide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clusterctl.errors import BadInput

Version = tuple[int, int]
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$")


def parse_version(text: str) -> Version:
    """`1.32`, `v1.32.0` or `1.32.0-rc.1` -> (1, 32)."""
    match = _VERSION.match(text.strip())
    if not match:
        raise BadInput(f"invalid Kubernetes version {text!r}", hint="write it as 1.32 or v1.32.0")
    return int(match.group(1)), int(match.group(2))


def show(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


@dataclass(frozen=True)
class Retired:
    api_version: str
    kind: str
    deprecated: Version
    removed: Version
    replacement: str  # empty when the API is gone with no successor


def _retire(api_versions: str, kinds: str, deprecated: str, removed: str, replacement: str) -> list[Retired]:
    dep, rem = parse_version(deprecated), parse_version(removed)
    return [Retired(a, k, dep, rem, replacement) for a in api_versions.split() for k in kinds.split()]


# One row per (apiVersion, kinds): deprecated in, removed in, replacement.
RETIRED: tuple[Retired, ...] = tuple(
    row
    for args in (
        ("extensions/v1beta1 apps/v1beta1 apps/v1beta2", "Deployment ReplicaSet", "1.9", "1.16", "apps/v1"),
        ("apps/v1beta1 apps/v1beta2", "StatefulSet", "1.9", "1.16", "apps/v1"),
        ("extensions/v1beta1 apps/v1beta2", "DaemonSet", "1.9", "1.16", "apps/v1"),
        ("extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1"),
        ("extensions/v1beta1", "PodSecurityPolicy", "1.10", "1.16", ""),
        ("extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1"),
        ("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.19", "1.22", "networking.k8s.io/v1"),
        ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.16", "1.22", "apiextensions.k8s.io/v1"),
        ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
         "1.16", "1.22", "admissionregistration.k8s.io/v1"),
        ("apiregistration.k8s.io/v1beta1", "APIService", "1.10", "1.22", "apiregistration.k8s.io/v1"),
        ("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.19", "1.22", "certificates.k8s.io/v1"),
        ("coordination.k8s.io/v1beta1", "Lease", "1.14", "1.22", "coordination.k8s.io/v1"),
        ("rbac.authorization.k8s.io/v1alpha1 rbac.authorization.k8s.io/v1beta1",
         "ClusterRole ClusterRoleBinding Role RoleBinding", "1.17", "1.22", "rbac.authorization.k8s.io/v1"),
        ("scheduling.k8s.io/v1beta1", "PriorityClass", "1.14", "1.22", "scheduling.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", "StorageClass", "1.6", "1.22", "storage.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", "VolumeAttachment", "1.13", "1.22", "storage.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", "CSINode", "1.17", "1.22", "storage.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", "CSIDriver", "1.19", "1.22", "storage.k8s.io/v1"),
        ("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1"),
        ("discovery.k8s.io/v1beta1", "EndpointSlice", "1.21", "1.25", "discovery.k8s.io/v1"),
        ("events.k8s.io/v1beta1", "Event", "1.19", "1.25", "events.k8s.io/v1"),
        ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2"),
        ("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1"),
        ("policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25", ""),
        ("node.k8s.io/v1beta1", "RuntimeClass", "1.22", "1.25", "node.k8s.io/v1"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2"),
        ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema PriorityLevelConfiguration", "1.23", "1.26",
         "flowcontrol.apiserver.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema PriorityLevelConfiguration", "1.26", "1.29",
         "flowcontrol.apiserver.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema PriorityLevelConfiguration", "1.29", "1.32",
         "flowcontrol.apiserver.k8s.io/v1"),
    )
    for row in _retire(*args)
)
_BY_KEY = {(r.api_version, r.kind): r for r in RETIRED}


def lookup(api_version: str, kind: str) -> Retired | None:
    return _BY_KEY.get((api_version, kind))


def status(api_version: str, kind: str, target: Version | None) -> tuple[str, Retired] | None:
    """("removed" | "deprecated", row) for the target version; None target means today's Kubernetes."""
    row = lookup(api_version, kind)
    if row is None:
        return None
    if target is None or target >= row.removed:
        return "removed", row
    if target >= row.deprecated:
        return "deprecated", row
    return None
