"""The demo shop on a real kind cluster: up, a no-op up, redeploy one service, down."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def clusterctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clusterctl", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=1200)


@pytest.fixture(scope="module")
def shop():
    up = clusterctl("up", "dev", "--output", "json")
    yield json.loads(up.stdout), up
    clusterctl("down", "dev")


def test_up_rolls_out_every_workload(shop):
    report, run = shop
    assert run.returncode == 0, run.stderr
    assert {w["name"]: w["status"] for w in report["workloads"]} == {
        "catalogue": "Ready", "bff": "Ready", "frontend": "Ready"}


def test_second_up_changes_nothing(shop):
    again = clusterctl("up", "dev", "--output", "json")
    report = json.loads(again.stdout)
    assert again.returncode == 0 and report["changed"] is False


def test_redeploy_rolls_only_bff(shop, tmp_path):
    source = ROOT / "examples/shop/bff/main.go"
    original = source.read_text()
    source.write_text(original + "\n// e2e touch\n")
    try:
        run = clusterctl("redeploy", "bff", "--output", "json")
    finally:
        source.write_text(original)
    report = json.loads(run.stdout)
    assert run.returncode == 0, run.stderr
    assert [w["name"] for w in report["workloads"]] == ["bff"]
