"""Columns and cells per kind, as the real server's table convertors print them."""
from __future__ import annotations

import time

from .podstatus import pod_status
from .timefmt import human_age, human_duration, parse_rfc3339


def name(o: dict) -> str:
    return o["metadata"]["name"]


def age(o: dict) -> str:
    return human_age(o["metadata"].get("creationTimestamp"))


def _pod_cells(pod: dict) -> list:
    reason, ready, restarts, ago = pod_status(pod)
    total = len((pod.get("spec") or {}).get("containers") or [])
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    return [name(pod), f"{ready}/{total}", reason,
            f"{restarts} ({ago} ago)" if ago else str(restarts), age(pod),
            status.get("podIP") or "<none>", spec.get("nodeName") or "<none>", "<none>", "<none>"]


def _deployment_cells(d: dict) -> list:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    return [name(d), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
            status.get("updatedReplicas", 0), status.get("availableReplicas", 0), age(d),
            _containers(spec), _images(spec), _selector(spec.get("selector"))]


def _replicaset_cells(rs: dict) -> list:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    return [name(rs), spec.get("replicas", 0), status.get("replicas", 0),
            status.get("readyReplicas", 0), age(rs)]


def _statefulset_cells(s: dict) -> list:
    spec, status = s.get("spec") or {}, s.get("status") or {}
    return [name(s), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}", age(s)]


def _containers(spec: dict) -> str:
    cs = (((spec.get("template") or {}).get("spec") or {}).get("containers")) or []
    return ",".join(c.get("name", "") for c in cs)


def _images(spec: dict) -> str:
    cs = (((spec.get("template") or {}).get("spec") or {}).get("containers")) or []
    return ",".join(c.get("image", "") for c in cs)


def _selector(selector: dict | None) -> str:
    labels = (selector or {}).get("matchLabels") or (selector or {})
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())
                    if isinstance(v, str)) or "<none>"


def _service_cells(svc: dict) -> list:
    spec = svc.get("spec") or {}
    type_ = spec.get("type", "ClusterIP")
    ports = ",".join(f"{p.get('port')}:{p['nodePort']}/{p.get('protocol', 'TCP')}"
                     if p.get("nodePort") else f"{p.get('port')}/{p.get('protocol', 'TCP')}"
                     for p in spec.get("ports") or []) or "<none>"
    return [name(svc), type_, spec.get("clusterIP") or "<none>", _external_ip(svc, type_),
            ports, age(svc), _selector(spec.get("selector"))]


def _external_ip(svc: dict, type_: str) -> str:
    spec = svc.get("spec") or {}
    if type_ == "ExternalName":
        return spec.get("externalName", "<none>")
    if type_ == "LoadBalancer":
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        ips = [i.get("ip") or i.get("hostname") for i in ingress] + spec.get("externalIPs", [])
        return ",".join(ips) or "<pending>"
    return ",".join(spec.get("externalIPs") or []) or "<none>"


def _node_cells(node: dict) -> list:
    conditions = (node.get("status") or {}).get("conditions") or []
    ready = next((c for c in conditions if c.get("type") == "Ready"), {})
    status = {"True": "Ready", "False": "NotReady"}.get(ready.get("status"), "Unknown")
    if (node.get("spec") or {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    roles = sorted(k.split("/", 1)[1] for k in node["metadata"].get("labels") or {}
                   if k.startswith("node-role.kubernetes.io/"))
    version = ((node.get("status") or {}).get("nodeInfo") or {}).get("kubeletVersion", "")
    return [name(node), status, ",".join(roles) or "<none>", age(node), version]


def _namespace_cells(ns: dict) -> list:
    return [name(ns), (ns.get("status") or {}).get("phase", ""), age(ns)]


def _event_cells(ev: dict) -> list:
    io = ev.get("involvedObject") or {}
    seen = ev.get("lastTimestamp") or ev.get("eventTime") or ev["metadata"].get("creationTimestamp")
    return [human_age(seen), ev.get("type", ""), ev.get("reason", ""),
            f"{(io.get('kind') or '').lower()}/{io.get('name', '')}", ev.get("message", "")]


def _job_cells(job: dict) -> list:
    spec, status = job.get("spec") or {}, job.get("status") or {}
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    state = next((t for t in ("Complete", "Failed", "Suspended") if conditions.get(t) == "True"),
                 "Running")
    duration = ""
    if status.get("startTime"):
        end = parse_rfc3339(status["completionTime"]) if status.get("completionTime") \
            else time.time()
        duration = human_duration(end - parse_rfc3339(status["startTime"]))
    return [name(job), state, f"{status.get('succeeded', 0)}/{spec.get('completions', 1)}",
            duration, age(job)]


def _daemonset_cells(ds: dict) -> list:
    status = ds.get("status") or {}
    selector = (((ds.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
        "nodeSelector") or {}
    return [name(ds), status.get("desiredNumberScheduled", 0),
            status.get("currentNumberScheduled", 0), status.get("numberReady", 0),
            status.get("updatedNumberScheduled", 0), status.get("numberAvailable", 0),
            ",".join(f"{k}={v}" for k, v in sorted(selector.items())) or "<none>", age(ds)]


def _configmap_cells(cm: dict) -> list:
    return [name(cm), len(cm.get("data") or {}) + len(cm.get("binaryData") or {}), age(cm)]


def _secret_cells(secret: dict) -> list:
    return [name(secret), secret.get("type", "Opaque"), len(secret.get("data") or {}),
            age(secret)]


def _crd_cells(crd: dict) -> list:
    return [name(crd), crd["metadata"].get("creationTimestamp", "")]


PRINTERS = {
    ("", "Pod"): ([("Name",), ("Ready",), ("Status",), ("Restarts", "string"), ("Age",),
                   ("IP", "string", 1), ("Node", "string", 1), ("Nominated Node", "string", 1),
                   ("Readiness Gates", "string", 1)], _pod_cells),
    ("apps", "Deployment"): ([("Name",), ("Ready",), ("Up-to-date", "integer"),
                              ("Available", "integer"), ("Age",), ("Containers", "string", 1),
                              ("Images", "string", 1), ("Selector", "string", 1)],
                             _deployment_cells),
    ("apps", "ReplicaSet"): ([("Name",), ("Desired", "integer"), ("Current", "integer"),
                              ("Ready", "integer"), ("Age",)], _replicaset_cells),
    ("apps", "StatefulSet"): ([("Name",), ("Ready",), ("Age",)], _statefulset_cells),
    ("", "Service"): ([("Name",), ("Type",), ("Cluster-IP",), ("External-IP",), ("Port(s)",),
                       ("Age",), ("Selector", "string", 1)], _service_cells),
    ("", "Node"): ([("Name",), ("Status",), ("Roles",), ("Age",), ("Version",)], _node_cells),
    ("", "Namespace"): ([("Name",), ("Status",), ("Age",)], _namespace_cells),
    ("", "Event"): ([("Last Seen",), ("Type",), ("Reason",), ("Object",), ("Message",)],
                    _event_cells),
    ("batch", "Job"): ([("Name",), ("Status",), ("Completions",), ("Duration",), ("Age",)],
                       _job_cells),
    ("apps", "DaemonSet"): ([("Name",), ("Desired", "integer"), ("Current", "integer"),
                             ("Ready", "integer"), ("Up-to-date", "integer"),
                             ("Available", "integer"), ("Node Selector",), ("Age",)],
                            _daemonset_cells),
    ("", "ConfigMap"): ([("Name",), ("Data", "integer"), ("Age",)], _configmap_cells),
    ("", "Secret"): ([("Name",), ("Type",), ("Data", "integer"), ("Age",)], _secret_cells),
    ("apiextensions.k8s.io", "CustomResourceDefinition"): ([("Name",), ("Created At", "date")],
                                                           _crd_cells),
}
