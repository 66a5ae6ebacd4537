"""e2e runs only against the real kind or minikube and docker, never the bed's stand-ins.

`CLUSTERCTL_E2E=kind|minikube` (set by the e2e workflow) names the driver and makes a missing tool a
failure; without it the tier skips, so `scripts/test.sh` on a machine with no real cluster stays green.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BED_BIN = ROOT / "tests" / "bed" / "bin"
PROFILES = {"kind": "dev", "minikube": "minikube"}


def real_tool(name: str) -> str | None:
    found = shutil.which(name)
    if not found or Path(found).resolve().parent == BED_BIN.resolve():
        return None
    return found


def docker_answers() -> bool:
    return shutil.which("docker") is not None and subprocess.run(
        ["docker", "info"], capture_output=True).returncode == 0


def wanted_driver() -> tuple[str, bool]:
    """(driver, required): the driver named by CLUSTERCTL_E2E is required, else kind if it is there."""
    named = os.environ.get("CLUSTERCTL_E2E", "")
    if named and named not in PROFILES:
        raise pytest.UsageError(f"CLUSTERCTL_E2E={named!r}: expected one of {sorted(PROFILES)}")
    return (named or "kind"), bool(named)


def missing() -> str | None:
    driver, _ = wanted_driver()
    if not real_tool(driver):
        return f"needs the real {driver} on PATH (the bed's stand-in does not count)"
    if not real_tool("kubectl"):
        return "needs kubectl on PATH"
    if not docker_answers():
        return "needs a running Docker engine"
    return None


def pytest_collection_modifyitems(config, items):
    e2e = [item for item in items if "e2e" in item.keywords]
    reason = missing() if e2e else None
    if not reason:
        return
    if wanted_driver()[1]:
        raise pytest.UsageError(f"e2e: CLUSTERCTL_E2E is set but the run {reason}")
    for item in e2e:
        item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Run:
    code: int
    report: dict
    stdout: str
    stderr: str


def clusterctl(*args: str, cwd: Path = ROOT, expect: int | None = 0) -> Run:
    """`python -m clusterctl ARGS --output json`; the exit code is checked before the JSON is read."""
    done = subprocess.run([sys.executable, "-m", "clusterctl", *args, "--output", "json"], cwd=cwd,
                          capture_output=True, text=True, timeout=1500)
    if expect is not None:
        assert done.returncode == expect, (
            f"clusterctl {' '.join(args)} exited {done.returncode}, want {expect}\n{done.stderr[-4000:]}")
    return Run(done.returncode, json.loads(done.stdout), done.stdout, done.stderr)


@pytest.fixture(scope="session")
def driver() -> str:
    return wanted_driver()[0]


@pytest.fixture(scope="session")
def shop_profile(driver: str) -> str:
    return PROFILES[driver]
