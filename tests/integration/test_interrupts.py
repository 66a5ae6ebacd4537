"""Ctrl-C (SIGINT) and SIGTERM stop a running `clusterctl up` at once with exit 130, during a slow build,
during the wait and during `kind create cluster`: every child process it had is gone, no build container
is left, and the next `up` converges.

"Every child is gone" is checked on the processes that were below clusterctl just before the signal
(after it exits, its orphans would belong to init, so a parent-pid check alone would prove nothing)."""
from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from tests.bed.fakecli import proc as procs
from tests.integration.project import Project, deployment, docker, fresh_project, step
from tests.integration.test_faults import (SLOW_READY, TEST_LABEL, assert_converged, launch,  # noqa: F401
                                           marker, wait_for_watch)

SIGNALS = [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")]


@pytest.fixture
def project(bed_env):
    with fresh_project(bed_env, "intr") as made:
        yield made


def slow_build(project: Project, label: str) -> None:
    """web's Dockerfile pauses PAUSE seconds in a RUN whose container carries `label`."""
    project.image("web")
    dockerfile = project.root / "images" / "web" / "Dockerfile"
    lines = dockerfile.read_text().splitlines()
    lines[-1:-1] = ["ARG PAUSE", f"LABEL {TEST_LABEL}={label}", "RUN sleep $PAUSE"]
    dockerfile.write_text("\n".join(lines) + "\n")
    project.manifest("web.yaml", deployment("web", project.repo("web")))


def pause(project: Project, seconds: int) -> None:
    project.profile(images=[{"name": "web", "context": "images/web", "buildArgs": {"PAUSE": str(seconds)}}])


def build_containers(label: str) -> list[str]:
    return docker("ps", "-aq", "--filter", f"label={TEST_LABEL}={label}").stdout.split()


def wait_for_running_build(label: str, running, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if docker("ps", "-q", "--filter", f"label={TEST_LABEL}={label}",
                  "--filter", "status=running").stdout.strip():
            return
        assert running.poll() is None, running.communicate()
        time.sleep(0.2)
    pytest.fail("the slow RUN never started")


def pids() -> list[int]:
    return [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]


def parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def descendants(pid: int) -> dict[int, str]:
    """Every process below `pid`, with its command line, except a stand-in control plane and what it
    runs: it stands for kind's node containers, cluster state the next `up` reuses or recreates, and is
    below clusterctl only while a `kind create` running alongside the build waits for it."""
    children: dict[int, list[int]] = {}
    for child in pids():
        children.setdefault(parent(child), []).append(child)
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if "tests.bed.controlplane" in cmdline(child):
                continue
            found[child] = cmdline(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def every_cmdline() -> list[str]:
    return [argv for argv in map(cmdline, pids()) if argv]


def is_docker_build(argv: str) -> bool:
    words = argv.split()
    return len(words) > 1 and Path(words[0]).name == "docker" and words[1] == "build"


def interrupt(running, sig: signal.Signals) -> tuple[dict, dict[int, str]]:
    """Send `sig`; return the JSON report and the processes that were below clusterctl just before."""
    below = descendants(running.pid)
    running.send_signal(sig)
    out, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    report = json.loads(out)
    assert report["error"]["kind"] == "interrupted" and report["error"]["exitCode"] == 130
    assert "rerun" in report["error"]["hint"]
    return report, below


def assert_all_gone(below: dict[int, str]) -> None:
    alive = {pid: argv for pid, argv in below.items() if procs.alive(pid) and cmdline(pid) == argv}
    assert alive == {}, alive


@pytest.mark.parametrize("sig", SIGNALS)
def test_interrupt_during_a_slow_build(marker, bed_env, project, launch, sig):
    slow_build(project, marker)
    pause(project, 30)
    running = launch(project)
    wait_for_running_build(marker, running)

    report, below = interrupt(running, sig)

    assert (step(report, "build")["status"], step(report, "build")["detail"]) == ("failed", "interrupted")
    assert any(is_docker_build(argv) for argv in below.values()), below
    assert_all_gone(below)
    assert project.local_images() == {}  # stopped mid-build, not after it
    context = str(project.root / "images" / "web")
    assert [argv for argv in every_cmdline() if is_docker_build(argv) and context in argv] == []
    deadline = time.monotonic() + 60  # polled: the daemon removes the cancelled step's container on its own time
    while build_containers(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert build_containers(marker) == []

    # Same profile but a short pause, so the file stays fast: nothing left behind may get in the way.
    pause(project, 0)
    assert_converged(project.run(bed_env, "up"))


@pytest.mark.parametrize("sig", SIGNALS)
def test_interrupt_during_the_wait(bed_env, project, launch, sig):
    project.image("web")
    project.manifest("web.yaml", deployment("web", project.repo("web"), container=SLOW_READY))
    project.profile(timeout="5m")
    running = launch(project)
    wait_for_watch(project.cluster(bed_env), 0, running)

    report, below = interrupt(running, sig)

    assert (step(report, "wait")["status"], step(report, "wait")["detail"]) == ("failed", "interrupted")
    assert_all_gone(below)

    assert_converged(project.run(bed_env, "up"))



def test_interrupt_during_cluster_create_then_up_recreates_the_half_made_cluster(bed_env, project, launch):
    project.image("web")
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()
    running = launch(project)
    state = project.cluster(bed_env).dir
    deadline = time.monotonic() + 120
    while not state.exists() and time.monotonic() < deadline:  # kind has begun provisioning
        assert running.poll() is None, running.communicate()
        time.sleep(0.02)

    report, below = interrupt(running, signal.SIGINT)

    assert any("create cluster" in argv for argv in below.values()), below  # it was stopped mid-create
    assert step(report, "cluster")["status"] == "failed"
    assert_all_gone(below)

    again = project.run(bed_env, "up")
    assert_converged(again)
    assert step(again.report, "cluster")["detail"].startswith("recreated")
