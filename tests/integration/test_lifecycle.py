"""up / second up / redeploy / down, run as a real process on the bed; what clusterctl did is read from
its JSON and text reports, docker, kubectl, and the stand-in's requests.log and node-images.json."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.integration.project import (Project, deployment, docker, node_images, pods, requests_mark,
                                       requests_since, step, workload, writes)

TAG = re.compile(r":[0-9a-f]{12}$")  # clusterctl's content-hash tag


@pytest.fixture
def project(bed_env):
    made = Project(bed_env.root / "app", name="life")
    yield made
    made.remove_images()


def web_app(project: Project, driver: str = "kind") -> None:
    project.driver = driver
    project.image("web", cmd="echo web started; sleep 3600", files={"app/index.html": "v1\n"})
    project.manifest("web.yaml", deployment("web", project.repo("web"), replicas=2))
    project.profile()


def contexts(bed_env) -> list[str]:
    if not bed_env.kubeconfig.exists():
        return []
    config = yaml.safe_load(bed_env.kubeconfig.read_text()) or {}
    return [c["name"] for c in config.get("contexts") or []]


def assert_up_ok(bed_env, project: Project, result) -> None:
    code, report, _, err = result
    assert code == 0, err
    assert report["ok"] and report["changed"] and report["error"] is None
    web = workload(report, "web")
    assert (web["kind"], web["ready"], web["desired"], web["status"]) == ("Deployment", 2, 2, "Ready")
    assert web["image"].startswith(project.repo("web") + ":") and TAG.search(web["image"]), web["image"]
    assert step(report, "namespace")["status"] == "done"
    namespaces = bed_env.kubectl("get", "namespace", project.namespace, "-o", "name", "--context", project.context)
    assert namespaces.stdout.strip() == f"namespace/{project.namespace}", namespaces.stderr
    running = pods(bed_env, project.namespace, project.context)
    assert len(running) == 2 and {p["phase"] for p in running} == {"Running"}
    assert {p["image"] for p in running} == {web["image"]}  # pinned, never :latest


def test_up_with_kind_builds_loads_applies_and_waits(bed_env, project):
    web_app(project)

    result = project.run(bed_env, "up")

    assert_up_ok(bed_env, project, result)
    assert project.context in contexts(bed_env)
    image = workload(result.report, "web")["image"]
    assert image in project.local_images()
    assert image in node_images(project.cluster(bed_env))  # loaded; a registry host keeps its name


def test_up_with_minikube(bed_env, project):
    web_app(project, driver="minikube")

    result = project.run(bed_env, "up")

    assert_up_ok(bed_env, project, result)
    assert "Ensure minikube cluster" in step(result.report, "cluster")["title"]
    assert project.context == "life" and "life" in contexts(bed_env)


def test_second_up_changes_nothing_and_writes_nothing(bed_env, project):
    web_app(project)
    first = project.run(bed_env, "up")
    assert first.code == 0, first.stderr
    image = workload(first.report, "web")["image"]
    created = docker("image", "inspect", "-f", "{{.Created}}", image).stdout
    cluster = project.cluster(bed_env)
    loaded = node_images(cluster)
    uids = {p["uid"] for p in pods(bed_env, project.namespace, project.context)}
    mark = requests_mark(cluster)

    code, report, _, err = project.run(bed_env, "up")

    assert code == 0, err
    assert report["ok"] and report["changed"] is False
    for name in ("cluster", "namespace", "build", "ship", "apply"):
        assert step(report, name)["status"] == "skipped", step(report, name)
    assert writes(requests_since(cluster, mark)) == []
    assert docker("image", "inspect", "-f", "{{.Created}}", image).stdout == created
    assert node_images(cluster) == loaded
    assert {p["uid"] for p in pods(bed_env, project.namespace, project.context)} == uids
    assert workload(report, "web")["image"] == image
    text = project.run(bed_env, "up", json=False)
    assert text.code == 0 and "nothing to do" in text.stdout


def test_redeploy_replaces_only_the_service_that_changed(bed_env, project):
    project.image("api", cmd="sleep 3600", files={"app/version": "1\n"})
    project.image("web", cmd="sleep 3600")
    # The Deployment is named apart from its image: redeploy finds it by the image it uses.
    project.manifest("api.yaml", deployment("backend", project.repo("api")))
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()
    first = project.run(bed_env, "up")
    assert first.code == 0, first.stderr
    before = {p["labels"]["app"]: p for p in pods(bed_env, project.namespace, project.context)}
    (project.root / "images" / "api" / "files" / "app" / "version").write_text("2\n")

    code, report, _, err = project.run(bed_env, "redeploy", "api")

    assert code == 0, err
    assert [w["name"] for w in report["workloads"]] == ["backend"]
    new_tag = workload(report, "backend")["image"]
    assert new_tag != workload(first.report, "backend")["image"] and TAG.search(new_tag)
    # The old backend pod may still be Terminating (its grace period), Running until it is killed.
    after = {p["labels"]["app"]: p for p in pods(bed_env, project.namespace, project.context)
             if p["phase"] == "Running" and not p["terminating"]}
    assert after["web"]["uid"] == before["web"]["uid"]
    assert after["web"]["image"] == workload(first.report, "web")["image"]
    assert after["backend"]["uid"] != before["backend"]["uid"]
    assert after["backend"]["image"] == new_tag


def test_down_deletes_the_cluster_and_is_idempotent(bed_env, project):
    web_app(project)
    assert project.run(bed_env, "up").code == 0
    labelled = ["ps", "-aq", "--filter", f"label=clusterctl-bed.cluster={project.name}"]
    assert docker(*labelled).stdout.strip()

    code, report, _, err = project.run(bed_env, "down")

    assert code == 0, err
    assert report["ok"] and step(report, "cluster")["detail"] == "deleted"
    assert project.context not in contexts(bed_env)
    assert docker(*labelled).stdout.strip() == ""
    assert project.name not in bed_env.kind("get", "clusters").stdout.split()

    again = project.run(bed_env, "down", json=False)
    assert again.code == 0, again.stderr
    assert "already absent" in again.output


def test_down_keep_cluster_deletes_only_what_was_applied(bed_env, project):
    web_app(project)
    assert project.run(bed_env, "up").code == 0

    code, report, _, err = project.run(bed_env, "down", "--keep-cluster")

    assert code == 0, err
    assert report["ok"] and step(report, "delete-applied")["status"] == "done"
    assert project.name in bed_env.kind("get", "clusters").stdout.split()
    assert project.context in contexts(bed_env)
    left = bed_env.kubectl("get", "deployments", "-A", "-o", "json", "--context", project.context)
    assert left.returncode == 0, left.stderr
    assert [d["metadata"]["name"] for d in json.loads(left.stdout)["items"]
            if d["metadata"]["namespace"] == project.namespace] == []
