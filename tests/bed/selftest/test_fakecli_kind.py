"""The stand-in `kind` keeps the real one's exit codes, stdout/stderr split and messages."""
from __future__ import annotations

import base64
import json
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.bed.fakecli import nodes
from tests.bed.fakecli.proc import alive

pytestmark = pytest.mark.integration

DEAD_DOCKER = "Cannot connect to the Docker daemon at unix://{sock}. Is the docker daemon running?"


def _create(world, name: str, *args: str):
    result = world.kind("create", "cluster", "--name", name, *args)
    assert result.returncode == 0, result.stderr
    return result


def test_version_goes_to_stdout(bed_env):
    assert bed_env.kind("version").stdout == "kind v0.32.0 go1.26.3 linux/amd64\n"
    assert bed_env.kind("version", "-q").stdout == "0.32.0\n"
    assert bed_env.kind("--version").stdout == "kind version 0.32.0\n"


def test_get_clusters_when_there_are_none(bed_env):
    result = bed_env.kind("get", "clusters")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "No kind clusters found.\n")


def test_create_then_get_clusters_lists_sorted_names(bed_env):
    created = _create(bed_env, "zeta")
    _create(bed_env, "alpha")
    assert created.stdout == ""
    assert 'Creating cluster "zeta" ...\n' in created.stderr
    assert ' ✓ Starting control-plane 🕹️\n' in created.stderr
    assert 'Set kubectl context to "kind-zeta"\n' in created.stderr
    result = bed_env.kind("get", "clusters")
    assert (result.returncode, result.stdout, result.stderr) == (0, "alpha\nzeta\n", "")


def test_create_writes_a_context_real_kubectl_can_use(bed_env):
    _create(bed_env, "dev", "--wait", "30s")
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    assert config["current-context"] == "kind-dev"
    assert [c["name"] for c in config["contexts"]] == ["kind-dev"]
    assert config["clusters"][0]["cluster"]["server"].startswith("https://127.0.0.1:")
    version = bed_env.kubectl("get", "--raw", "/version")
    assert version.returncode == 0, version.stderr
    assert json.loads(version.stdout)["minor"] == "36"  # kind v0.32.0 creates v1.36.1 nodes
    nodes = bed_env.kubectl("get", "nodes", "-o", "name")
    assert nodes.stdout == "node/dev-control-plane\n"


def test_the_kubeconfig_user_is_the_admins_client_certificate_the_api_server_verifies(bed_env, tmp_path):
    """kind copies kubeadm's admin.conf: the user is client-certificate-data and client-key-data (no token),
    and the API server authenticates the certificate against the cluster CA."""
    _create(bed_env, "certs")
    user = yaml.safe_load(bed_env.kubeconfig.read_text())["users"][0]["user"]
    assert sorted(user) == ["client-certificate-data", "client-key-data"]
    subject = subprocess.run(["openssl", "x509", "-noout", "-subject"], input=base64.b64decode(
        user["client-certificate-data"]), capture_output=True, timeout=30).stdout.decode()
    assert "CN = kubernetes-admin" in subject
    assert base64.b64decode(user["client-key-data"]).startswith(b"-----BEGIN PRIVATE KEY-----")
    assert bed_env.kubectl("get", "namespaces", "-o", "name").returncode == 0

    # A certificate of another CA is refused. (The real server asks with RequestClientCert and answers 401;
    # Python's ssl can only verify in the handshake, so here the handshake fails. Nothing relies on which.)
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-keyout", "key", "-out", "certificate", "-subj", "/CN=kubernetes-admin"],
                   cwd=tmp_path, check=True, capture_output=True, timeout=30)
    config["users"][0]["user"] = {f"client-{k}-data": base64.b64encode((tmp_path / k).read_bytes()).decode()
                                  for k in ("certificate", "key")}
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(config))
    refused = bed_env.kubectl("--kubeconfig", str(other), "get", "namespaces")
    assert refused.returncode == 1 and "unknown certificate authority" in refused.stderr, refused.stderr


def test_create_twice_fails_as_already_existing(bed_env):
    _create(bed_env, "dev")
    again = bed_env.kind("create", "cluster", "-n", "dev")
    assert again.returncode == 1
    assert again.stdout == ""
    assert again.stderr.endswith(
        'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "dev"\n')


def test_cluster_name_from_environment(bed_env):
    result = bed_env.kind("create", "cluster", env={"KIND_CLUSTER_NAME": "fromenv"})
    assert result.returncode == 0, result.stderr
    assert bed_env.kind("get", "nodes", env={"KIND_CLUSTER_NAME": "fromenv"}).stdout == \
        "fromenv-control-plane\n"


def test_delete_absent_cluster_succeeds_anyway(bed_env):
    result = bed_env.kind("delete", "cluster", "--name", "ghost")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", 'Deleting cluster "ghost" ...\n')


def test_delete_removes_control_plane_context_and_state(bed_env):
    _create(bed_env, "dev")
    pid = bed_env.cluster("kind", "dev").apiserver()["pid"]
    result = bed_env.kind("delete", "cluster", "-n", "dev")
    assert result.returncode == 0
    assert result.stderr == 'Deleting cluster "dev" ...\nDeleted nodes: ["dev-control-plane"]\n'
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    assert (config["contexts"], config["current-context"]) == ([], "")
    assert not bed_env.cluster("kind", "dev").dir.exists()
    assert not alive(pid)


def test_get_kubeconfig_of_missing_cluster(bed_env):
    result = bed_env.kind("get", "kubeconfig", "--name", "ghost")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("ERROR: could not locate any control plane nodes for cluster named "
                             "'ghost'. Use the --name option to select a different cluster\n")


def test_get_kubeconfig_prints_yaml_and_leaves_the_file_alone(bed_env):
    _create(bed_env, "dev")
    before = bed_env.kubeconfig.read_text()
    result = bed_env.kind("get", "kubeconfig", "-n", "dev", "--internal")
    assert result.returncode == 0
    assert result.stdout.endswith("\n\n")
    config = yaml.safe_load(result.stdout)
    assert config["clusters"][0]["cluster"]["server"] == "https://dev-control-plane:6443"
    assert bed_env.kubeconfig.read_text() == before


def test_load_missing_image_fails_before_the_cluster_check(bed_env):
    result = bed_env.kind("load", "docker-image", "clusterctl-bed/absent:1", "-n", "ghost")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == 'ERROR: image: "clusterctl-bed/absent:1" not present locally\n'


def test_load_into_missing_cluster(bed_env, busybox_image):
    image = busybox_image("clusterctl-bed/kindload:1", ["sleep", "3600"])
    result = bed_env.kind("load", "docker-image", image, "--name", "ghost")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == 'ERROR: no nodes found for cluster "ghost"\n'


def test_load_records_the_image_id_then_reports_it_present(bed_env, busybox_image):
    image = busybox_image("clusterctl-bed/kindload:2", ["sleep", "3600"])
    image_id = bed_env.run(["docker", "image", "inspect", "-f", "{{ .Id }}", image]).stdout.strip()
    _create(bed_env, "dev")
    first = bed_env.kind("load", "docker-image", image, "-n", "dev")
    assert first.returncode == 0, first.stderr
    assert first.stderr == (f'Image: "{image}" with ID "{image_id}" not yet present on node '
                            '"dev-control-plane", loading...\n')
    node_images = json.loads((bed_env.cluster("kind", "dev").dir / "node-images.json").read_text())
    assert node_images == {"images": {f"docker.io/{image}": image_id}}
    second = bed_env.kind("load", "docker-image", image, "-n", "dev")
    assert second.stderr == (f'Image: "{image}" with ID "{image_id}" found to be already present '
                             "on all nodes.\n")


def test_create_with_docker_down(bed_env, tmp_path):
    sock = tmp_path / "dead.sock"
    result = bed_env.kind("create", "cluster", "-n", "dev", env={"DOCKER_HOST": f"unix://{sock}"})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("ERROR: failed to create cluster: ")
    assert "\n\nCommand Output: " in result.stderr
    assert DEAD_DOCKER.format(sock=sock) in result.stderr
    assert not bed_env.cluster("kind", "dev").dir.exists()


def test_failed_provisioning_leaves_nothing_behind(bed_env):
    result = bed_env.kind("create", "cluster", "-n", "dev", env={"CLUSTERCTL_BED_FAIL_CREATE": "1"})
    assert result.returncode == 1
    assert " ✗ Preparing nodes 📦 \n" in result.stderr
    assert "\nERROR: failed to create cluster: " in result.stderr
    assert not bed_env.cluster("kind", "dev").dir.exists()
    assert bed_env.kind("get", "clusters").stdout == ""


def test_config_roles_and_port_mappings(bed_env):
    config = """\
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraPortMappings:
  - containerPort: 30080
    hostPort: 8080
    listenAddress: "127.0.0.1"
- role: worker
- role: worker
"""
    result = bed_env.kind("create", "cluster", "-n", "multi", "--config", "-", input=config)
    assert result.returncode == 0, result.stderr
    assert " • Preparing nodes 📦 📦 📦   ...\n" in result.stderr
    assert " ✓ Joining worker nodes 🚜\n" in result.stderr
    assert bed_env.kind("get", "nodes", "-n", "multi").stdout == \
        "multi-control-plane\nmulti-worker\nmulti-worker2\n"
    mappings = json.loads((bed_env.cluster("kind", "multi").dir / "port-mappings.json").read_text())
    assert mappings == [{"node": "multi-control-plane", "containerPort": 30080, "hostPort": 8080,
                         "listenAddress": "127.0.0.1", "protocol": "TCP"}]


def test_config_is_decoded_strictly(bed_env):
    config = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  image2: x\n"
    result = bed_env.kind("create", "cluster", "--config", "-", input=config)
    assert result.returncode == 1
    assert result.stderr == ("ERROR: failed to create cluster: unable to decode config: yaml: "
                             "unmarshal errors:\n  line 5: field image2 not found in type "
                             "v1alpha4.Node\n")


def test_flag_errors_are_kind_errors(bed_env):
    assert bed_env.kind("create", "cluster", "--bogus").stderr == "ERROR: unknown flag: --bogus\n"
    wait = bed_env.kind("create", "cluster", "--wait", "60")
    assert (wait.returncode, wait.stderr) == (
        1, 'ERROR: invalid argument "60" for "--wait" flag: time: missing unit in duration "60"\n')



def test_tuning_variables_reach_the_control_plane(bed_env):
    tuning = {"CLUSTERCTL_BED_READY_AFTER": "1.5", "CLUSTERCTL_BED_BACKOFF_BASE": "0.1",
              "CLUSTERCTL_BED_NODE_CPU": "3"}
    result = bed_env.kind("create", "cluster", "-n", "tuned", "--wait", "30s", env=tuning)
    assert result.returncode == 0, result.stderr
    assert " ✓ Waiting ≤ 30s for control-plane = Ready ⏳\n" in result.stderr
    pid = bed_env.cluster("kind", "tuned").apiserver()["pid"]
    argv = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    for flag, value in (("--ready-after", "1.5"), ("--backoff-base", "0.1"), ("--node-cpu", "3")):
        assert argv[argv.index(flag) + 1] == value
    cpu = bed_env.kubectl("get", "node", "tuned-control-plane", "-o",
                          "jsonpath={.status.capacity.cpu}")
    assert cpu.stdout == "3"


def _answers(world, context: str) -> bool:
    return world.kubectl("get", "--raw", "/version", "--context", context, timeout=30).returncode == 0


def _until(condition, timeout: float = 60) -> bool:  # polled: generous for a loaded machine
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_stopped_nodes_stay_listed_and_their_api_comes_back_on_the_same_port(bed_env):
    _create(bed_env, "dev")
    server = yaml.safe_load(bed_env.kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
    cluster = bed_env.cluster("kind", "dev")
    listed = bed_env.run(["docker", "ps", "-a", "--filter", "label=io.x-k8s.kind.cluster=dev",
                          "--filter", f"label=clusterctl-bed.state-dir={cluster.dir}", "--format", "{{.Names}}"])
    assert listed.stdout.split() == nodes.containers(cluster)

    assert bed_env.run(["docker", "stop", *nodes.containers(cluster)]).returncode == 0
    assert _until(lambda: not _answers(bed_env, "kind-dev"))
    assert bed_env.kind("get", "clusters").stdout == "dev\n"  # kind reads `docker ps -a`

    assert bed_env.run(["docker", "start", *nodes.containers(cluster)]).returncode == 0
    assert _until(lambda: _answers(bed_env, "kind-dev"))
    assert yaml.safe_load(bed_env.kubeconfig.read_text())["clusters"][0]["cluster"]["server"] == server
    names = nodes.containers(cluster)
    bed_env.kind("delete", "cluster", "--name", "dev")
    assert bed_env.run(["docker", "ps", "-aq", "--filter", f"name={names[0]}"]).stdout == ""
