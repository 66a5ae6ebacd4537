"""What a fresh cluster already holds: system namespaces and one Ready Node per --node.

Node `status.images` starts empty; the kubelet fills it from its image list (kubelet/nodestatus.py).
"""
from __future__ import annotations

from .timefmt import now_rfc3339

NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


def bootstrap(store, opts) -> None:
    for name in NAMESPACES:
        store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    for index, name in enumerate(opts.nodes):
        store.create(_node(opts, name, index))
        node = store.get("v1", "Node", None, name)
        node["status"] = _node_status(opts, index)
        store.update_status(node)
        store.create(_lease(name, node["metadata"]["uid"]))


def _node(opts, name: str, index: int) -> dict:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "beta.kubernetes.io/arch": "amd64"}
    if index == 0:
        labels["node-role.kubernetes.io/control-plane"] = ""
    if opts.flavor == "minikube":
        labels.update({"minikube.k8s.io/name": opts.name,
                       "minikube.k8s.io/primary": "true" if index == 0 else "false"})
    provider = f"kind://docker/{opts.name}/{name}" if opts.flavor == "kind" else None
    spec = {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"]}
    if provider:
        spec["providerID"] = provider
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": spec}


def _lease(node: str, node_uid: str) -> dict:
    """The node heartbeat `kubectl describe node` shows (renewed at start only)."""
    renewed = now_rfc3339().replace("Z", ".000000Z")
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": node, "namespace": "kube-node-lease",
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node,
                                              "uid": node_uid}]},
            "spec": {"holderIdentity": node, "leaseDurationSeconds": 40,
                     "renewTime": renewed}}


def _node_status(opts, index: int) -> dict:
    resources = {"cpu": opts.node_cpu, "memory": opts.node_memory, "pods": "110",
                 "ephemeral-storage": "100Gi", "hugepages-2Mi": "0"}
    now = now_rfc3339()
    base = "192.168.49" if opts.flavor == "minikube" else "172.18.0"
    return {
        "capacity": dict(resources), "allocatable": dict(resources),
        "conditions": [_condition(t, "False", f"KubeletHas{r}", now)
                       for t, r in (("MemoryPressure", "SufficientMemory"),
                                    ("DiskPressure", "NoDiskPressure"),
                                    ("PIDPressure", "SufficientPID"))]
        + [_condition("Ready", "True", "KubeletReady", now, "kubelet is posting ready status")],
        "addresses": [{"type": "InternalIP", "address": f"{base}.{index + 2}"},
                      {"type": "Hostname", "address": opts.nodes[index]}],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {"architecture": "amd64", "bootID": f"bed-boot-{index}",
                     "containerRuntimeVersion": "containerd://1.7.24",
                     "kernelVersion": "6.1.0-bed", "kubeProxyVersion": opts.k8s_version,
                     "kubeletVersion": opts.k8s_version, "machineID": f"bed-machine-{index}",
                     "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)",
                     "systemUUID": f"bed-uuid-{index}"},
        "images": [],
    }


def _condition(type_: str, status: str, reason: str, now: str, message: str = "") -> dict:
    return {"type": type_, "status": status, "reason": reason,
            "message": message or reason, "lastHeartbeatTime": now, "lastTransitionTime": now}
