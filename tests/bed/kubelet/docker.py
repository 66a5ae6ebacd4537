"""The docker CLI, as the kubelet's container runtime (argv lists only)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def message(self) -> str:
        """The daemon's complaint without the CLI's prefixes."""
        text = (self.err or self.out).strip().splitlines()
        line = text[-1] if text else f"exit status {self.code}"
        for prefix in ("docker: ", "Error response from daemon: ", "Error: "):
            line = line.removeprefix(prefix)
        return line


class Docker:
    def __init__(self):
        self.binary = shutil.which("docker") or "docker"
        # Container variables travel in the CLI's own environment (`-e NAME`), so the CLI's
        # config location must not depend on a HOME the container may set.
        self.config_dir = os.environ.get("DOCKER_CONFIG") or os.path.expanduser("~/.docker")

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Result:
        child_env = {**os.environ, **(env or {})}
        child_env.setdefault("DOCKER_CONFIG", self.config_dir)
        try:
            done = subprocess.run([self.binary, *args], capture_output=True, text=True,
                                  env=child_env, timeout=timeout)
        except subprocess.TimeoutExpired:
            return Result(124, "", f"docker {args[0]} timed out after {timeout:g}s")
        return Result(done.returncode, done.stdout, done.stderr)

    def inspect(self, *ids: str) -> list[dict]:
        if not ids:
            return []
        res = self.run("inspect", "--type", "container", *ids)
        return json.loads(res.out or "[]")

    def stop(self, ids: list[str], grace: float) -> None:
        if ids:
            self.run("stop", "-t", str(int(grace)), *ids, timeout=grace + 30)

    def remove(self, ids: list[str]) -> None:
        if ids:
            self.run("rm", "-f", *ids)

    def ids_with_label(self, *labels: str) -> list[str]:
        """Containers carrying every one of `labels` (KEY or KEY=VALUE)."""
        res = self.run("ps", "-aq", "--no-trunc", *(a for label in labels for a in ("--filter", f"label={label}")))
        return res.out.split()

    def image_info(self, ref: str) -> dict | None:
        res = self.run("image", "inspect", ref)
        found = json.loads(res.out or "[]") if res.code == 0 else []
        return found[0] if found else None

    def logs(self, container_id: str, tail: int | None, follow: bool) -> subprocess.Popen:
        argv = [self.binary, "logs"]
        if tail is not None:
            argv += ["--tail", str(tail)]
        if follow:
            argv.append("--follow")
        return subprocess.Popen(argv + [container_id], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
