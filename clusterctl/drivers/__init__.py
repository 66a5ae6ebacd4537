"""Cluster drivers: one module per cluster product behind one protocol, picked from a table by name."""

from __future__ import annotations

from pathlib import Path

from clusterctl.drivers.base import ClusterDriver, ClusterState
from clusterctl.drivers.kind import KindDriver
from clusterctl.drivers.minikube import MinikubeDriver
from clusterctl.errors import BadInput
from clusterctl.profile.model import Cluster
from clusterctl.runner import Runner

DRIVERS: dict[str, type] = {"kind": KindDriver, "minikube": MinikubeDriver}


def driver_for(cluster: Cluster, runner: Runner, kubeconfig: Path) -> ClusterDriver:
    try:
        driver_class = DRIVERS[cluster.driver]
    except KeyError:
        raise BadInput(f"unknown driver {cluster.driver!r}", hint=f"use one of: {', '.join(sorted(DRIVERS))}")
    return driver_class(cluster, runner, kubeconfig)


__all__ = ["ClusterDriver", "ClusterState", "DRIVERS", "driver_for"]
