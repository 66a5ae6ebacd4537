"""The real docker CLI calls the real tools make, with kind's way of reporting failures."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

BED_LABEL = "clusterctl-bed.cluster"
# Containers that also carry this label belong to the cluster whose state dir it names; two
# beds may hold a cluster of the same name at once.
STATE_DIR_LABEL = "clusterctl-bed.state-dir"
_SAFE = re.compile(r"^[\w@%+=:,./-]+$")


def shell_quote(arg: str) -> str:
    """alessio/shellescape.Quote, which kind uses to print failed commands."""
    if arg == "":
        return "''"
    if _SAFE.match(arg):
        return arg
    return "'" + arg.replace("'", "'\"'\"'") + "'"


@dataclass
class RunError(Exception):
    """kind's exec.RunError: `command "<argv>" failed with error: <inner>`."""

    argv: list[str]
    inner: str
    output: str

    def __str__(self) -> str:
        pretty = " ".join(shell_quote(a) for a in self.argv)
        return f'command "{pretty}" failed with error: {self.inner}'


def run(argv: list[str], timeout: float = 300) -> str:
    """Run a docker command; stdout on success, RunError with the combined output otherwise."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise RunError(argv, f'exec: "{argv[0]}": executable file not found in $PATH', "") from None
    if proc.returncode != 0:
        raise RunError(argv, f"exit status {proc.returncode}", proc.stdout + proc.stderr)
    return proc.stdout


def info() -> str:
    return run(["docker", "info", "--format", "{{json .}}"])


def list_kind_nodes(name: str) -> list[str]:
    out = run(["docker", "ps", "-a", "--filter", f"label=io.x-k8s.kind.cluster={name}",
               "--format", "{{.Names}}"])
    return out.split()


def list_kind_clusters() -> None:
    run(["docker", "ps", "-a", "--filter", "label=io.x-k8s.kind.cluster",
         "--format", '{{.Label "io.x-k8s.kind.cluster"}}'])


def image_id(image: str) -> str:
    lines = run(["docker", "image", "inspect", "-f", "{{ .Id }}", image]).splitlines()
    if len(lines) != 1:
        raise RunError(["docker", "image", "inspect"], f"expected one line, got {len(lines)}", "")
    return lines[0]


def save_and_discard(images: list[str]) -> None:
    """Pay for the transfer the real tools make: `docker save` of every layer."""
    with tempfile.TemporaryDirectory(prefix="images-tar") as tmp:
        run(["docker", "save", "-o", os.path.join(tmp, "images.tar"), *images])


def server_version() -> str:
    """minikube's health probe of the docker driver."""
    return run(["docker", "version", "--format",
                "{{.Server.Os}}-{{.Server.Version}}:{{.Server.Platform.Name}}"], timeout=60)


def remove_labelled(cluster_name: str, state_dir: str) -> None:
    """Best effort: containers a killed control plane left behind (not another bed's)."""
    try:
        rows = run(["docker", "ps", "-a", "--filter", f"label={BED_LABEL}={cluster_name}",
                    "--format", f'{{{{.ID}}}} {{{{.Label "{STATE_DIR_LABEL}"}}}}']).splitlines()
        ids = [row.split(" ", 1)[0] for row in rows
               if row.partition(" ")[2].strip() in ("", state_dir)]
        if ids:
            run(["docker", "rm", "-f", "-v", *ids])
    except RunError:
        pass
