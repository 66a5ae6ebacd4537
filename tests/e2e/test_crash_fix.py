"""The seeds' main loop on a real cluster: a service crash-loops, the developer fixes it and redeploys.

While the fixed pods roll out, the old ReplicaSet's crashing pods linger (maxUnavailable); redeploy must
judge the new revision, not every pod the selector matches.
"""
from __future__ import annotations

import pytest
import yaml

from tests.e2e.conftest import clusterctl

pytestmark = pytest.mark.e2e

DOCKERFILE = "FROM busybox:1.36\nUSER 65534\nCMD {cmd}\n"
CRASH = '["sh", "-c", "echo starting; sleep 1; echo fatal: no config; exit 1"]'
FIXED = '["sh", "-c", "echo serving; exec sleep 3600"]'


@pytest.fixture
def project(tmp_path, driver: str):
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text(DOCKERFILE.format(cmd=CRASH))
    labels = {"app": "web"}
    container = {"name": "web", "image": "e2e.local/web", "readinessProbe": {
        "exec": {"command": ["true"]}, "periodSeconds": 2},
        "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "32Mi"}}}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                           "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}}}}
    (tmp_path / "web.yaml").write_text(yaml.safe_dump(deployment))
    profile = {"apiVersion": "clusterctl.dev/v1alpha1", "kind": "Profile",
               "cluster": {"name": "e2e-crash", "driver": driver}, "namespace": "crash",
               "shipping": {"mode": "load", "registry": "e2e.local"},
               "images": [{"name": "web", "context": "web"}], "manifests": ["web.yaml"],
               "wait": {"timeout": "90s"}}
    (tmp_path / "profile.yaml").write_text(yaml.safe_dump(profile))
    yield tmp_path
    clusterctl("down", str(tmp_path / "profile.yaml"), expect=None)


def test_redeploy_after_a_crash_fix_succeeds_while_old_pods_linger(project):
    profile = str(project / "profile.yaml")
    failed = clusterctl("up", profile, expect=7)
    assert [d["reason"] for d in failed.report["diagnoses"]] == ["CrashLoopBackOff"]
    (project / "web" / "Dockerfile").write_text(DOCKERFILE.format(cmd=FIXED))
    fixed = clusterctl("redeploy", "web", "-p", profile)
    assert [(w["name"], w["status"]) for w in fixed.report["workloads"]] == [("web", "Ready")]
