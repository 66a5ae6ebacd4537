"""Preflight: the tools are installed and the docker daemon answers, before anything is touched."""

from __future__ import annotations

import os

from clusterctl import kubeconfig
from clusterctl.buildsecrets import require_build_secrets
from clusterctl.errors import BadInput, MissingTool
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

    def __init__(self, needs_docker: bool = True, needs_secrets: bool = False, starts_cluster: bool = False):
        self.needs_docker = needs_docker
        self.needs_secrets = needs_secrets
        self.starts_cluster = starts_cluster

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
        if self.starts_cluster:
            refuse_minikube_as_root(ctx.profile.cluster)
        for entry in kubeconfig.shadowed(os.environ, ctx.kubeconfig, ctx.driver.context):
            ctx.notes.append(f"your kubectl takes {entry}, not from {ctx.kubeconfig} where clusterctl's context "
                             f"{ctx.driver.context!r} is: it reaches another server; remove that stale entry")
        if self.needs_secrets:
            desired_secrets(ctx.profile)  # every unset variable named now, before a cluster or build starts
        driver = ctx.driver
        found = [f"{driver.tool} {require(ctx.runner, driver.tool, driver.version_command(), driver.install_hint)}",
                 f"kubectl {require(ctx.runner, 'kubectl', ctx.kubectl.version_command(), KUBECTL_HINT)}"]
        if self.needs_docker:
            found.append(f"docker {ctx.docker.server_version()}")
            require_build_secrets(ctx.docker, ctx.images, os.environ)
        return ", ".join(found)


def refuse_minikube_as_root(cluster) -> None:
    """minikube start exits 57 (DRV_AS_ROOT) for uid 0 with any driver but none, unless given --force
    (start.go validateUser). --force is passed only when the profile asks: it also skips minikube's other
    checks (driver health, memory, Kubernetes version), so clusterctl never adds it on its own."""
    settings = cluster.minikube
    if cluster.driver != "minikube" or settings.driver == "none" or _forced(settings.extra_args):
        return
    if getattr(os, "getuid", lambda: -1)() != 0:
        return
    raise BadInput(
        f'minikube refuses the "{settings.driver}" driver as root (DRV_AS_ROOT), and clusterctl runs as root',
        hint='run clusterctl as a regular user (in the docker group), or add "--force" to '
             "cluster.minikube.extraArgs to accept minikube's risk: it also skips its other safety checks")


def _forced(extra_args: tuple[str, ...]) -> bool:
    return any(arg in ("--force", "--force=true") for arg in extra_args)
