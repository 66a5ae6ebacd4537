"""Bring one stand-in cluster's control plane up and tear it down; shared by both CLIs."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from . import docker, nodes, proc, tlsgen
from .kubeconfig import Entry
from .state import Cluster

DEFAULT_K8S = "v1.32.0"


def served_version(requested: str | None) -> str:
    """The version the stand-in reports: the one the tool resolved. The kubectl dispatcher here runs
    kubectl 1.27-1.33 by the server's minor and its own 1.32 for any other; the fields served come from
    the newest schema not newer than it (apiserver/fields.py)."""
    version = (requested or "").split("@")[0]
    parts = version.lstrip("v").split(".")
    if version.startswith("v1.") and len(parts) >= 2 and parts[1].isdigit():
        return version
    return DEFAULT_K8S


def provision(cluster: Cluster, record: dict, ca_dir: Path | None = None) -> int:
    """State dir, certificates (signed by the CA in ca_dir, if given), cluster.json, node containers,
    then the detached control plane."""
    if cluster.dir.exists():
        shutil.rmtree(cluster.dir)  # debris of a create that died half-way
    cluster.dir.mkdir(parents=True)
    record = {**record, "created": time.time()}
    cluster.save_record(record)
    tlsgen.generate(cluster.tls_dir, ca_dir)
    roles = record.get("roles") or ["control-plane"] + ["worker"] * (len(record["nodes"]) - 1)
    nodes.create(cluster, roles)
    return start(cluster)


def start(cluster: Cluster) -> int:
    record = cluster.record()
    argv = proc.controlplane_argv(cluster, record["nodes"], record["k8sVersion"],
                                  record.get("nodeCpu"), record.get("nodeMemory"))
    argv += ["--node-container", nodes.containers(cluster)[0]]
    return proc.launch(cluster, argv)


def destroy(cluster: Cluster) -> None:
    proc.stop(cluster)
    docker.remove_labelled(cluster.name, str(cluster.dir))
    nodes.remove(cluster)
    shutil.rmtree(cluster.dir, ignore_errors=True)


def entry(cluster: Cluster, context: str, server: str | None = None,
          namespace: str | None = None) -> Entry:
    info = cluster.apiserver() or {}
    made = Entry(name=context, server=server or info.get("url", ""), ca_data=cluster.ca_data(), namespace=namespace)
    if cluster.flavor == "kind":  # kind copies kubeadm's admin.conf: the admin's certificate and key, as data
        made.client_cert_data, made.client_key_data = cluster.client_cert_data(), cluster.client_key_data()
    else:
        made.token = cluster.token()
    return made
