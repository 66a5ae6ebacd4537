"""`clusterctl urls`: how to reach each NodePort or LoadBalancer Service of the profile from this machine.

kind publishes a node port on the host only through the cluster's `extraPortMappings`, fixed when the
cluster is created; minikube knows its own answer (`minikube service --url`), which on some platforms
is a tunnel that lives only as long as that command runs.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from clusterctl.kube import paths
from clusterctl.manifests.bundle import render_batches
from clusterctl.profile.model import PortMapping
from clusterctl.runner import Command

EXPOSED = ("NodePort", "LoadBalancer")
MINIKUBE_TIMEOUT_S = 30  # `minikube service` waits 2 s for the service by default
TUNNEL_GRACE_S = 1.0  # after the first URL: Linux exits at once, a tunnel keeps running
_URL = re.compile(r"^https?://\S+$")


@dataclass
class Endpoint:
    namespace: str
    service: str
    type: str
    port: int
    protocol: str
    node_port: int | None
    url: str | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return {"namespace": self.namespace, "service": self.service, "type": self.type, "port": self.port,
                "protocol": self.protocol, "nodePort": self.node_port, "url": self.url, "note": self.note}


def services(ctx) -> list[tuple[str, str, dict | None]]:
    """(namespace, name, live object or None) of every Service in the profile's manifests."""
    declared = [(o.namespace, o.name) for b in render_batches(ctx) for o in b.objects if o.kind == "Service"]
    return [(ns, name, ctx.api.get(paths.item("Service", ns, name))) for ns, name in declared]


def endpoints(service: dict) -> list[Endpoint]:
    meta, spec = service["metadata"], service.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    return [Endpoint(meta.get("namespace", ""), meta["name"], kind, p.get("port", 0), p.get("protocol", "TCP"),
                     p.get("nodePort"))
            for p in spec.get("ports") or []] if kind in EXPOSED else []


def kind_mappings(cluster) -> tuple[list[PortMapping], str]:
    """The host port mappings of the first node, and the profile key (or file) that holds them."""
    if cluster.kind.config is None:
        return list(cluster.kind.extra_port_mappings), "cluster.kind.extraPortMappings"
    doc = yaml.safe_load(Path(cluster.kind.config).read_text()) or {}
    first = (doc.get("nodes") or [{}])[0] or {}
    mappings = [PortMapping(m["containerPort"], m["hostPort"], m.get("listenAddress", "0.0.0.0"),
                            m.get("protocol", "TCP")) for m in first.get("extraPortMappings") or []]
    return mappings, f"nodes[0].extraPortMappings in {cluster.kind.config}"


def _scheme(endpoint: Endpoint) -> str:
    return "https" if endpoint.port == 443 else "http"


def _host(address: str) -> str:
    if address in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{address}]" if ":" in address else address


def on_kind(endpoint: Endpoint, service: dict, mappings: list[PortMapping], where: str) -> Endpoint:
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if endpoint.type == "LoadBalancer" and ingress:
        address = ingress[0].get("ip") or ingress[0].get("hostname")
        endpoint.url = f"{_scheme(endpoint)}://{_host(address)}:{endpoint.port}"
        return endpoint
    mapped = next((m for m in mappings if m.container_port == endpoint.node_port
                   and m.protocol.upper() == endpoint.protocol.upper()), None)
    if mapped is None:
        endpoint.note = (f"nodePort {endpoint.node_port} is not mapped to this machine: add "
                         f"{{containerPort: {endpoint.node_port}, hostPort: {endpoint.node_port}}} to {where}, "
                         "then recreate the cluster (kind maps ports only at creation)")
    elif endpoint.protocol.upper() == "TCP":
        endpoint.url = f"{_scheme(endpoint)}://{_host(mapped.listen_address)}:{mapped.host_port}"
    else:
        endpoint.url = f"{_host(mapped.listen_address)}:{mapped.host_port}/{endpoint.protocol.upper()}"
    return endpoint


def minikube_command(ctx, namespace: str, name: str) -> Command:
    argv = ("minikube", "service", name, "--url", "-n", namespace, "-p", ctx.profile.cluster.name)
    return Command(argv, env={"KUBECONFIG": str(ctx.kubeconfig)}, timeout=MINIKUBE_TIMEOUT_S)


class _ServiceURL:
    """One `minikube service --url` run in the background: its URLs once it exits, or the first ones
    when it keeps running (a tunnel on macOS, Windows, WSL or Docker Desktop)."""

    def __init__(self, ctx, namespace: str, name: str):
        self.ctx, self.seen, self.result, self.tunnel = ctx, [], None, False
        self.first = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(minikube_command(ctx, namespace, name),), daemon=True)

    def _run(self, cmd: Command) -> None:
        def take(line: str) -> None:
            if _URL.match(line.strip()):
                self.seen.append(line.strip())
                self.first.set()
        self.result = self.ctx.runner.run(cmd, take)

    def settle(self, deadline: float) -> None:
        while self.thread.is_alive() and not self.first.is_set() and time.monotonic() < deadline:
            self.first.wait(0.1)
        self.thread.join(TUNNEL_GRACE_S if self.first.is_set() else 0)
        self.tunnel = self.thread.is_alive()

    def urls(self) -> list[str]:
        if self.result is not None and not self.tunnel:
            return [line.strip() for line in self.result.stdout.splitlines() if _URL.match(line.strip())]
        return list(self.seen)

    def complaint(self) -> str:
        if self.result is None or self.result.ok:
            return ""
        said = [line.strip() for line in self.result.stderr.splitlines() if line.strip()]
        return said[-1] if said else f"minikube exited {self.result.returncode}"


def on_minikube(ctx, found: list[tuple[dict, list[Endpoint]]]) -> None:
    """Ask minikube for every service at once, then stop whatever still runs."""
    runs = []
    for service, points in found:
        run = _ServiceURL(ctx, service["metadata"].get("namespace", ""), service["metadata"]["name"])
        run.thread.start()
        runs.append((run, service, points))
    deadline = time.monotonic() + MINIKUBE_TIMEOUT_S
    for run, _, _ in runs:
        run.settle(deadline)
    if any(run.tunnel for run, _, _ in runs) and hasattr(ctx.runner, "terminate_all"):
        ctx.runner.terminate_all()
    for run, service, points in runs:
        run.thread.join()
        _fill(ctx, run, service, points)


def _fill(ctx, run: _ServiceURL, service: dict, points: list[Endpoint]) -> None:
    urls = run.urls()
    with_port = [p for p in points if p.node_port]
    for point, url in zip(with_port, urls):
        point.url = url
    name, namespace = service["metadata"]["name"], service["metadata"].get("namespace", "")
    for point in points:
        if run.tunnel and point.url:
            point.note = (f"a tunnel that works only while `minikube service {name} -n {namespace} "
                          f"-p {ctx.profile.cluster.name}` runs: keep it open in another terminal")
        elif run.complaint():
            point.note = f"minikube: {run.complaint()}"
        elif not point.url:
            point.note = "minikube printed no URL for this port"


def collect(ctx) -> tuple[list[Endpoint], list[str]]:
    """Every exposed port with its URL or the reason it has none, and notes about the other Services."""
    found, notes, hidden = [], [], []
    for namespace, name, live in services(ctx):
        if live is None:
            notes.append(f"service {namespace}/{name} is not in the cluster: run `clusterctl up {ctx.profile.name}`")
        elif points := endpoints(live):
            found.append((live, points))
        else:
            hidden.append(f"{namespace}/{name}")
    if hidden:
        notes.append(f"not exposed (ClusterIP): {', '.join(hidden)}; set `spec.type: NodePort` to reach one from "
                     "this machine, or use `kubectl port-forward`")
    if ctx.profile.cluster.driver == "minikube":
        on_minikube(ctx, found)
    else:
        mappings, where = kind_mappings(ctx.profile.cluster)
        for live, points in found:
            for point in points:
                on_kind(point, live, mappings, where)
    return [p for _, points in found for p in points], notes


def show_urls(ctx, as_json: bool) -> int:
    from clusterctl.status import require_running

    require_running(ctx)
    found, notes = collect(ctx)
    if as_json:
        from clusterctl import redact

        doc = {"schema": "clusterctl.dev/report/v1", "verb": "urls", "profile": ctx.profile.name,
               "context": ctx.driver.context, "ok": all(p.url for p in found),
               "services": [p.as_dict() for p in found], "notes": notes}
        ctx.console.print(redact.dumps(doc, indent=2))
        return 0
    if found:
        ctx.console.print(_table(found))
    else:
        ctx.console.print(f"no NodePort or LoadBalancer Service in profile {ctx.profile.name!r}")
    for point in found:
        if point.note:
            ctx.console.print(f"note: {point.service} port {point.port}: {point.note}")
    for note in notes:
        ctx.console.print(f"note: {note}")
    return 0


def _table(found: list[Endpoint]):
    from clusterctl.report import table

    rows = [[p.namespace, p.service, p.type, f"{p.port}:{p.node_port}" if p.node_port else str(p.port),
             p.url or "-"] for p in found]
    return table(["NAMESPACE", "SERVICE", "TYPE", "PORT", "URL"], rows)
