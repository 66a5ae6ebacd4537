"""The error hierarchy. Each class owns the exit code of its failure class (README: Exit codes)."""

from __future__ import annotations

from dataclasses import dataclass


class ClusterctlError(Exception):
    """An expected failure: printed as a message with a hint, never as a traceback."""

    exit_code = 1
    kind = "unexpected"

    def __init__(self, message: str, *, hint: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or []


class BadInput(ClusterctlError):
    exit_code = 2
    kind = "bad-input"


class MissingTool(ClusterctlError):
    exit_code = 3
    kind = "missing-tool"


class BuildFailed(ClusterctlError):
    exit_code = 4
    kind = "build-failed"


class ShipFailed(ClusterctlError):
    exit_code = 5
    kind = "ship-failed"


class ApplyRejected(ClusterctlError):
    exit_code = 6
    kind = "apply-rejected"


class WorkloadsFailed(ClusterctlError):
    exit_code = 7
    kind = "workloads-failed"


class WaitTimeout(ClusterctlError):
    exit_code = 8
    kind = "timeout"


class ClusterFailed(ClusterctlError):
    """kind or minikube could not create or delete the cluster."""

    exit_code = 9
    kind = "cluster-failed"


class ApiUnreachable(ClusterctlError):
    """The cluster's API server stopped answering (or never did)."""

    exit_code = 10
    kind = "api-unreachable"


class WrongCluster(ClusterctlError):
    """The context no longer points at the cluster clusterctl created: refused, nothing touched."""

    exit_code = 11
    kind = "wrong-cluster"


class Busy(ClusterctlError):
    """Another up, redeploy or down holds the cluster's lock (with --no-wait)."""

    exit_code = 12
    kind = "busy"


class Interrupted(ClusterctlError):
    exit_code = 130
    kind = "interrupted"


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what is wrong."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}"


class InvalidInput(BadInput):
    """Every problem found in one validation pass, so the user can fix them all at once."""

    def __init__(self, problems: list[Problem], *, hint: str | None = None):
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid input"
        more = len(self.problems) - 1
        message = first if not more else f"{first} (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message, hint=hint, details=[str(p) for p in self.problems])


class CommandFailed(ClusterctlError):
    """An external command that exited non-zero, carrying its argv and output (as kind's RunError does).

    `failure` names the failure class (build, ship, apply ...), which decides the exit code.
    """

    def __init__(self, result, *, failure: type[ClusterctlError] = ClusterctlError, hint: str | None = None):
        from clusterctl.redact import redact

        self.result = result
        self.exit_code = failure.exit_code
        self.kind = failure.kind
        output = redact((result.stderr or result.stdout).strip())
        command = redact(" ".join(result.argv))
        super().__init__(
            f"command \"{command}\" failed with exit code {result.returncode}",
            hint=hint,
            details=output.splitlines()[-40:] if output else [],
        )
