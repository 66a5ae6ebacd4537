"""The stand-in kubelet pulls images that are not loaded from the bed's htpasswd registry, with a
private DOCKER_CONFIG built from the pod's imagePullSecrets."""
from __future__ import annotations

import base64
import json
import subprocess
import uuid

import pytest

from tests.bed.fixtures import require_bed, require_pull_user
from tests.bed.kubelet.harness import SELFTEST_IMAGE, busybox_image, running_plane

pytestmark = pytest.mark.integration


def docker(*args: str, config=None, stdin: str | None = None) -> None:
    prefix = ["--config", str(config)] if config else []
    subprocess.run(["docker", *prefix, *args], input=stdin, check=True, capture_output=True,
                   text=True, timeout=120)


def push_fresh_tag(bed, root) -> str:
    """A fresh tag of the self-test image in the registry, absent from the local engine."""
    ref = f"{bed.registry}/bed-selftest/busybox:{uuid.uuid4().hex[:8]}"
    config = root / f"docker-config-{ref.rsplit(':', 1)[1]}"
    config.mkdir()
    docker("login", "-u", bed.registry_user, "--password-stdin", bed.registry, config=config,
           stdin=bed.registry_password)
    docker("tag", SELFTEST_IMAGE, ref)
    docker("push", ref, config=config)
    docker("rmi", ref)
    return ref


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    bed = require_bed()
    root = tmp_path_factory.mktemp("registry")
    busybox_image(root / "image")
    ref = push_fresh_tag(bed, root)
    yield bed, ref, root
    subprocess.run(["docker", "rmi", "-f", ref], capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def plane(pushed):
    _, _, root = pushed
    with running_plane(root / "state", f"selftest-rg-{uuid.uuid4().hex[:6]}", ["rg-control-plane"],
                       {}, ready_after=0.2, backoff_base=0.3, backoff_cap=1.5) as p:
        yield p
    assert not p.containers()


def pull_secret(bed, ns: str, user: str = "", password: str = "", name: str = "regcred") -> dict:
    user, password = user or bed.registry_user, password or bed.registry_password
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    config = {"auths": {bed.registry: {"username": user, "password": password, "auth": auth}}}
    return {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
            "metadata": {"name": name, "namespace": ns},
            "data": {".dockerconfigjson": base64.b64encode(json.dumps(config).encode()).decode()}}


def pod(name: str, ns: str, image: str, secrets: list[str]) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"imagePullSecrets": [{"name": s} for s in secrets],
                     "containers": [{"name": "main", "image": image}]}}


def state_of(plane, ns: str, name: str) -> dict:
    statuses = ((plane.get("v1", "Pod", ns, name) or {}).get("status") or {}).get(
        "containerStatuses") or [{}]
    return statuses[0].get("state") or {}


def test_pull_secrets_open_the_registry(plane, pushed):
    bed, ref, _ = pushed
    ns = plane.namespace("private")
    plane.create(pull_secret(bed, ns))
    plane.create(pod("without", ns, ref, ["nosuch"]))
    refused = plane.wait(lambda: (state_of(plane, ns, "without").get("waiting") or {}).get(
        "reason") == "ErrImagePull" and state_of(plane, ns, "without")["waiting"], "the refusal")
    assert "pull access denied" in refused["message"]
    assert "no basic auth credentials" in refused["message"]
    assert ("Warning", "FailedToRetrieveImagePullSecret",
            "Unable to retrieve some image pull secrets (nosuch); attempting to pull the image "
            "may not succeed.") in plane.events(ns, "without")

    plane.create(pod("with-secret", ns, ref, ["regcred"]))
    plane.wait(lambda: "running" in state_of(plane, ns, "with-secret"), "the authenticated pull")
    status = plane.get("v1", "Pod", ns, "with-secret")["status"]["containerStatuses"][0]
    assert status["image"] == ref
    assert status["imageID"].startswith(ref.rsplit(":", 1)[0] + "@sha256:")
    reasons = [e[1] for e in plane.events(ns, "with-secret")]
    assert reasons.index("Pulling") < reasons.index("Pulled") < reasons.index("Started")
    # Now on the node, the image runs for the pod without credentials too, as on a real node.
    plane.wait(lambda: "running" in state_of(plane, ns, "without"), "the present image")


def test_the_pull_uses_the_secrets_own_credentials(plane, pushed):
    """The kubelet authenticates with what the pull secret holds, nothing else: a wrong password is
    refused by the registry (ErrImagePull, then ImagePullBackOff, as the real kubelet reports), and the
    registry's second user gets the image. Each pod pulls a tag no other pod has put on the node."""
    bed, _, root = pushed
    pull_user, pull_password = require_pull_user(bed)
    ns = plane.namespace("pull-credentials")
    plane.create(pull_secret(bed, ns, pull_user, "not-the-password", name="wrong"))
    plane.create(pull_secret(bed, ns, pull_user, pull_password, name="reader"))
    wrong_ref, right_ref = push_fresh_tag(bed, root), push_fresh_tag(bed, root)
    try:
        plane.create(pod("wrong", ns, wrong_ref, ["wrong"]))
        plane.create(pod("reader", ns, right_ref, ["reader"]))
        refused = plane.wait(lambda: (state_of(plane, ns, "wrong").get("waiting") or {}).get(
            "reason") == "ErrImagePull" and state_of(plane, ns, "wrong")["waiting"], "the refusal")
        assert "pull access denied" in refused["message"], refused
        plane.wait(lambda: (state_of(plane, ns, "wrong").get("waiting") or {}).get(
            "reason") == "ImagePullBackOff", "the back-off")
        plane.wait(lambda: "running" in state_of(plane, ns, "reader"), "the pull user's pull")
    finally:
        subprocess.run(["docker", "rmi", "-f", wrong_ref, right_ref], capture_output=True, timeout=60)
