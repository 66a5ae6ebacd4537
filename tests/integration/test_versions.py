"""The Kubernetes version a cluster actually runs: the oldest kind and minikube clusterctl accepts create
1.27 and 1.28 nodes, whose API servers refuse fields those versions do not have (kubectl's default
`--validate=strict`). The demo's manifests must apply there, and a manifest that needs a newer version
must be refused before any cluster is made."""
from __future__ import annotations

import pytest

from tests.bed.fakecli.state import REPO_ROOT
from tests.integration.project import Project, deployment, fresh_project, step, workload

DEMO_SERVICES = ("catalogue", "bff", "frontend")
OLDEST = {"kind": {"CLUSTERCTL_BED_KIND_VERSION": "0.20.0"},  # creates v1.27.3 nodes
          "minikube": {"CLUSTERCTL_BED_MINIKUBE_VERSION": "v1.32.0"}}  # defaults to v1.28.3
SERVED = {"kind": "v1.27.3", "minikube": "v1.28.3"}


def demo_shop(project: Project) -> None:
    """The repository's own manifests/, images swapped for busybox httpd stand-ins of the Go services."""
    for name in DEMO_SERVICES:
        project.image(name, cmd="httpd -f -p 8080 -h /www", user="65532",
                      files={"www/healthz": "ok\n", "www/items": "[]\n", "www/api/items": "[]\n"})
        text = (REPO_ROOT / "manifests" / f"{name}.yaml").read_text()
        project.manifest(f"{name}.yaml", text.replace("ghcr.io/tigaweb/", project.registry + "/"))
    project.profile(manifests=[f"k8s/{name}.yaml" for name in DEMO_SERVICES], timeout="120s")


def server_version(bed_env, project: Project) -> str:
    return project.cluster(bed_env).record().get("k8sVersion", "")


@pytest.mark.parametrize("driver", ["kind", "minikube"])
def test_demo_manifests_come_up_on_the_oldest_supported_tool(bed_env, driver):
    with fresh_project(bed_env, f"old{driver[:4]}") as project:
        project.driver = driver
        demo_shop(project)

        code, report, _, err = project.run(bed_env, "up", env=OLDEST[driver])

        assert server_version(bed_env, project) == SERVED[driver]
        assert code == 0, err + str(report and report["error"])
        ready = {w["name"]: (w["ready"], w["desired"]) for w in report["workloads"] if w["kind"] == "Deployment"}
        assert ready == {"catalogue": (2, 2), "bff": (2, 2), "frontend": (1, 1)}


@pytest.mark.parametrize("driver", ["kind", "minikube"])
def test_a_field_newer_than_the_cluster_is_refused_before_anything_is_created(bed_env, driver):
    with fresh_project(bed_env, f"new{driver[:4]}") as project:
        project.driver = driver
        project.image("web")
        sleep_hook = {"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}
        project.manifest("web.yaml", deployment("web", project.repo("web"), container=sleep_hook))
        project.profile()

        code, report, out, err = project.run(bed_env, "up", env=OLDEST[driver])

        assert code == 2, err
        assert not project.cluster(bed_env).exists()
        assert not project.local_images()  # nothing built either
        message = out + err
        assert "k8s/web.yaml" in message and "lifecycle.preStop.sleep" in message, message
        assert "1.30" in message, message
        assert step(report, "lint")["status"] == "failed"


def test_pinning_a_new_enough_node_lets_the_same_manifest_through(bed_env):
    with fresh_project(bed_env, "pinned") as project:
        project.image("web")
        sleep_hook = {"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}
        project.manifest("web.yaml", deployment("web", project.repo("web"), container=sleep_hook))
        project.profile(cluster={"name": project.name, "driver": "kind", "kubernetesVersion": "v1.30.0"})

        code, report, _, err = project.run(bed_env, "up", env=OLDEST["kind"])

        assert code == 0, err
        assert server_version(bed_env, project) == "v1.30.0"
        assert workload(report, "web")["status"] == "Ready"


def test_a_broken_manifest_stops_up_before_any_tool_runs(bed_env):
    with fresh_project(bed_env, "broken") as project:
        project.image("web")
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        project.manifest("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {}\nspec: {ports: [{port: 80}]}\n")
        project.profile()
        mark = bed_env.bed_home / "kind"

        code, report, out, err = project.run(bed_env, "up")

        assert code == 2, err
        message = out + err
        assert "k8s/svc.yaml" in message and "metadata.name" in message, message
        assert not project.cluster(bed_env).exists() and not (mark / project.name).exists()
        assert not project.local_images()
        assert [s["name"] for s in report["steps"]] == ["lint"]
