"""kubectl, always pinned to the profile's kubeconfig and context: never the user's current context."""

from __future__ import annotations

from pathlib import Path

from clusterctl.errors import ApplyRejected
from clusterctl.redact import redact
from clusterctl.runner import Command, Result, Runner


class Kubectl:
    def __init__(self, runner: Runner, kubeconfig: Path, context: str):
        self.runner = runner
        self.kubeconfig = kubeconfig
        self.context = context

    def command(self, *args: str, stdin: str | None = None) -> Command:
        return Command(("kubectl", "--kubeconfig", str(self.kubeconfig), "--context", self.context, *args), stdin=stdin)

    def run(self, *args: str, stdin: str | None = None) -> Result:
        return self.runner.run(self.command(*args, stdin=stdin))

    def version_command(self) -> Command:
        return Command(("kubectl", "version", "--client", "-o", "json"))

    def apply_command(self, manifest: str) -> Command:
        return self.command("apply", "-f", "-", stdin=manifest)

    def apply(self, manifest: str) -> Result:
        command = self.apply_command(manifest)
        result = self.runner.run(command)
        if not result.ok:
            output = redact((result.stderr or result.stdout).strip()).splitlines()
            raise ApplyRejected(f"kubectl apply was rejected: {_reason(output, result.returncode)}",
                                hint="fix the object it names and rerun",
                                details=[f"$ {command.display()}", *output[-40:]])
        return result

    def delete_command(self, manifest: str) -> Command:
        return self.command("delete", "--ignore-not-found", "--wait=false", "-f", "-", stdin=manifest)

    def kustomize_command(self, directory: Path) -> Command:
        return self.command("kustomize", str(directory))


def _reason(output: list[str], code: int) -> str:
    """The API server's own words (`The Deployment "web" is invalid: ...`), not kubectl's warnings."""
    lines = [line.strip() for line in output if line.strip() and not line.startswith("Warning:")]
    return lines[0] if lines else f"kubectl exited with code {code} and said nothing"
