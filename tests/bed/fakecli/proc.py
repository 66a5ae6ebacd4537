"""Start and stop the detached `tests.bed.controlplane` process of one cluster."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .state import REPO_ROOT, Cluster

# How long `kind create` and `minikube start` wait for the control plane (minikube itself waits 6m0s,
# as its K8S_APISERVER_MISSING message says). The former 15 s left a loaded 2-core machine, where the
# control plane's Python start-up alone can take tens of seconds, too little room.
START_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0

# Environment knobs a test sets to tune the control plane, and the flag each becomes.
_ENV_FLAGS = {
    "CLUSTERCTL_BED_READY_AFTER": "--ready-after",
    "CLUSTERCTL_BED_BACKOFF_BASE": "--backoff-base",
    "CLUSTERCTL_BED_OBSERVE_LAG": "--observe-lag",
    "CLUSTERCTL_BED_NODE_CPU": "--node-cpu",
    "CLUSTERCTL_BED_IMAGE_LIST_PERIOD": "--image-list-period",
}


class LaunchError(Exception):
    """The control plane did not come up; `output` is the tail of its log."""

    def __init__(self, message: str, output: str):
        super().__init__(message)
        self.output = output


def controlplane_argv(cluster: Cluster, nodes: list[str], k8s_version: str,
                      node_cpu: str | None = None, node_memory: str | None = None) -> list[str]:
    argv = [sys.executable, "-m", "tests.bed.controlplane", "--name", cluster.name,
            "--flavor", cluster.flavor, "--state-dir", str(cluster.dir)]
    for node in nodes:
        argv += ["--node", node]
    argv += ["--k8s-version", k8s_version, "--tls-dir", str(cluster.tls_dir)]
    if node_cpu:
        argv += ["--node-cpu", node_cpu]
    if node_memory:
        argv += ["--node-memory", node_memory]
    for env, flag in _ENV_FLAGS.items():
        if os.environ.get(env):
            argv += [flag, os.environ[env]]
    return argv


def launch(cluster: Cluster, argv: list[str]) -> int:
    """Start the control plane in its own session so it outlives this CLI run."""
    cluster.apiserver_path.unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    with open(cluster.dir / "controlplane.log", "ab") as log:
        proc = subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    (cluster.dir / "controlplane.pid").write_text(f"{proc.pid}\n")
    # Popen's handle is dropped on purpose: whoever adopts the orphan reaps it.
    return proc.pid


def wait_apiserver(cluster: Cluster, pid: int, timeout: float = START_TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = cluster.apiserver()
        if info and info.get("pid") == pid:
            return info
        if not alive(pid):
            raise LaunchError("control plane exited", log_tail(cluster))
        time.sleep(0.05)
    raise LaunchError(f"control plane not serving after {timeout:.0f}s", log_tail(cluster))


def log_tail(cluster: Cluster, lines: int = 20) -> str:
    try:
        text = (cluster.dir / "controlplane.log").read_text(errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def recorded_pid(cluster: Cluster) -> int | None:
    info = cluster.apiserver()
    if info and isinstance(info.get("pid"), int):
        return info["pid"]
    try:
        return int((cluster.dir / "controlplane.pid").read_text())
    except (FileNotFoundError, ValueError):
        return None


def running(cluster: Cluster) -> bool:
    pid = recorded_pid(cluster)
    return pid is not None and alive(pid) and _is_ours(pid, cluster)


def stop(cluster: Cluster, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM (the control plane removes its containers), then SIGKILL after `timeout`."""
    pid = recorded_pid(cluster)
    if pid is not None and alive(pid) and _is_ours(pid, cluster):
        terminate(pid, timeout)


def terminate(pid: int, timeout: float = STOP_TIMEOUT) -> None:
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.05)
    _signal(pid, signal.SIGKILL)
    deadline = time.monotonic() + 2
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """True for a live process; a zombie (no reaper in some CI sandboxes) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _is_ours(pid: int, cluster: Cluster) -> bool:
    """Guards against a recycled pid: the process must be this cluster's control plane."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return False
    return b"tests.bed.controlplane" in argv and str(cluster.dir).encode() in argv


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
