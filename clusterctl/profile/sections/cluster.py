"""The `cluster` section: which driver, which Kubernetes, how many nodes, where the kubeconfig lives."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from clusterctl.kubeconfig import file_for
from clusterctl.profile import rules
from clusterctl.profile.check import Checker, Section
from clusterctl.profile.model import Cluster, KindSettings, MinikubeSettings, PortMapping

KEYS = ("name", "driver", "kubernetesVersion", "nodeImage", "kubeconfig", "kind", "minikube")
KIND_KEYS = ("controlPlanes", "workers", "extraPortMappings", "config")
MINIKUBE_KEYS = ("nodes", "cpus", "memory", "driver", "extraArgs")
PORT_KEYS = ("containerPort", "hostPort", "listenAddress", "protocol")
DRIVERS = ("kind", "minikube")
PROTOCOLS = ("TCP", "UDP", "SCTP")


def read_cluster(root: Section, env: Mapping[str, str]) -> Cluster | None:
    if not root.has("cluster"):
        root.report("cluster", "required key is missing")
        return None
    section = root.section("cluster", KEYS)
    if section is None:
        return None
    name = section.text("name", required=True, rule=rules.dns_label(50))
    driver = section.text("driver", required=True, choices=DRIVERS)
    section.refuse_with("nodeImage", "kubernetesVersion", "the node image already fixes the Kubernetes version")
    _refuse_other_driver(section, driver)
    cluster = Cluster(
        name=name or "",
        driver=driver or "kind",
        kubernetes_version=section.text("kubernetesVersion", rule=rules.kubernetes_version),
        node_image=section.text("nodeImage"),
        kind=_kind(section.section("kind", KIND_KEYS)) if driver != "minikube" else KindSettings(),
        minikube=_minikube(section.section("minikube", MINIKUBE_KEYS)) if driver != "kind" else MinikubeSettings(),
    )
    # An explicit file is used alone (kubectl --kubeconfig); else the file the user's kubectl reads it from.
    kubeconfig = section.path("kubeconfig") or file_for(env, cluster.context)
    return replace(cluster, kubeconfig=kubeconfig) if name and driver else None


def _refuse_other_driver(section: Section, driver: str | None) -> None:
    if driver == "minikube":
        for key in ("kind", "nodeImage"):
            if section.has(key):
                section.report(key, "only for driver: kind (this cluster uses driver: minikube)")
    if driver == "kind" and section.has("minikube"):
        section.report("minikube", "only for driver: minikube (this cluster uses driver: kind)")


def _kind(section: Section | None) -> KindSettings:
    if section is None:
        return KindSettings()
    for key in ("controlPlanes", "workers", "extraPortMappings"):
        section.refuse_with("config", key, "the kind config file already describes the nodes")
    mappings = [_port(section.checker, path, item) for path, item in section.items("extraPortMappings")]
    _refuse_reused_ports(section, mappings)
    return KindSettings(
        control_planes=section.integer("controlPlanes", 1, minimum=1),
        workers=section.integer("workers", 0, minimum=0),
        extra_port_mappings=tuple(m for m in mappings if m),
        config=section.path("config", want="file"),
    )


def _port(checker: Checker, path: str, value: object) -> PortMapping | None:
    section = checker.section(value, path, PORT_KEYS)
    if section is None:
        return None
    container = section.integer("containerPort", None, minimum=1, maximum=65535, required=True)
    host = section.integer("hostPort", None, minimum=1, maximum=65535, required=True)
    address = section.text("listenAddress", "127.0.0.1", rule=rules.ip_address)
    protocol = section.text("protocol", "TCP", choices=PROTOCOLS)
    if container is None or host is None:
        return None
    return PortMapping(container, host, address, protocol)


def _refuse_reused_ports(section: Section, mappings: list[PortMapping | None]) -> None:
    seen: dict[tuple, int] = {}
    for index, mapping in enumerate(mappings):
        if mapping is None:
            continue
        key = (mapping.listen_address, mapping.host_port, mapping.protocol)
        if key in seen:
            section.checker.report(f"{section.at('extraPortMappings')}[{index}].hostPort",
                                   f"host port {mapping.host_port} is already mapped by extraPortMappings[{seen[key]}]")
        seen.setdefault(key, index)


def _minikube(section: Section | None) -> MinikubeSettings:
    if section is None:
        return MinikubeSettings()
    return MinikubeSettings(
        nodes=section.integer("nodes", 1, minimum=1),
        cpus=section.integer("cpus", None, minimum=1),
        memory_mb=section.parsed("memory", rules.memory_mb, None),
        driver=section.text("driver", "docker"),
        extra_args=section.strings("extraArgs", rule=rules.extra_arg),
    )

