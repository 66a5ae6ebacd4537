"""kubectl, always pinned to the profile's kubeconfig and context: never the user's current context."""

from __future__ import annotations

from pathlib import Path

from clusterctl.errors import ApplyRejected
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

    def apply_command(self, manifest: str) -> Command:
        return self.command("apply", "-f", "-", stdin=manifest)

    def apply(self, manifest: str) -> Result:
        result = self.runner.run(self.apply_command(manifest))
        return result.check(ApplyRejected, hint="the API server rejected the manifest; fix the object it names")

    def delete_command(self, manifest: str) -> Command:
        return self.command("delete", "--ignore-not-found", "--wait=false", "-f", "-", stdin=manifest)

    def kustomize_command(self, directory: Path) -> Command:
        return self.command("kustomize", str(directory))
