"""Preflight: the tools are installed and the docker daemon answers, before anything is touched."""

from __future__ import annotations

from clusterctl.errors import MissingTool
from clusterctl.runner import Command
from clusterctl.secrets import desired_secrets
from clusterctl.steps.base import Check
from clusterctl.toolversions import require

KUBECTL_HINT = "install kubectl: https://kubernetes.io/docs/tasks/tools/"
DOCKER_HINT = "install Docker: https://docs.docker.com/engine/install/"


def required_tools(ctx, needs_docker: bool) -> dict[str, str]:
    tools = {ctx.driver.tool: ctx.driver.install_hint, "kubectl": KUBECTL_HINT}
    if needs_docker:
        tools["docker"] = DOCKER_HINT
    return tools


def missing_tools(ctx, needs_docker: bool) -> list[tuple[str, str]]:
    return [(tool, hint) for tool, hint in required_tools(ctx, needs_docker).items() if not ctx.runner.which(tool)]


class Preflight:
    name = "preflight"
    phase = "preflight"

    def __init__(self, needs_docker: bool = True, needs_secrets: bool = False):
        self.needs_docker = needs_docker
        self.needs_secrets = needs_secrets

    def title(self, ctx) -> str:
        return "Check tools"

    def plan(self, ctx) -> list[Command]:
        versions = [ctx.driver.version_command(), ctx.kubectl.version_command()]
        return versions + ([ctx.docker.server_version_command()] if self.needs_docker else [])

    def check(self, ctx) -> Check:
        return Check(False)

    def run(self, ctx) -> str:
        missing = missing_tools(ctx, self.needs_docker)
        if missing:
            names = ", ".join(tool for tool, _ in missing)
            raise MissingTool(f"missing {names}", hint="; ".join(hint for _, hint in missing))
        if self.needs_secrets:
            desired_secrets(ctx.profile)  # every unset variable named now, before a cluster or build starts
        driver = ctx.driver
        found = [f"{driver.tool} {require(ctx.runner, driver.tool, driver.version_command(), driver.install_hint)}",
                 f"kubectl {require(ctx.runner, 'kubectl', ctx.kubectl.version_command(), KUBECTL_HINT)}"]
        if self.needs_docker:
            found.append(f"docker {ctx.docker.server_version()}")
        return ", ".join(found)
