"""The protocol every cluster driver satisfies."""

from __future__ import annotations

import enum
from typing import Protocol

from pathlib import Path

from clusterctl.errors import ClusterFailed
from clusterctl.profile.model import Cluster
from clusterctl.runner import Command, Runner


class ClusterState(enum.Enum):
    ABSENT = "absent"
    RUNNING = "running"
    STOPPED = "stopped"


class ClusterDriver(Protocol):
    tool: str  # the executable this driver shells out to
    install_hint: str
    api_port_moves: bool  # its API may come back on another loopback port after a stop (clusterctl/guard.py)
    # where api_port_moves: context_is_current() -> bool, the tool's own word that the context is its API

    @property
    def context(self) -> str: ...

    def version_command(self) -> Command: ...

    def state(self) -> ClusterState: ...

    def create_command(self) -> Command: ...

    def create(self) -> None: ...

    def start(self) -> None: ...  # a STOPPED cluster, as it was

    def delete_command(self) -> Command: ...

    def delete(self) -> bool: ...  # False when there was nothing to delete

    def load_commands(self, refs: list[str]) -> list[Command]: ...

    # Whether an image is on the nodes is asked of the nodes' runtime and decided by image ID, never read
    # from Node.status.images: the kubelet refreshes that list every 30 s and reports 50 images at most.
    def unloaded(self, refs: list[str]) -> list[str]: ...  # refs some node may lack

    def load(self, refs: list[str], parallelism: int) -> list[str]: ...  # the refs that changed a node


class CommandDriver:
    """What every driver shares: its inputs, and delete-if-present."""

    def __init__(self, cluster: Cluster, runner: Runner, kubeconfig: Path):
        self.cluster = cluster
        self.runner = runner
        self.kubeconfig = kubeconfig

    def delete(self) -> bool:
        existed = self.state() is not ClusterState.ABSENT
        self.runner.run(self.delete_command()).check(ClusterFailed)
        return existed
