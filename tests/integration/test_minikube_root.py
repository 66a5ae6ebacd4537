"""minikube refuses the docker driver as root unless given --force (minikube v1.32.0/v1.38.1
cmd/minikube/cmd/start.go validateUser: DRV_AS_ROOT, exit 57). clusterctl says so, with the fix, before it
creates or builds anything; --force is passed only when the profile asks for it, since it also makes
minikube skip its other safety checks (memory, driver health, Kubernetes version)."""
from __future__ import annotations

import os

import pytest

from tests.integration.project import deployment, fresh_project, step

pytestmark = pytest.mark.skipif(os.getuid() != 0, reason="minikube refuses only uid 0; the bed runs as root")


@pytest.fixture
def app(bed_env):
    with fresh_project(bed_env, "rooted") as project:
        project.driver = "minikube"
        project.image("web", cmd="sleep 3600")
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        yield project


def test_up_as_root_is_refused_in_preflight_with_the_fix(bed_env, app):
    app.profile(cluster={"name": app.name, "driver": "minikube"})

    code, report, _, err = app.run(bed_env, "up")

    assert code == 2, err
    error = report["error"]
    assert error["kind"] == "bad-input" and "root" in error["message"] and "DRV_AS_ROOT" in error["message"]
    assert "--force" in error["hint"] and "cluster.minikube.extraArgs" in error["hint"]
    assert [s["name"] for s in report["steps"]] == ["lint", "preflight"] and step(report, "preflight")["status"] == "failed"
    assert not app.cluster(bed_env).dir.exists() and app.local_images() == {}


def test_up_as_root_with_force_in_the_profile_passes_it_to_minikube(bed_env, app):
    app.profile(cluster={"name": app.name, "driver": "minikube", "minikube": {"extraArgs": ["--force"]}})

    code, report, _, err = app.run(bed_env, "up")

    assert code == 0, err
    assert app.cluster(bed_env).dir.exists() and report["ok"]
