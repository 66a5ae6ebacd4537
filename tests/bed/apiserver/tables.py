"""meta.k8s.io/v1 Table answers, so `kubectl get` prints the columns the real server gives."""
from __future__ import annotations

import time

from .resources import Resource
from .timefmt import human_age, human_duration, parse_rfc3339

TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def wants_table(accept: str) -> bool:
    return "as=Table" in (accept or "")


def table(resource: Resource, objects: list[dict], rv: str, with_columns: bool = True) -> dict:
    columns, cells = _printer(resource)
    return {
        "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv},
        "columnDefinitions": [_column(*c) for c in columns] if with_columns else [],
        "rows": [{"cells": cells(o), "object": _partial(o)} for o in objects],
    }


def _column(name: str, type_: str = "string", priority: int = 0) -> dict:
    return {"name": name, "type": type_, "format": "name" if name == "Name" else "",
            "description": name, "priority": priority}


def _partial(obj: dict) -> dict:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata", {})}


def _printer(resource: Resource):
    if resource.printer_columns:
        return _custom_printer(resource)
    printer = _PRINTERS.get((resource.group, resource.kind))
    if printer:
        return printer
    return [("Name",), ("Age",)], lambda o: [_name(o), _age(o)]


def _name(o: dict) -> str:
    return o["metadata"]["name"]


def _age(o: dict) -> str:
    return human_age(o["metadata"].get("creationTimestamp"))


def pod_status(pod: dict) -> tuple[str, int, int, str]:
    """(STATUS, ready containers, restarts, last restart age) the way kubectl's printPod does."""
    status = pod.get("status") or {}
    reason = status.get("reason") or status.get("phase") or ""
    initializing, reason = _init_status(pod, reason)
    ready = restarts = 0
    last_restart = 0.0
    has_running = False
    for cs in status.get("containerStatuses") or []:
        restarts += cs.get("restartCount", 0)
        finished = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
        if finished:
            last_restart = max(last_restart, parse_rfc3339(finished))
    if not initializing:
        for cs in reversed(status.get("containerStatuses") or []):
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated:
                signal = terminated.get("signal")
                reason = f"Signal:{signal}" if signal else f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running"):
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _pod_ready(pod) else "NotReady"
    if pod["metadata"].get("deletionTimestamp"):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"
    ago = human_duration(time.time() - last_restart) if last_restart else ""
    return reason, ready, restarts, ago


def _init_status(pod: dict, reason: str) -> tuple[bool, str]:
    inits = (pod.get("spec") or {}).get("initContainers") or []
    for i, cs in enumerate((pod.get("status") or {}).get("initContainerStatuses") or []):
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated and terminated.get("exitCode", 0) == 0:
            continue
        if terminated:
            return True, "Init:" + (terminated.get("reason") or
                                    f"ExitCode:{terminated.get('exitCode')}")
        if waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            return True, "Init:" + waiting["reason"]
        return True, f"Init:{i}/{len(inits)}"
    return False, reason


def _pod_ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def _pod_cells(pod: dict) -> list:
    reason, ready, restarts, ago = pod_status(pod)
    total = len((pod.get("spec") or {}).get("containers") or [])
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    return [_name(pod), f"{ready}/{total}", reason,
            f"{restarts} ({ago} ago)" if ago else str(restarts), _age(pod),
            status.get("podIP") or "<none>", spec.get("nodeName") or "<none>", "<none>", "<none>"]


def _deployment_cells(d: dict) -> list:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    return [_name(d), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
            status.get("updatedReplicas", 0), status.get("availableReplicas", 0), _age(d),
            _containers(spec), _images(spec), _selector(spec.get("selector"))]


def _replicaset_cells(rs: dict) -> list:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    return [_name(rs), spec.get("replicas", 0), status.get("replicas", 0),
            status.get("readyReplicas", 0), _age(rs)]


def _statefulset_cells(s: dict) -> list:
    spec, status = s.get("spec") or {}, s.get("status") or {}
    return [_name(s), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}", _age(s)]


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
    return [_name(svc), type_, spec.get("clusterIP") or "<none>", _external_ip(svc, type_),
            ports, _age(svc), _selector(spec.get("selector"))]


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
    return [_name(node), status, ",".join(roles) or "<none>", _age(node), version]


def _namespace_cells(ns: dict) -> list:
    return [_name(ns), (ns.get("status") or {}).get("phase", ""), _age(ns)]


_PRINTERS = {
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
}


def _custom_printer(resource: Resource):
    extra = [c for c in resource.printer_columns if c.get("jsonPath") != ".metadata.creationTimestamp"]
    columns = [("Name",)] + [(c["name"], c.get("type", "string"), c.get("priority", 0))
                             for c in extra] + [("Age",)]

    def cells(o: dict) -> list:
        return [_name(o)] + [_json_path(o, c.get("jsonPath", "")) for c in extra] + [_age(o)]
    return columns, cells


def _json_path(obj, path: str):
    for part in path.lstrip(".").split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return "" if obj is None else obj
