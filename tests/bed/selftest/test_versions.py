"""The Kubernetes version a stand-in cluster runs, chosen as the real tools choose it, and what the API
server of that version does with fields it does not know (real kubectl, default `--validate=strict`)."""
from __future__ import annotations

import json

import pytest

from tests.bed.fixtures import AS_ROOT_FORCE

pytestmark = pytest.mark.integration

SLEEP_HOOK = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: busybox:1
        lifecycle:
          preStop:
            sleep: {seconds: 5}
"""
UNKNOWN = 'unknown field "spec.template.spec.containers[0].lifecycle.preStop.sleep"'


def served(world, context: str) -> str:
    done = world.kubectl("version", "-o", "json", "--context", context)
    return json.loads(done.stdout)["serverVersion"]["gitVersion"]


def kind_cluster(world, name: str, *args: str, release: str = "0.32.0") -> str:
    done = world.kind("create", "cluster", "--name", name, *args, env={"CLUSTERCTL_BED_KIND_VERSION": release})
    assert done.returncode == 0, done.stderr
    return f"kind-{name}"


@pytest.mark.parametrize("release, version", [("0.20.0", "v1.27.3"), ("0.22.0", "v1.29.2"), ("0.23.0", "v1.30.0")])
def test_kind_creates_its_releases_default_node_version(bed_env, release, version):
    assert bed_env.kind("version", env={"CLUSTERCTL_BED_KIND_VERSION": release}).stdout.startswith(f"kind v{release} ")
    context = kind_cluster(bed_env, "k" + release.replace(".", ""), release=release)
    assert served(bed_env, context) == version


def test_kind_image_flag_and_config_pick_the_version(bed_env, tmp_path):
    assert served(bed_env, kind_cluster(bed_env, "flag", "--image", "kindest/node:v1.28.0")) == "v1.28.0"
    config = tmp_path / "kind.yaml"
    config.write_text("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n"
                      "nodes: [{role: control-plane, image: 'kindest/node:v1.31.2'}]\n")
    assert served(bed_env, kind_cluster(bed_env, "cfg", "--config", str(config))) == "v1.31.2"


@pytest.mark.parametrize("release, flag, version", [
    ("v1.30.0", None, "v1.26.3"), ("v1.32.0", None, "v1.28.3"), ("v1.32.0", "--kubernetes-version=stable", "v1.28.3"),
    ("v1.31.2", "--kubernetes-version=latest", "v1.28.0-rc.1"), ("v1.38.1", "--kubernetes-version=v1.29.0", "v1.29.0"),
])
def test_minikube_default_and_kubernetes_version_flag(bed_env, release, flag, version):
    env = {"CLUSTERCTL_BED_MINIKUBE_VERSION": release}
    assert bed_env.minikube("version", "--short", env=env).stdout == f"{release}\n"
    done = bed_env.minikube("start", "-p", "mk", *AS_ROOT_FORCE, *([flag] if flag else []), env=env)
    assert done.returncode == 0, done.stderr
    assert f"Preparing Kubernetes {version} on Docker" in done.stdout
    assert served(bed_env, "mk") == version


def test_strict_validation_refuses_a_field_the_version_lacks(bed_env):
    context = kind_cluster(bed_env, "old", release="0.20.0")

    done = bed_env.kubectl("apply", "-f", "-", "--context", context, input=SLEEP_HOOK)

    assert done.returncode == 1
    assert done.stderr.strip() == ('Error from server (BadRequest): error when creating "STDIN": Deployment in version '
                                   f'"v1" cannot be handled as a Deployment: strict decoding error: {UNKNOWN}')


def test_warn_reports_and_drops_the_field_then_validation_refuses_the_empty_hook(bed_env):
    context = kind_cluster(bed_env, "warn", release="0.20.0")

    done = bed_env.kubectl("apply", "--validate=warn", "-f", "-", "--context", context, input=SLEEP_HOOK)

    assert f"Warning: {UNKNOWN}" in done.stderr
    assert 'The Deployment "web" is invalid: spec.template.spec.containers[0].lifecycle.preStop: Required value: ' \
           "must specify a handler type" in done.stderr


def test_1_29_drops_the_gated_sleep_and_refuses_the_empty_hook(bed_env):
    context = kind_cluster(bed_env, "gate", release="0.22.0")

    done = bed_env.kubectl("apply", "-f", "-", "--context", context, input=SLEEP_HOOK)

    assert done.returncode == 1 and "strict decoding" not in done.stderr  # 1.29 knows the field
    assert "lifecycle.preStop: Required value: must specify a handler type" in done.stderr


def test_1_30_keeps_the_sleep_and_an_unknown_field_in_a_patch_warns_or_is_refused(bed_env):
    context = kind_cluster(bed_env, "new", release="0.23.0")
    assert bed_env.kubectl("apply", "-f", "-", "--context", context, input=SLEEP_HOOK).returncode == 0
    got = bed_env.kubectl("get", "deploy", "web", "-o", "json", "--context", context)
    container = json.loads(got.stdout)["spec"]["template"]["spec"]["containers"][0]
    assert container["lifecycle"] == {"preStop": {"sleep": {"seconds": 5}}}

    patched = bed_env.kubectl("patch", "deploy", "web", "--context", context, "-p", '{"spec": {"paused2": true}}')
    assert patched.returncode == 0 and patched.stderr == 'Warning: unknown field "spec.paused2"\n'  # no fieldValidation: Warn
    assert "(no change)" in patched.stdout

    done = bed_env.kubectl("apply", "-f", "-", "--context", context,
                           input=SLEEP_HOOK.replace("  replicas: 0", "  replicas: 0\n  paused2: true"))

    assert done.returncode == 1
    assert 'strict decoding error: unknown field "spec.paused2"' in done.stderr and "patch: Invalid value" in done.stderr
