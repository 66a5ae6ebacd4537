"""A cluster stopped and started outside clusterctl is still the same cluster (issue 10, rows 5 and 6).

minikube's docker driver publishes the API as `127.0.0.1::8443`, so each start gives it a new host port,
and `minikube stop` removes the context (kubernetes/minikube pkg/drivers/kic/oci/oci.go,
cmd/minikube/cmd/stop.go @ v1.38.1). kind lists a stopped cluster (`docker ps -a`) and publishes its API
on a port fixed at creation (kubernetes-sigs/kind pkg/cluster/internal/providers/docker/provider.go,
provision.go @ v0.32.0): `docker start` brings it back on the same port.
"""
from __future__ import annotations

import yaml

from tests.bed.fakecli import nodes
from tests.integration.project import AS_ROOT_FORCE, deployment, fresh_project, step, workload


def _server(bed_env, context: str) -> str | None:
    config = yaml.safe_load(bed_env.kubeconfig.read_text()) or {}
    for item in config.get("clusters") or []:
        if item["name"] == context:
            return item["cluster"]["server"]
    return None


def _stamp(bed_env, context: str) -> str:
    done = bed_env.kubectl("get", "configmap", "clusterctl-identity", "-n", "kube-public", "--context", context,
                           "-o", "jsonpath={.data.id}", timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _web(project, driver: str) -> None:
    project.driver = driver
    project.image("web", cmd="sleep 3600")
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()


def test_minikube_stopped_and_started_by_hand_keeps_its_identity_and_down_deletes_it_stopped(bed_env):
    with fresh_project(bed_env, "mkmove") as project:
        _web(project, "minikube")
        assert project.run(bed_env, "up").code == 0
        first_server, stamp = _server(bed_env, "mkmove"), _stamp(bed_env, "mkmove")

        assert bed_env.minikube("stop", "-p", "mkmove").returncode == 0
        assert _server(bed_env, "mkmove") is None  # minikube stop removes the context
        assert bed_env.minikube("start", "-p", "mkmove", *AS_ROOT_FORCE).returncode == 0
        moved = _server(bed_env, "mkmove")
        assert moved != first_server  # a new host port at each start

        status = project.run(bed_env, "status")
        assert status.code == 0, status.output
        up = project.run(bed_env, "up")
        assert up.code == 0, up.output
        assert step(up.report, "cluster")["status"] == "skipped"
        assert workload(up.report, "web")["status"] == "Ready"
        assert _stamp(bed_env, "mkmove") == stamp  # the same cluster, not re-stamped
        redeploy = project.run(bed_env, "redeploy", "web")
        assert redeploy.code == 0, redeploy.output

        assert bed_env.minikube("stop", "-p", "mkmove").returncode == 0
        down = project.run(bed_env, "down")
        assert down.code == 0, down.output
        assert bed_env.minikube("status", "-p", "mkmove").returncode == 85  # the profile is gone


def test_kind_cluster_with_stopped_nodes_is_started_again_on_the_same_port(bed_env):
    with fresh_project(bed_env, "kstop") as project:
        _web(project, "kind")
        assert project.run(bed_env, "up").code == 0
        server, stamp = _server(bed_env, "kind-kstop"), _stamp(bed_env, "kind-kstop")
        containers = nodes.containers(project.cluster(bed_env))
        assert bed_env.run(["docker", "stop", *containers]).returncode == 0

        status = project.run(bed_env, "status")
        assert status.report["cluster"] == "stopped", status.output
        assert "clusterctl up" in status.output and "down" not in status.output
        assert bed_env.kubectl("get", "ns", "--context", "kind-kstop", timeout=60).returncode != 0

        up = project.run(bed_env, "up")
        assert up.code == 0, up.output
        assert "started" in step(up.report, "cluster")["detail"]
        assert workload(up.report, "web")["status"] == "Ready"
        assert _server(bed_env, "kind-kstop") == server  # fixed at creation: the same port
        assert _stamp(bed_env, "kind-kstop") == stamp  # started, not recreated
