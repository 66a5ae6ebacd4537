"""The resource types the stand-in serves: built-ins plus whatever CustomResourceDefinitions add."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ("status",)
    categories: tuple[str, ...] = ()
    printer_columns: tuple = field(default=(), compare=False)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_version(self) -> str:
        return self.api_version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def qualified(self) -> str:
        """`deployments.apps`, or `pods` for the core group, as in real error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


def _r(gv: str, kind: str, plural: str, *short: str, cluster: bool = False,
       sub: tuple[str, ...] = (), cats: tuple[str, ...] = ()) -> Resource:
    group, _, version = gv.rpartition("/")
    return Resource(group, version, kind, plural, not cluster, tuple(short), sub, cats)


_ALL = ("all",)
_SCALE = ("status", "scale")

BUILTIN: tuple[Resource, ...] = (
    _r("v1", "Namespace", "namespaces", "ns", cluster=True, sub=("status", "finalize")),
    _r("v1", "Pod", "pods", "po", sub=("status", "log"), cats=_ALL),
    _r("v1", "Service", "services", "svc", sub=("status",), cats=_ALL),
    _r("v1", "Endpoints", "endpoints", "ep"),
    _r("v1", "ConfigMap", "configmaps", "cm"),
    _r("v1", "Secret", "secrets"),
    _r("v1", "ServiceAccount", "serviceaccounts", "sa"),
    _r("v1", "Event", "events", "ev"),
    _r("v1", "Node", "nodes", "no", cluster=True, sub=("status",)),
    _r("v1", "PersistentVolumeClaim", "persistentvolumeclaims", "pvc", sub=("status",)),
    _r("v1", "ResourceQuota", "resourcequotas", "quota", sub=("status",)),
    _r("v1", "LimitRange", "limitranges", "limits"),
    _r("apps/v1", "Deployment", "deployments", "deploy", sub=_SCALE, cats=_ALL),
    _r("apps/v1", "ReplicaSet", "replicasets", "rs", sub=_SCALE, cats=_ALL),
    _r("apps/v1", "StatefulSet", "statefulsets", "sts", sub=_SCALE, cats=_ALL),
    _r("apps/v1", "DaemonSet", "daemonsets", "ds", sub=("status",), cats=_ALL),
    _r("apps/v1", "ControllerRevision", "controllerrevisions"),
    _r("batch/v1", "Job", "jobs", sub=("status",), cats=_ALL),
    _r("batch/v1", "CronJob", "cronjobs", "cj", sub=("status",), cats=_ALL),
    _r("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", "pdb", sub=("status",)),
    _r("networking.k8s.io/v1", "Ingress", "ingresses", "ing", sub=("status",)),
    _r("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", "netpol"),
    _r("rbac.authorization.k8s.io/v1", "Role", "roles"),
    _r("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings"),
    _r("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", cluster=True),
    _r("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", cluster=True),
    _r("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions",
       "crd", "crds", cluster=True, sub=("status",)),
    _r("coordination.k8s.io/v1", "Lease", "leases"),
    _r("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", "pc", cluster=True),
    _r("storage.k8s.io/v1", "StorageClass", "storageclasses", "sc", cluster=True),
)


class Registry:
    """A snapshot of every served resource; rebuilt per request so new CRDs show up at once."""

    def __init__(self, resources: list[Resource]):
        self.resources = resources
        self._by_path = {(r.group, r.version, r.plural): r for r in resources}
        self._by_kind = {(r.api_version, r.kind): r for r in resources}

    @classmethod
    def from_store(cls, store) -> "Registry":
        crds = store.list("apiextensions.k8s.io/v1", "CustomResourceDefinition")
        return cls(list(BUILTIN) + [r for crd in crds for r in custom_resources(crd)])

    def lookup(self, group: str, version: str, plural: str) -> Resource | None:
        return self._by_path.get((group, version, plural))

    def for_kind(self, api_version: str, kind: str) -> Resource | None:
        return self._by_kind.get((api_version, kind))

    def group_versions(self) -> dict[str, list[str]]:
        """group -> versions, in first-seen order (the core group is "")."""
        out: dict[str, list[str]] = {}
        for r in self.resources:
            versions = out.setdefault(r.group, [])
            if r.version not in versions:
                versions.append(r.version)
        return out

    def in_group_version(self, group: str, version: str) -> list[Resource]:
        return [r for r in self.resources if (r.group, r.version) == (group, version)]


def custom_resources(crd: dict) -> list[Resource]:
    if crd["metadata"].get("deletionTimestamp"):
        return []
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    out = []
    for version in spec.get("versions") or []:
        if not version.get("served", True):
            continue
        sub = tuple(s for s in ("status", "scale") if s in (version.get("subresources") or {}))
        out.append(Resource(
            group=spec.get("group", ""), version=version["name"], kind=names.get("kind", ""),
            plural=names.get("plural", ""), namespaced=spec.get("scope") == "Namespaced",
            short_names=tuple(names.get("shortNames") or ()), subresources=sub,
            categories=tuple(names.get("categories") or ()),
            printer_columns=tuple(version.get("additionalPrinterColumns") or ())))
    return out
