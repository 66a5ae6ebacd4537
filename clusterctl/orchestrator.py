"""Run an explicit, ordered list of steps: look at the state, skip what is done, make the rest so."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from clusterctl.errors import ClusterctlError
from clusterctl.interrupts import interrupted
from clusterctl.steps.base import Step, Unchanged


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


@dataclass
class Alongside:
    """Branches of steps that do not depend on each other, run at the same time; each branch in order.

    Creating the cluster and building the images are both slow and need nothing from each other."""

    branches: list[list[Step]]


def run_steps(ctx, verb: str, steps: list) -> RunReport:
    """Run until done or the first failure, which is kept in the report (never raised)."""
    report = RunReport(verb, ctx.profile.name, ctx.driver.context)
    started = time.monotonic()
    try:
        for item in steps:
            if isinstance(item, Alongside):
                _run_alongside(ctx, item, report)
            else:
                _run_one(ctx, item, report)
    except ClusterctlError as exc:
        report.error = exc
    except KeyboardInterrupt:
        _stop_children(ctx)
        report.error = interrupted()
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _stop_children(ctx) -> None:
    ctx.interrupted = True
    if hasattr(ctx.runner, "terminate_all"):
        ctx.runner.terminate_all()


def _run_alongside(ctx, group: Alongside, report: RunReport) -> None:
    """Every branch runs to its end or its first failure; the first failure (in plan order) is raised.
    A branch is not cut short by the other's failure: what it finishes is state a rerun reuses."""
    from concurrent.futures import ThreadPoolExecutor, wait

    def branch(steps: list[Step]) -> None:
        for step in steps:
            _run_one(ctx, step, report)

    pool = ThreadPoolExecutor(max_workers=len(group.branches))
    futures = [pool.submit(branch, b) for b in group.branches]
    try:
        errors = [f.exception() for f in futures]  # waits for all; Ctrl-C lands here, in the main thread
    except KeyboardInterrupt:
        # Stop the children first, then let the branches record their interrupted steps in the report.
        _stop_children(ctx)
        wait(futures, timeout=10)
        raise
    finally:
        pool.shutdown(wait=False)
    for error in errors:
        if error is not None:
            raise error


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
        detail = step.run(ctx)
        finish("skipped" if isinstance(detail, Unchanged) else "done", detail)
    except ClusterctlError as exc:
        finish("failed", "interrupted" if ctx.interrupted else exc.message)
        raise
    except KeyboardInterrupt:
        finish("failed", "interrupted")
        raise


def plan_steps(ctx, steps: list) -> list[tuple[str, list[str]]]:
    plan = []
    for item in steps:
        if isinstance(item, Alongside):
            for n, branch in enumerate(item.branches):
                others = " and ".join(b[0].title(ctx).lower() for m, b in enumerate(item.branches) if m != n)
                plan += [(f"{s.title(ctx)} (alongside: {others})", [c.display() for c in s.plan(ctx)])
                         for s in branch]
        else:
            plan.append((item.title(ctx), [c.display() for c in item.plan(ctx)]))
    return plan
