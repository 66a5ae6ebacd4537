"""The demo shop on a real cluster: up, a no-op rerun, redeploy of one service, a hand edit put
back, down --keep-cluster then up at once, down.

The tests run in file order and share one cluster, as a developer's session would.
"""
from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.e2e.conftest import ROOT, clusterctl

pytestmark = pytest.mark.e2e


def steps(report: dict) -> dict[str, str]:
    return {s["name"]: s["status"] for s in report["steps"]}


@pytest.fixture(scope="module")
def shop(shop_profile: str):
    run = clusterctl("up", shop_profile)
    yield run, time.monotonic()  # when the images were loaded
    clusterctl("down", shop_profile, expect=None)


def test_up_rolls_out_every_workload(shop):
    run, _ = shop
    assert {w["name"]: w["status"] for w in run.report["workloads"]} == {
        "catalogue": "Ready", "bff": "Ready", "frontend": "Ready"}


def test_rerun_within_40s_builds_loads_and_applies_nothing(shop, shop_profile):
    # The kubelet refreshes its image list about every 30 s: a rerun inside that window must not
    # read "not loaded" from a stale Node.status.images.
    _, loaded = shop
    again = clusterctl("up", shop_profile)
    assert time.monotonic() - loaded < 40, "the rerun must fall inside the kubelet's image-list lag"
    assert again.report["changed"] is False
    assert {k: v for k, v in steps(again.report).items() if k in ("build", "ship", "apply")} == {
        "build": "skipped", "ship": "skipped", "apply": "skipped"}


def test_redeploy_rolls_only_bff(shop, shop_profile):
    source = ROOT / "examples/shop/bff/main.go"
    original = source.read_text()
    source.write_text(original + "\n// e2e touch\n")
    try:
        run = clusterctl("redeploy", "bff", "-p", shop_profile)
    finally:
        source.write_text(original)
    assert [w["name"] for w in run.report["workloads"]] == ["bff"]


def kubectl(driver: str, *args: str) -> subprocess.CompletedProcess:
    context = {"kind": "kind-dev", "minikube": "shop"}[driver]
    return subprocess.run(["kubectl", "--context", context, "-n", "shop", *args], capture_output=True, text=True,
                          timeout=120)


def test_a_hand_scale_is_put_back_by_up(shop, shop_profile, driver):
    # `kubectl scale` keeps clusterctl's hash annotation; up must compare the live fields too.
    replicas = json.loads(kubectl(driver, "get", "deployment", "bff", "-o", "json").stdout)["spec"]["replicas"]
    assert kubectl(driver, "scale", "deployment/bff", f"--replicas={replicas + 1}").returncode == 0
    clusterctl("up", shop_profile)
    assert json.loads(kubectl(driver, "get", "deployment", "bff", "-o", "json").stdout)["spec"]["replicas"] == replicas


def test_down_keep_cluster_then_up_converges(shop, shop_profile):
    # The namespace stays Terminating while pods run their grace period and preStop; the next up
    # must wait for it rather than fail with "being terminated".
    clusterctl("down", shop_profile, "--keep-cluster")
    run = clusterctl("up", shop_profile)
    assert {w["name"] for w in run.report["workloads"]} == {"catalogue", "bff", "frontend"}
