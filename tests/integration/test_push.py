"""`shipping.mode: push` against the bed's htpasswd registry on 127.0.0.1: the image goes to the registry
(not into the node), the pull secret is created and used, and the password is never printed."""
from __future__ import annotations

import base64
import json
import secrets
import urllib.request

import pytest

from tests.integration.project import Project, deployment, node_images, step, workload

PASSWORD_ENV = "BED_REGISTRY_PASSWORD"


@pytest.fixture
def project(bed_env):
    # A repository path of our own in the shared registry.
    made = Project(bed_env.root / "app", name="push",
                   registry=f"{bed_env.bed.registry}/team-{secrets.token_hex(4)}")
    yield made
    made.remove_images()


def registry_get(bed, path: str) -> dict:
    request = urllib.request.Request(f"http://{bed.registry}{path}")
    token = base64.b64encode(f"{bed.registry_user}:{bed.registry_password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_push_mode_ships_through_the_registry_with_a_pull_secret(bed_env, project):
    bed = bed_env.bed
    project.image("web", cmd="sleep 3600")
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile(shipping={"mode": "push", "registry": project.registry,
                              "auth": {"username": "${BED_REGISTRY_USER}", "passwordEnv": PASSWORD_ENV},
                              "pullSecret": "regcred"})

    first = project.run(bed_env, "up", "-v")

    assert first.code == 0, first.output
    image = workload(first.report, "web")["image"]
    repository, tag = image.rsplit(":", 1)
    assert repository == project.repo("web")
    path = repository.split("/", 1)[1]  # without host:port
    prefix = path.rsplit("/", 1)[0]  # the catalog is sorted: what follows our prefix starts with ours
    assert path in registry_get(bed, f"/v2/_catalog?n=100&last={prefix}")["repositories"]
    assert tag in registry_get(bed, f"/v2/{path}/tags/list")["tags"]
    assert step(first.report, "ship")["status"] == "done" and image in step(first.report, "ship")["detail"]
    assert not any(ref.startswith(bed.registry) for ref in node_images(project.cluster(bed_env)))

    pulled = bed_env.kubectl("get", "secret", "regcred", "-n", project.namespace, "-o", "json",
                             "--context", project.context)
    assert pulled.returncode == 0, pulled.stderr
    secret = json.loads(pulled.stdout)
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    config = json.loads(base64.b64decode(secret["data"][".dockerconfigjson"]))
    assert bed.registry in config["auths"]
    pod = json.loads(bed_env.kubectl("get", "pods", "-n", project.namespace, "-o", "json",
                                     "--context", project.context).stdout)["items"][0]
    assert {"name": "regcred"} in pod["spec"].get("imagePullSecrets", [])
    assert pod["status"]["phase"] == "Running"

    second = project.run(bed_env, "up", "-v")
    second_text = project.run(bed_env, "up", "-v", json=False)

    assert second.code == 0 and second_text.code == 0, second.output + second_text.output
    assert step(second.report, "ship")["status"] == "skipped"
    assert "docker push" not in second_text.stderr and "docker login" not in second_text.stderr
    for run in (first, second, second_text):
        assert bed.registry_password not in run.output
