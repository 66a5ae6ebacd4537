"""Run an explicit, ordered list of steps: look at the state, skip what is done, make the rest so."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from clusterctl.errors import ClusterctlError
from clusterctl.interrupts import interrupted, sigterm_as_interrupt
from clusterctl.steps.base import Step


@dataclass
class StepOutcome:
    name: str
    title: str
    phase: str
    status: str  # done | skipped | failed
    detail: str
    seconds: float


@dataclass
class RunReport:
    verb: str
    profile: str
    context: str
    steps: list[StepOutcome] = field(default_factory=list)
    seconds: float = 0.0
    error: ClusterctlError | None = None

    @property
    def changed(self) -> bool:
        return any(s.status == "done" and s.phase not in ("preflight", "ready") for s in self.steps)

    def phase_seconds(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for s in self.steps:
            totals[s.phase] = round(totals.get(s.phase, 0.0) + s.seconds, 3)
        return totals


def run_steps(ctx, verb: str, steps: list[Step]) -> RunReport:
    """Run until done or the first failure, which is kept in the report (never raised)."""
    report = RunReport(verb, ctx.profile.name, ctx.driver.context)
    started = time.monotonic()
    try:
        with sigterm_as_interrupt():
            for step in steps:
                _run_one(ctx, step, report)
    except ClusterctlError as exc:
        report.error = exc
    except KeyboardInterrupt:
        if hasattr(ctx.runner, "terminate_all"):
            ctx.runner.terminate_all()
        report.error = interrupted()
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _run_one(ctx, step: Step, report: RunReport) -> None:
    title = step.title(ctx)
    ctx.console.step_started(title)
    began = time.monotonic()

    def finish(status: str, detail: str) -> None:
        outcome = StepOutcome(step.name, title, step.phase, status, detail, round(time.monotonic() - began, 3))
        report.steps.append(outcome)
        ctx.console.step_finished(title, status, detail, outcome.seconds)

    try:
        state = step.check(ctx)
        if state.done:
            finish("skipped", state.reason)
            return
        finish("done", step.run(ctx))
    except ClusterctlError as exc:
        finish("failed", exc.message)
        raise
    except KeyboardInterrupt:
        finish("failed", "interrupted")
        raise


def plan_steps(ctx, steps: list[Step]) -> list[tuple[str, list[str]]]:
    return [(step.title(ctx), [c.display() for c in step.plan(ctx)]) for step in steps]
