"""The demo shop on a real kind cluster: up, a no-op up, redeploy one service, a hand edit put back,
`down --keep-cluster` then `up` at once (the namespace is still Terminating), down."""

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


def kubectl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["kubectl", "--context", "kind-dev", "-n", "shop", *args], capture_output=True, text=True,
                          timeout=120)


def test_a_hand_scale_is_put_back_by_up(shop):
    replicas = json.loads(kubectl("get", "deployment", "bff", "-o", "json").stdout)["spec"]["replicas"]
    assert kubectl("scale", "deployment/bff", f"--replicas={replicas + 1}").returncode == 0
    run = clusterctl("up", "dev", "--output", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(kubectl("get", "deployment", "bff", "-o", "json").stdout)["spec"]["replicas"] == replicas


def test_up_right_after_down_keep_cluster_waits_for_the_terminating_namespace(shop):
    down = clusterctl("down", "dev", "--keep-cluster", "--output", "json")
    assert down.returncode == 0, down.stderr
    up = clusterctl("up", "dev", "--output", "json")
    assert up.returncode == 0, up.stderr
    assert {w["name"]: w["status"] for w in json.loads(up.stdout)["workloads"]} == {
        "catalogue": "Ready", "bff": "Ready", "frontend": "Ready"}
