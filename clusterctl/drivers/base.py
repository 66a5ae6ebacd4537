"""The protocol every cluster driver satisfies."""

from __future__ import annotations

import enum
from typing import Protocol

from clusterctl.runner import Command


class ClusterState(enum.Enum):
    ABSENT = "absent"
    RUNNING = "running"
    STOPPED = "stopped"


class ClusterDriver(Protocol):
    tool: str  # the executable this driver shells out to
    install_hint: str

    @property
    def context(self) -> str: ...

    def version_command(self) -> Command: ...

    def state(self) -> ClusterState: ...

    def create_command(self) -> Command: ...

    def create(self) -> None: ...

    def delete_command(self) -> Command: ...

    def delete(self) -> bool: ...  # False when there was nothing to delete

    def load_commands(self, refs: list[str]) -> list[Command]: ...

    def load(self, refs: list[str]) -> None: ...

    def node_images(self) -> set[str] | None: ...  # normalised refs; None when the driver reads them from the API
