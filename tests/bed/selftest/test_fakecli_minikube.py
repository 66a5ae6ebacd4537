"""The stand-in `minikube` keeps the real one's exit codes, stdout/stderr split and messages."""
from __future__ import annotations

import json
import os
import signal
import time

import pytest
import yaml

from tests.bed.fakecli.proc import alive
from tests.bed.fixtures import AS_ROOT_FORCE

pytestmark = pytest.mark.integration

DONE = '* Done! kubectl is now configured to use "{p}" cluster and "default" namespace by default\n'
ROOT = os.getuid() == 0
# What minikube says as root (start.go validateUser), before it exits or, with --force, goes on.
AS_ROOT = ['The "docker" driver should not be used with root privileges. If you wish to continue as root, use --force.',
           "If you are running minikube within a VM, consider using --driver=none:",
           "  https://minikube.sigs.k8s.io/docs/reference/drivers/none/"]


def _start(world, profile: str, *args: str):
    result = world.minikube("start", "-p", profile, "--driver=docker", *AS_ROOT_FORCE, *args)
    assert result.returncode == 0, result.stderr
    return result


def _events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_version(bed_env):
    assert bed_env.minikube("version", "--short").stdout == "v1.38.1\n"
    assert json.loads(bed_env.minikube("version", "-o", "json").stdout)["minikubeVersion"] == "v1.38.1"


def test_start_prints_done_last_and_sets_the_context(bed_env):
    result = _start(bed_env, "dev", "--kubernetes-version=v1.31.0", "--cpus=2", "--memory=2048",
                    "--extra-config=kubelet.max-pods=50", "--addons=ingress")
    assert result.stdout.endswith(DONE.format(p="dev"))
    assert result.stdout.startswith("* [dev] minikube v1.38.1 on ")
    assert "* Creating docker container (CPUs=2, Memory=2048MB) ...\n" in result.stdout
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    assert config["current-context"] == "dev"
    assert config["contexts"][0]["context"] == {"cluster": "dev", "namespace": "default", "user": "dev"}
    version = bed_env.kubectl("--context", "dev", "get", "--raw", "/version")
    assert version.returncode == 0, version.stderr


def test_start_json_prints_cloudevent_steps(bed_env):
    result = _start(bed_env, "dev", "-o", "json")
    events = _events(result.stdout)
    errors = [e["data"]["message"] for e in events if e["type"] == "io.k8s.sigs.minikube.error"]
    assert errors == ([m.strip() for m in AS_ROOT] if ROOT else [])  # out.ErrT is an error event in JSON
    assert {e["type"] for e in events} - {"io.k8s.sigs.minikube.error"} <= {"io.k8s.sigs.minikube.step",
                                                                           "io.k8s.sigs.minikube.info"}
    assert events[-1]["data"]["name"] == "Done"
    assert events[-1]["data"]["totalsteps"] == "19"


def test_status_of_missing_profile_is_85_with_cloudevents(bed_env):
    result = bed_env.minikube("status", "-p", "ghost", "-o", "json")
    assert (result.returncode, result.stderr) == (85, "")
    events = _events(result.stdout)
    assert [e["type"] for e in events] == ["io.k8s.sigs.minikube.info"] * 2
    assert [e["data"]["message"] for e in events] == [
        'Profile "ghost" not found. Run "minikube profile list" to view all profiles.',
        'To start a cluster, run: "minikube start -p ghost"']


def test_status_bitmask(bed_env):
    _start(bed_env, "dev")
    running = bed_env.minikube("status", "-p", "dev", "-o", "json")
    assert running.returncode == 0
    assert running.stdout == ('{"Name":"dev","Host":"Running","Kubelet":"Running","APIServer":"Running",'
                              '"Kubeconfig":"Configured","Worker":false}')
    bed_env.kubectl("config", "delete-cluster", "dev")
    misconfigured = bed_env.minikube("status", "-p", "dev", "-o", "json")
    assert (misconfigured.returncode, json.loads(misconfigured.stdout)["Kubeconfig"]) == (4, "Misconfigured")
    stopped = bed_env.minikube("stop", "-p", "dev")
    assert stopped.stdout.endswith("* 1 node stopped.\n")
    status = bed_env.minikube("status", "-p", "dev", "-o", "json")
    assert status.returncode == 7
    assert json.loads(status.stdout) == {"Name": "dev", "Host": "Stopped", "Kubelet": "Stopped",
                                         "APIServer": "Stopped", "Kubeconfig": "Stopped",
                                         "Worker": False}


def test_status_after_the_control_plane_dies(bed_env):
    _start(bed_env, "dev")
    pid = bed_env.cluster("minikube", "dev").apiserver()["pid"]
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60  # polled: a SIGKILLed process is reaped on the machine's time
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bed_env.minikube("status", "-p", "dev").returncode == 7


def _server(world, name: str) -> str:
    config = yaml.safe_load(world.kubeconfig.read_text())
    return next(c["cluster"]["server"] for c in config["clusters"] if c["name"] == name)


def test_stop_removes_the_context_and_start_restarts_on_a_new_port(bed_env):
    _start(bed_env, "dev")
    first = _server(bed_env, "dev")
    bed_env.kubectl("create", "configmap", "kept", "--context", "dev")
    bed_env.minikube("stop", "-p", "dev")
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    assert (config["contexts"], config["current-context"]) == ([], "")
    again = _start(bed_env, "dev")
    assert 'Restarting existing docker container for "dev" ...\n' in again.stdout
    assert bed_env.minikube("status", "-p", "dev").returncode == 0
    assert _server(bed_env, "dev") != first  # published as 127.0.0.1::8443: docker picks a new port
    assert bed_env.kubectl("get", "configmap", "kept", "--context", "dev").returncode == 0  # etcd kept it


def test_profiles_of_one_minikube_home_share_a_ca(bed_env):
    _start(bed_env, "one")
    _start(bed_env, "two")
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    cas = {c["name"]: c["cluster"]["certificate-authority-data"] for c in config["clusters"]}
    assert cas["one"] == cas["two"]
    assert _server(bed_env, "one") != _server(bed_env, "two")


def test_multi_node_status_is_an_array(bed_env):
    _start(bed_env, "duo", "--nodes=2")
    result = bed_env.minikube("status", "-p", "duo", "-o", "json")
    statuses = json.loads(result.stdout)
    assert [s["Name"] for s in statuses] == ["duo", "duo-m02"]
    assert statuses[1]["APIServer"] == statuses[1]["Kubeconfig"] == "Irrelevant"
    assert result.returncode == 0


def test_profile_list_json(bed_env):
    empty = bed_env.minikube("profile", "list", "-o", "json")
    assert (empty.returncode, empty.stdout) == (0, '{"invalid":[],"valid":[]}')
    _start(bed_env, "dev")
    listing = json.loads(bed_env.minikube("profile", "list", "-o", "json").stdout)
    (profile,) = listing["valid"]
    assert (profile["Name"], profile["Status"], profile["ActiveKubeContext"]) == ("dev", "OK", True)
    assert profile["Config"]["Driver"] == "docker"


def test_image_load_exits_zero_even_when_nothing_loads(bed_env):
    _start(bed_env, "dev")
    result = bed_env.minikube("image", "load", "clusterctl-bed/absent:1", "-p", "dev")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "! The image 'clusterctl-bed/absent:1' was not found; unable to add it to cache.\n"
    assert not (bed_env.cluster("minikube", "dev").dir / "node-images.json").exists()


def test_image_load_into_missing_profile_is_a_usage_error(bed_env, busybox_image):
    image = busybox_image("clusterctl-bed/mkload:1", ["sleep", "3600"])
    result = bed_env.minikube("image", "load", image, "-p", "ghost")
    assert result.returncode == 14
    assert 'X Exiting due to MK_USAGE: loading profile: cluster "ghost" does not exist\n' in result.stderr


def test_image_load_then_ls(bed_env, busybox_image):
    image = busybox_image("clusterctl-bed/mkload:2", ["sleep", "3600"])
    _start(bed_env, "dev")
    result = bed_env.minikube("image", "load", image, "-p", "dev")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    listed = bed_env.minikube("image", "ls", "-p", "dev").stdout.splitlines()
    assert f"docker.io/{image}" in listed
    assert "registry.k8s.io/pause:3.10" in listed
    assert listed == sorted(listed, reverse=True)


@pytest.mark.parametrize("release, tags_per_id", [("v1.30.1", 1), ("v1.31.0", 2), ("v1.38.1", 2)])
def test_image_ls_before_1_31_shows_one_tag_per_image_id(bed_env, busybox_image, release, tags_per_id):
    image = busybox_image("clusterctl-bed/mkload:3", ["sleep", "3600"])
    alias = "clusterctl-bed/mkalias:3"
    assert bed_env.run(["docker", "tag", image, alias]).returncode == 0
    try:
        _start(bed_env, "dev")
        env = {"CLUSTERCTL_BED_MINIKUBE_VERSION": release}
        assert bed_env.minikube("version", "--short", env=env).stdout == f"{release}\n"
        for ref in (image, alias):
            assert bed_env.minikube("image", "load", ref, "-p", "dev", env=env).returncode == 0
        image_id = bed_env.run(["docker", "image", "inspect", "-f", "{{.Id}}", image]).stdout.strip()
        listed = json.loads(bed_env.minikube("image", "ls", "--format", "json", "-p", "dev", env=env).stdout)
        [entry] = [e for e in listed if e["id"] == image_id.removeprefix("sha256:")]
        both = sorted([f"docker.io/{image}", f"docker.io/{alias}"])
        assert entry["repoTags"] == both[:tags_per_id]
        short = bed_env.minikube("image", "ls", "-p", "dev", env=env).stdout.split()
        assert [ref in short for ref in both] == [True, tags_per_id == 2]
    finally:
        bed_env.run(["docker", "rmi", alias])


def test_start_with_docker_down_is_63(bed_env, tmp_path):
    sock = tmp_path / "dead.sock"
    result = bed_env.minikube("start", "-p", "dev", "--driver=docker",
                              env={"DOCKER_HOST": f"unix://{sock}"})
    assert result.returncode == 63
    assert "X Exiting due to PROVIDER_DOCKER_NOT_RUNNING: " in result.stderr
    assert (f"Cannot connect to the Docker daemon at unix://{sock}. Is the docker daemon running?"
            in result.stderr)
    assert "* Suggestion: Start the Docker service\n" in result.stderr
    assert not bed_env.cluster("minikube", "dev").dir.exists()


@pytest.mark.skipif(not ROOT, reason="minikube refuses only uid 0")
def test_start_as_root_without_force_is_drv_as_root_57(bed_env):
    result = bed_env.minikube("start", "-p", "dev", "--driver=docker")
    assert result.returncode == 57
    assert result.stderr == "".join(f"* {line}\n" for line in AS_ROOT) + (
        'X Exiting due to DRV_AS_ROOT: The "docker" driver should not be used with root privileges.\n')
    assert "* Using the docker driver based on user configuration\n" in result.stdout
    assert not bed_env.cluster("minikube", "dev").dir.exists()


@pytest.mark.skipif(not ROOT, reason="minikube refuses only uid 0")
def test_restart_as_root_without_force_names_the_root_owned_cluster(bed_env):
    _start(bed_env, "dev")
    result = bed_env.minikube("start", "-p", "dev")
    assert result.returncode == 57
    assert "* Tip: To remove this root owned cluster, run: sudo minikube delete -p dev\n" in result.stderr


def test_failed_provisioning_is_guest_provision(bed_env):
    result = bed_env.minikube("start", "-p", "dev", *AS_ROOT_FORCE, env={"CLUSTERCTL_BED_FAIL_CREATE": "1"})
    assert result.returncode == 80
    assert "X Exiting due to GUEST_PROVISION: error provisioning guest: " in result.stderr
    assert not bed_env.cluster("minikube", "dev").dir.exists()


def test_delete_absent_profile_succeeds(bed_env):
    result = bed_env.minikube("delete", "-p", "ghost")
    assert result.returncode == 0
    assert result.stderr == '! "ghost" profile does not exist, trying anyways.\n'
    assert result.stdout == '* Removed all traces of the "ghost" cluster.\n'


def test_delete_removes_context_and_control_plane(bed_env):
    _start(bed_env, "dev")
    pid = bed_env.cluster("minikube", "dev").apiserver()["pid"]
    result = bed_env.minikube("delete", "-p", "dev")
    assert result.returncode == 0
    assert result.stdout.endswith('* Removed all traces of the "dev" cluster.\n')
    assert yaml.safe_load(bed_env.kubeconfig.read_text())["contexts"] == []
    assert not alive(pid)


def test_service_url_of_missing_service_is_115(bed_env):
    _start(bed_env, "dev")
    result = bed_env.minikube("service", "web", "--url", "-n", "default", "-p", "dev", "--wait=0")
    assert (result.returncode, result.stdout) == (115, "\n\n")
    assert "X Exiting due to SVC_NOT_FOUND: Service 'web' was not found in 'default' namespace.\n" \
        in result.stderr


def test_service_url_prints_the_node_port(bed_env, busybox_image):
    image = busybox_image("clusterctl-bed/mksvc:1", ["sleep", "3600"])
    _start(bed_env, "dev")
    assert bed_env.minikube("image", "load", image, "-p", "dev").returncode == 0
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "web", "image": image, "imagePullPolicy": "Never"}]}}
    assert bed_env.kubectl("apply", "-f", "-", input=json.dumps(pod)).returncode == 0
    created = bed_env.kubectl("create", "service", "nodeport", "web", "--tcp=80:8080",
                              "--node-port=30080")
    assert created.returncode == 0, created.stderr
    ready = bed_env.kubectl("wait", "--for=condition=Ready", "pod/web", "--timeout=60s")
    assert ready.returncode == 0, ready.stderr
    result = bed_env.minikube("service", "web", "--url", "-p", "dev")
    assert (result.returncode, result.stdout, result.stderr) == (0, "http://127.0.0.1:30080\n", "")
