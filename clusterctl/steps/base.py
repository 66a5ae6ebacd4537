"""The shape of every step: what it is called, what it would run, is it already done, make it so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from clusterctl.runner import Command

if TYPE_CHECKING:
    from clusterctl.context import Context


@dataclass(frozen=True)
class Check:
    done: bool
    reason: str = ""


class Unchanged(str):
    """What `run` returns when the tool it ran found everything already so (the step is then reported
    skipped): only the tool could tell, e.g. `kind load` compares image IDs on every node itself."""


class Step(Protocol):
    name: str  # stable id, used in the report and the JSON
    phase: str  # preflight | cluster | build | ship | apply | ready

    def title(self, ctx: "Context") -> str: ...

    def plan(self, ctx: "Context") -> list[Command]: ...

    def check(self, ctx: "Context") -> Check: ...

    def run(self, ctx: "Context") -> str: ...
