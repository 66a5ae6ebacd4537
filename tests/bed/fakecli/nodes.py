"""Node containers: each stand-in node is a real, stoppable docker container, as kind and minikube make.

kind labels its nodes `io.x-k8s.kind.cluster=NAME` and lists them with `docker ps -a` (stopped ones too);
minikube labels them `name.minikube.sigs.k8s.io=NAME`. The control plane follows its first node: while
that container is stopped the API server does not answer (tests/bed/README.md).

Docker names are unique per engine and several beds share one, so a container is named after its node
plus a tag of the cluster's state dir; the cluster label carries the plain cluster name.
"""
from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile

from . import docker
from .state import Cluster

IMAGE = "clusterctl-bed-node:1"  # busybox alone, imported from the host's static binary
BUSYBOX = "/usr/bin/busybox"
NODE_OF_LABEL = "clusterctl-bed.node-of"  # not the kubelet's label: it removes those at start
CLUSTER_LABELS = {"kind": "io.x-k8s.kind.cluster", "minikube": "name.minikube.sigs.k8s.io"}
ROLE_LABEL = "io.x-k8s.kind.role"


def container_name(cluster: Cluster, node: str) -> str:
    tag = hashlib.sha256(str(cluster.dir).encode()).hexdigest()[:6]
    return f"{node}-{tag}"


def containers(cluster: Cluster) -> list[str]:
    return [container_name(cluster, n) for n in cluster.nodes()]


def _ensure_image() -> None:
    try:
        docker.run(["docker", "image", "inspect", "-f", "{{.Id}}", IMAGE])
        return
    except docker.RunError:
        pass
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        tar.add(BUSYBOX, arcname="busybox")
    subprocess.run(["docker", "import", "-", IMAGE], input=data.getvalue(), capture_output=True,
                   check=True, timeout=120)


def create(cluster: Cluster, roles: list[str]) -> None:
    """`docker run` one container per node; PID 1 is docker's init, so `docker stop` is prompt."""
    _ensure_image()
    for node, role in zip(cluster.nodes(), roles):
        docker.run(["docker", "run", "-d", "--init", "--network", "none",
                    "--name", container_name(cluster, node), "--hostname", node,
                    "--label", f"{CLUSTER_LABELS[cluster.flavor]}={cluster.name}",
                    "--label", f"{ROLE_LABEL}={role}",
                    "--label", f"{NODE_OF_LABEL}={cluster.name}",
                    "--label", f"{docker.STATE_DIR_LABEL}={cluster.dir}",
                    IMAGE, "/busybox", "sleep", "999999999"])


def running(cluster: Cluster) -> bool:
    """Every node container is running (False when one is stopped or gone)."""
    names = containers(cluster)
    if not names:
        return False
    try:
        states = docker.run(["docker", "inspect", "--type", "container", "-f", "{{.State.Running}}",
                             *names]).split()
    except docker.RunError:
        return False
    return states == ["true"] * len(names)


def start(cluster: Cluster) -> None:
    docker.run(["docker", "start", *containers(cluster)])


def stop(cluster: Cluster) -> None:
    docker.run(["docker", "stop", *containers(cluster)])


def remove(cluster: Cluster) -> None:
    """Best effort, and only this state dir's nodes (another bed may hold a cluster of the same name)."""
    try:
        rows = docker.run(["docker", "ps", "-a", "--filter", f"label={NODE_OF_LABEL}={cluster.name}",
                           "--format", f'{{{{.ID}}}} {{{{.Label "{docker.STATE_DIR_LABEL}"}}}}']).splitlines()
        ids = [row.split(" ", 1)[0] for row in rows if row.partition(" ")[2].strip() == str(cluster.dir)]
        if ids:
            docker.run(["docker", "rm", "-f", "-v", *ids])
    except docker.RunError:
        pass
