"""`docker run` for one pod container: names, labels, limits, user, command and environment.

Variable values never appear in argv: single-line values go through an --env-file (0600, removed
as soon as `docker run` returns); multi-line ones through the CLI's own environment (`-e NAME`).
"""
from __future__ import annotations

import math
import os
import tempfile

from tests.bed.controllers import quantity

from .env import expand
from .images import Image

CLUSTER_LABEL = "clusterctl-bed.cluster"
STATE_DIR_LABEL = "clusterctl-bed.state-dir"  # beds share one engine: a cluster's name is not unique there


def container_name(pod: dict, container: str, attempt: int) -> str:
    meta = pod["metadata"]
    return f"k8s_{container}_{meta['name']}_{meta['namespace']}_{meta['uid']}_{attempt}"


def run_argv(opts, pod: dict, container: dict, image: Image, attempt: int,
             env_file: str | None, inherited: list[str]) -> list[str]:
    meta = pod["metadata"]
    argv = ["run", "-d", "--name", container_name(pod, container["name"], attempt),
            "--network", "none", "--hostname", meta["name"][:63],
            "--label", f"{CLUSTER_LABEL}={opts.name}",
            "--label", f"{STATE_DIR_LABEL}={opts.state_dir}",
            "--label", f"io.kubernetes.pod.name={meta['name']}",
            "--label", f"io.kubernetes.pod.namespace={meta['namespace']}",
            "--label", f"io.kubernetes.pod.uid={meta['uid']}",
            "--label", f"io.kubernetes.container.name={container['name']}",
            "--label", f"io.kubernetes.container.restartCount={attempt}"]
    if env_file:
        argv += ["--env-file", env_file]
    for name in inherited:
        argv += ["-e", name]
    argv += _limits(container) + _security(pod, container)
    if container.get("workingDir"):
        argv += ["--workdir", container["workingDir"]]
    return argv + _command(container, image, _env_for_expansion(container))


def start(docker, opts, pod: dict, container: dict, image: Image, attempt: int,
          env: dict[str, str]):
    """Run the container detached; the Result carries the container ID on success."""
    single = {k: v for k, v in env.items() if "\n" not in v and "\r" not in v}
    multi = {k: v for k, v in env.items() if k not in single}
    fd, path = tempfile.mkstemp(prefix="bed-env-")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in single.items())
        argv = run_argv(opts, pod, container, image, attempt, path if single else None,
                        list(multi))
        return docker.run(*argv, env=multi)
    finally:
        os.unlink(path)


def _limits(container: dict) -> list[str]:
    limits = (container.get("resources") or {}).get("limits") or {}
    out = []
    if "memory" in limits:
        memory = str(int(quantity.parse(limits["memory"])))
        out += ["--memory", memory, "--memory-swap", memory]
    if "cpu" in limits:
        cpus = min(quantity.parse(limits["cpu"]), float(os.cpu_count() or 1))
        out += ["--cpus", f"{math.ceil(cpus * 100) / 100:g}"]
    return out


def _security(pod: dict, container: dict) -> list[str]:
    context = {**(pod["spec"].get("securityContext") or {}),
               **(container.get("securityContext") or {})}
    out = []
    if context.get("runAsUser") is not None:
        group = context.get("runAsGroup")
        out += ["--user", f"{context['runAsUser']}" + (f":{group}" if group is not None else "")]
    if context.get("readOnlyRootFilesystem"):
        out.append("--read-only")
    return out


def _command(container: dict, image: Image, env: dict[str, str]) -> list[str]:
    """command replaces the image's ENTRYPOINT (and drops its CMD); args replace CMD."""
    command = [expand(str(c), env) for c in container.get("command") or []]
    args = [expand(str(a), env) for a in container.get("args") or []]
    if command:
        return ["--entrypoint", command[0], image.run_as, *command[1:], *args]
    return [image.run_as, *args]


def _env_for_expansion(container: dict) -> dict[str, str]:
    """$(VAR) in command/args sees the container's plain `value` variables."""
    return {v["name"]: str(v["value"]) for v in container.get("env") or [] if "value" in v}
