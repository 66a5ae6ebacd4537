"""Row 10 of issue 10: clusterctl owns what it applied. A hand edit (kubectl scale / edit) keeps the
content-hash annotation, so `up` must compare the live fields, not the annotation; objects the profile
no longer renders are pruned by `up`, and `down --keep-cluster` deletes everything carrying its label."""
from __future__ import annotations

import json

import pytest

from tests.integration.project import Project, deployment, fresh_project, step

HASH = "clusterctl.dev/applied-hash"


@pytest.fixture
def project(bed_env):
    with fresh_project(bed_env, "drift") as made:
        yield made


def config_map(name: str, namespace: str | None = None) -> dict:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"greeting": "hi"}}


def kubectl_json(bed_env, project: Project, *args: str) -> dict | None:
    got = bed_env.kubectl(*args, "-o", "json", "--context", project.context)
    return json.loads(got.stdout) if got.returncode == 0 else None


COMMAND = ["sh", "-c", "sleep 3600"]


def web_with_extras(project: Project) -> tuple[str, str]:
    project.image("web", cmd="sleep 3600")
    # A short grace period: the hand edits' rollouts leave no old pods around for long.
    web = project.manifest("web.yaml", deployment("web", project.repo("web"), replicas=2,
                                                  container={"command": COMMAND},
                                                  pod={"terminationGracePeriodSeconds": 1}))
    # `default`, not the profile's namespace: deleting that namespace must not be what removes it.
    extra = project.manifest("extra.yaml", config_map("extra", "default"), config_map("extra-local"))
    project.profile(manifests=[web, extra])
    return web, extra


def test_up_puts_back_a_hand_edit_that_kept_the_hash_annotation(bed_env, project):
    web_with_extras(project)
    first = project.run(bed_env, "up")
    assert first.code == 0, first.stderr
    applied = kubectl_json(bed_env, project, "get", "deployment", "web", "-n", project.namespace)
    by_hand = {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "command": ["sh", "-c", "echo by hand; sleep 3600"]}]}}}}
    # `kubectl edit` sends the same strategic merge patch as `kubectl patch`.
    for edit in (["scale", "deployment/web", "--replicas=1"], ["patch", "deployment/web", "-p", json.dumps(by_hand)]):
        done = bed_env.kubectl(*edit, "-n", project.namespace, "--context", project.context)
        assert done.returncode == 0, done.stderr
    edited = kubectl_json(bed_env, project, "get", "deployment", "web", "-n", project.namespace)
    # What the real API server does too: the spec changed, the annotations did not.
    assert edited["metadata"]["annotations"][HASH] == applied["metadata"]["annotations"][HASH]
    assert edited["metadata"]["generation"] > applied["metadata"]["generation"]

    again = project.run(bed_env, "up")

    assert again.code == 0, again.stderr
    assert step(again.report, "apply")["status"] == "done"
    assert "deployment/web" in step(again.report, "apply")["detail"]
    restored = kubectl_json(bed_env, project, "get", "deployment", "web", "-n", project.namespace)
    assert restored["spec"]["replicas"] == 2
    assert restored["spec"]["template"]["spec"]["containers"][0]["command"] == COMMAND


def test_up_prunes_what_the_profile_no_longer_renders(bed_env, project):
    web, _ = web_with_extras(project)
    assert project.run(bed_env, "up").code == 0
    project.profile(manifests=[web])

    again = project.run(bed_env, "up")

    assert again.code == 0, again.stderr
    assert "configmap/extra" in step(again.report, "prune")["detail"]
    assert kubectl_json(bed_env, project, "get", "configmap", "extra", "-n", "default") is None
    assert kubectl_json(bed_env, project, "get", "deployment", "web", "-n", project.namespace)


def test_down_keep_cluster_deletes_objects_of_an_earlier_render(bed_env, project):
    web, _ = web_with_extras(project)
    assert project.run(bed_env, "up").code == 0
    project.profile(manifests=[web])

    down = project.run(bed_env, "down", "--keep-cluster")

    assert down.code == 0, down.stderr
    assert kubectl_json(bed_env, project, "get", "configmap", "extra", "-n", "default") is None
