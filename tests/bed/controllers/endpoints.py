"""Endpoints controller: each selector Service lists the matching pods' (fake) addresses."""
from __future__ import annotations

from tests.bed.apiserver.errors import NotFound
from tests.bed.apiserver.selectors import matches

from .loop import Controller
from .objects import key, pod_active, pod_ready


class EndpointsController(Controller):
    watched = frozenset({"Service", "Pod"})

    def keys_for(self, obj):
        if obj["kind"] == "Service":
            return [key(obj)]
        labels = obj["metadata"].get("labels") or {}
        return [key(s) for s in self.store.list("v1", "Service", obj["metadata"].get("namespace"))
                if _selects(s, labels)]

    def all_keys(self):
        return [key(s) for s in self.store.list("v1", "Service")]

    def reconcile(self, k):
        try:
            svc = self.store.get("v1", "Service", *k)
        except NotFound:
            self._drop(k)
            return None
        if not (svc.get("spec") or {}).get("selector"):
            return None  # endpoints of a selector-less Service are the user's
        pods = [p for p in self.store.list("v1", "Pod", k[0])
                if _selects(svc, p["metadata"].get("labels") or {}) and pod_active(p)
                and (p.get("status") or {}).get("podIP")]
        want = {"apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": k[1], "namespace": k[0],
                             "labels": svc["metadata"].get("labels") or {}}}
        subsets = _subsets(svc, pods)
        if subsets:
            want["subsets"] = subsets
        self._write(want)
        return None

    def _write(self, want: dict) -> None:
        try:
            live = self.store.get("v1", "Endpoints", *key(want))
        except NotFound:
            self.store.create(want)
            return
        if live.get("subsets") != want.get("subsets") or \
                live["metadata"].get("labels") != want["metadata"]["labels"]:
            live["metadata"]["labels"] = want["metadata"]["labels"]
            live.pop("subsets", None)
            if "subsets" in want:
                live["subsets"] = want["subsets"]
            self.store.update(live)

    def _drop(self, k) -> None:
        try:
            self.store.delete("v1", "Endpoints", *k)
        except NotFound:
            pass


def _selects(svc: dict, labels: dict) -> bool:
    selector = (svc.get("spec") or {}).get("selector") or {}
    return bool(selector) and matches([(k, "=", (v,)) for k, v in selector.items()], labels)


def _subsets(svc: dict, pods: list[dict]) -> list[dict]:
    """One subset per distinct resolved port list, as named targetPorts may differ per pod."""
    grouped: dict[tuple, dict] = {}
    for pod in pods:
        ports = [_endpoint_port(p, pod) for p in svc["spec"].get("ports") or []]
        subset = grouped.setdefault(tuple(sorted(str(p) for p in ports)), {"ports": ports})
        address = {"ip": pod["status"]["podIP"], "nodeName": pod["spec"].get("nodeName"),
                   "targetRef": {"kind": "Pod", "namespace": pod["metadata"]["namespace"],
                                 "name": pod["metadata"]["name"], "uid": pod["metadata"]["uid"]}}
        field = "addresses" if pod_ready(pod) else "notReadyAddresses"
        subset.setdefault(field, []).append(address)
    return [grouped[k] for k in sorted(grouped)]


def _endpoint_port(svc_port: dict, pod: dict) -> dict:
    target = svc_port.get("targetPort", svc_port.get("port"))
    if isinstance(target, str) and not target.isdigit():
        named = {p.get("name"): p.get("containerPort")
                 for c in pod["spec"].get("containers") or [] for p in c.get("ports") or []}
        target = named.get(target, target)
    port = {"port": int(target) if str(target).isdigit() else target,
            "protocol": svc_port.get("protocol", "TCP")}
    if svc_port.get("name"):
        port["name"] = svc_port["name"]
    return port
