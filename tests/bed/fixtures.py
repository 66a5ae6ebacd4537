"""Pytest fixtures and helpers for tests that run on the bed (tests/bed/README.md).

`clusterctl_bed` (alias `bed` in tests/integration) is the session's bed; `bed_env` gives a test
its own HOME, kubeconfig and stand-in state and deletes every cluster it made; `busybox_image`
builds tiny `FROM scratch` images.
"""
from __future__ import annotations

import base64
import functools
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.bed.fakecli import docker as bed_docker
from tests.bed.fakecli import nodes as bed_nodes
from tests.bed.fakecli import proc
from tests.bed.fakecli.state import REPO_ROOT, Cluster

BIN_DIR = REPO_ROOT / "tests" / "bed" / "bin"
BED_DIR = REPO_ROOT / ".bed"
# Settings a developer's shell may carry that would leak into a test's tools.
_SCRUBBED = ("KUBECONFIG", "KIND_CLUSTER_NAME", "KIND_EXPERIMENTAL_PROVIDER", "MINIKUBE_PROFILE",
             "MINIKUBE_HOME", "MINIKUBE_IN_STYLE", "DOCKER_CONFIG", "CLUSTERCTL_BED_FAIL_CREATE")

# The bed runs as root, where minikube start needs --force (DRV_AS_ROOT, exit 57).
AS_ROOT_FORCE = ("--force",) if os.getuid() == 0 else ()


@dataclass(frozen=True)
class Bed:
    registry: str  # host:port on 127.0.0.1
    registry_user: str
    registry_password: str = field(repr=False)  # pytest prints a failing test's fixture values
    # A second htpasswd user for image pull secrets (scripts/bed.sh ensure_pull_user); "" on a bed
    # started before it existed.
    registry_pull_user: str = ""
    registry_pull_password: str = field(default="", repr=False)
    repo: Path = REPO_ROOT
    bin_dir: Path = BIN_DIR
    bed_dir: Path = BED_DIR


def registry_settings() -> dict[str, str]:
    """BED_REGISTRY* from the environment, else from `.bed/registry.env` (written by bed.sh up)."""
    keys = ("BED_REGISTRY", "BED_REGISTRY_USER", "BED_REGISTRY_PASSWORD")
    if all(os.environ.get(k) for k in keys):
        return {k: v for k, v in os.environ.items() if k in keys or k.startswith("BED_REGISTRY_PULL_")}
    try:
        lines = (BED_DIR / "registry.env").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in lines if "=" in line)


@functools.lru_cache(maxsize=1)
def bed_status() -> tuple[Bed | None, str]:
    """(the bed, "") when dockerd and the registry answer, else (None, why not)."""
    try:
        bed_docker.run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout=30)
    except (bed_docker.RunError, subprocess.TimeoutExpired) as err:
        return None, f"the Docker daemon does not answer ({err}); run scripts/bed.sh up"
    settings = registry_settings()
    if not settings.get("BED_REGISTRY"):
        return None, "no registry credentials (.bed/registry.env); run scripts/bed.sh up"
    bed = Bed(settings["BED_REGISTRY"], settings["BED_REGISTRY_USER"],
              settings["BED_REGISTRY_PASSWORD"], settings.get("BED_REGISTRY_PULL_USER", ""),
              settings.get("BED_REGISTRY_PULL_PASSWORD", ""))
    answer = (_registry_status(bed, auth=False), _registry_status(bed, auth=True))
    if answer != (401, 200):
        return None, (f"registry {bed.registry} answered {answer[0]} without auth and {answer[1]} "
                      "with it (want 401, 200); run scripts/bed.sh up")
    return bed, ""


def _registry_status(bed: Bed, auth: bool) -> int:
    request = urllib.request.Request(f"http://{bed.registry}/v2/")
    if auth:
        token = base64.b64encode(f"{bed.registry_user}:{bed.registry_password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


def require_pull_user(bed: Bed) -> tuple[str, str]:
    """The registry's second user (for pull secrets), or a failure naming the fix: a bed started before
    that user existed lacks it, and a test of separate pull credentials cannot pass without it."""
    if not bed.registry_pull_user:
        pytest.fail("the bed's registry has no pull user (BED_REGISTRY_PULL_USER): run scripts/bed.sh up, "
                    "which adds it to the running registry", pytrace=False)
    return bed.registry_pull_user, bed.registry_pull_password


def require_bed() -> Bed:
    """The bed, or a skip (a failure under CI, where a missing bed is a broken run)."""
    bed, reason = bed_status()
    if bed is None:
        if os.environ.get("CI"):
            pytest.fail(f"the bed is not up under CI: {reason}", pytrace=False)
        pytest.skip(f"the bed is not up: {reason}")
    return bed


@dataclass
class BedEnv:
    """One test's private world: HOME, kubeconfig, stand-in state, PATH with the stand-ins first."""

    bed: Bed
    root: Path
    home: Path
    kubeconfig: Path
    bed_home: Path
    env: dict[str, str] = field(repr=False)  # holds the registry passwords

    def run(self, argv: list[str], *, input: str | None = None, timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout,
                              env={**self.env, **(env or {})}, cwd=self.root,
                              stdin=None if input is not None else subprocess.DEVNULL)

    def kind(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run(["kind", *args], **kw)

    def minikube(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run(["minikube", *args], **kw)

    def kubectl(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run(["kubectl", *args], **kw)

    def cluster(self, flavor: str, name: str) -> Cluster:
        return Cluster(flavor, name, home=self.bed_home)


def make_bed_env(bed: Bed, root: Path) -> BedEnv:
    home, bed_home = root / "home", root / "bed-home"
    kubeconfig = home / ".kube" / "config"
    home.mkdir(parents=True)
    bed_home.mkdir()
    bed_home = bed_home.resolve()  # the control planes' argv carries it resolved
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p) != BIN_DIR]
    env.update(HOME=str(home), KUBECONFIG=str(kubeconfig), CLUSTERCTL_BED_HOME=str(bed_home),
               PATH=os.pathsep.join([str(BIN_DIR), *path]), BED_REGISTRY=bed.registry,
               BED_REGISTRY_USER=bed.registry_user, BED_REGISTRY_PASSWORD=bed.registry_password,
               BED_REGISTRY_PULL_USER=bed.registry_pull_user,
               BED_REGISTRY_PULL_PASSWORD=bed.registry_pull_password)
    return BedEnv(bed, root, home, kubeconfig, bed_home, env)


def cleanup_clusters(bed_home: Path) -> list[str]:
    """Stop every control plane under `bed_home`, remove their containers and state."""
    cleaned = []
    for flavor in ("kind", "minikube"):
        root = bed_home / flavor
        names = sorted(p.name for p in root.iterdir()) if root.is_dir() else []
        for name in names:
            cluster = Cluster(flavor, name, home=bed_home)
            proc.stop(cluster)
            bed_docker.remove_labelled(name, str(cluster.dir))
            bed_nodes.remove(cluster)
            shutil.rmtree(cluster.dir, ignore_errors=True)
            cleaned.append(f"{flavor}/{name}")
    for pid in stray_controlplanes(bed_home):
        proc.terminate(pid)
    return cleaned


def stray_controlplanes(bed_home: Path) -> list[int]:
    """Control-plane processes whose --state-dir lies under `bed_home` (state dir gone or not)."""
    prefix = str(bed_home.resolve()).encode() + b"/"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"tests.bed.controlplane" in argv and any(a.startswith(prefix) for a in argv):
            if proc.alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def build_busybox_image(context: Path, tag: str, cmd: list[str] | str) -> str:
    """`FROM scratch` + /usr/bin/busybox with its applets, and `cmd` as CMD; returns `tag`."""
    argv = cmd if isinstance(cmd, list) else ["/bin/sh", "-c", cmd]
    context.mkdir(parents=True, exist_ok=True)
    shutil.copy2("/usr/bin/busybox", context / "busybox")
    (context / "Dockerfile").write_text(
        "FROM scratch\n"
        "COPY busybox /bin/busybox\n"
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        f"CMD {json.dumps(argv)}\n")
    bed_docker.run(["docker", "build", "--network", "none", "-q", "-t", tag, str(context)])
    return tag


@pytest.fixture(scope="session")
def clusterctl_bed() -> Bed:
    return require_bed()


@pytest.fixture
def bed_env(clusterctl_bed: Bed, tmp_path: Path):
    world = make_bed_env(clusterctl_bed, tmp_path / "world")
    try:
        yield world
    finally:
        cleanup_clusters(world.bed_home)


@pytest.fixture
def busybox_image(clusterctl_bed: Bed, tmp_path: Path):
    """`busybox_image(tag, cmd) -> ref`; the tags are removed again after the test."""
    built: list[str] = []

    def build(tag: str, cmd: list[str] | str) -> str:
        built.append(build_busybox_image(tmp_path / f"image-{len(built)}", tag, cmd))
        return tag

    yield build
    for ref in built:
        subprocess.run(["docker", "rmi", "-f", ref], capture_output=True, timeout=60,
                       stdin=subprocess.DEVNULL)
