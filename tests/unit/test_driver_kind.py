"""The kind driver's exact argv and its reading of kind's output."""

import pytest

from clusterctl.drivers import ClusterState, driver_for
from clusterctl.errors import CommandFailed, ShipFailed
from clusterctl.profile.model import Cluster, KindSettings, PortMapping
from tests.fakes import FakeRunner, kind_nodes_argv

KUBECONFIG = "/home/u/.kube/config"


def kind(runner, **kwargs):
    from pathlib import Path

    cluster = Cluster(name="dev", driver="kind", kind=kwargs.pop("kind", KindSettings()), **kwargs)
    return driver_for(cluster, runner, Path(KUBECONFIG))


def test_no_clusters_message_on_stderr_means_absent():
    runner = FakeRunner().expect("kind", "get", "clusters", stderr="No kind clusters found.\n")
    assert kind(runner).state() is ClusterState.ABSENT
    runner.assert_done()


def test_cluster_listed_on_stdout_with_running_nodes_is_running():
    runner = (FakeRunner().expect("kind", "get", "clusters", stdout="another\ndev\n")
              .expect(*kind_nodes_argv(), stdout="dev-control-plane\trunning\ndev-worker\trunning\n"))
    assert kind(runner).state() is ClusterState.RUNNING
    runner.assert_done()


def test_a_listed_cluster_with_a_stopped_node_is_stopped_and_start_starts_only_those():
    # kind get clusters reads `docker ps -a`: a cluster whose nodes are stopped is listed all the same.
    nodes = "dev-control-plane\texited\ndev-worker\trunning\n"
    runner = (FakeRunner().expect("kind", "get", "clusters", stdout="dev\n").expect(*kind_nodes_argv(), stdout=nodes)
              .expect(*kind_nodes_argv(), stdout=nodes).expect("docker", "start", "dev-control-plane"))
    driver = kind(runner)
    assert driver.state() is ClusterState.STOPPED
    driver.start()
    runner.assert_done()


def test_a_cluster_whose_name_only_prefixes_another_is_absent():
    runner = FakeRunner().expect("kind", "get", "clusters", stdout="dev2\n")
    assert kind(runner).state() is ClusterState.ABSENT


def test_docker_down_while_listing_is_an_error_with_kinds_output():
    runner = FakeRunner().expect("kind", "get", "clusters", returncode=1,
                                 stderr="ERROR: failed to list clusters: ...\nCommand Output: Cannot connect\n")
    with pytest.raises(CommandFailed) as err:
        kind(runner).state()
    assert "Cannot connect" in "\n".join(err.value.details)


def test_create_passes_a_generated_config_on_stdin():
    settings = KindSettings(workers=2, extra_port_mappings=(PortMapping(30080, 8080),))
    runner = FakeRunner().expect(
        "kind", "create", "cluster", "--name", "dev", "--kubeconfig", KUBECONFIG, "--image", "kindest/node:v1.32.0",
        "--config", "-",
        stdin=(
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n"
            "  extraPortMappings:\n  - containerPort: 30080\n    hostPort: 8080\n    listenAddress: 127.0.0.1\n"
            "    protocol: TCP\n- role: worker\n- role: worker\n"
        ),
    )
    kind(runner, kind=settings, kubernetes_version="v1.32.0").create()
    runner.assert_done()


def test_create_with_a_pass_through_config_and_node_image(tmp_path):
    config = tmp_path / "kind.yaml"
    runner = FakeRunner().expect("kind", "create", "cluster", "--name", "dev", "--kubeconfig", KUBECONFIG,
                                 "--image", "kindest/node:v1.31.2@sha256:abc", "--config", str(config))
    kind(runner, kind=KindSettings(config=config), node_image="kindest/node:v1.31.2@sha256:abc").create()
    runner.assert_done()


def test_delete_is_named_and_pinned_to_the_kubeconfig():
    runner = (FakeRunner()
              .kind_cluster()
              .expect("kind", "delete", "cluster", "--name", "dev", "--kubeconfig", KUBECONFIG,
                      stderr='Deleting cluster "dev" ...\n'))
    assert kind(runner).delete() is True
    runner.assert_done()


def test_load_runs_one_command_per_image_and_reports_what_kind_copied():
    # kind v0.20+ `docker save`s every image named on the command line once any node lacks any of them.
    present = 'Image: "web:2" with ID "sha256:%s" found to be already present on all nodes.\n' % ("b" * 64)
    runner = (FakeRunner()
              .expect("kind", "load", "docker-image", "--name", "dev", "bff:1",
                      stderr='Image: "bff:1" with ID "sha256:%s" not yet present on node "dev-control-plane", '
                             "loading...\n" % ("a" * 64))
              .expect("kind", "load", "docker-image", "--name", "dev", "web:2", stderr=present))
    assert kind(runner).load(["bff:1", "web:2"], parallelism=1) == ["bff:1"]
    runner.assert_done()


def test_a_retag_on_the_node_counts_as_a_change():
    runner = FakeRunner().expect("kind", "load", "docker-image", "--name", "dev", "bff:2", stderr=(
        "Image with ID: sha256:%s already present on the node dev-control-plane but is missing the tag "
        "docker.io/library/bff:2. re-tagging...\n" % ("a" * 64)))
    assert kind(runner).load(["bff:2"], parallelism=1) == ["bff:2"]


def test_every_image_is_left_to_kinds_own_per_node_check():
    runner = FakeRunner()
    assert kind(runner).unloaded(["bff:1", "web:2"]) == ["bff:1", "web:2"]
    assert runner.calls == []  # never Node.status.images: it lags 30 s and stops at 50 images


def test_load_failure_is_a_ship_failure():
    runner = FakeRunner().expect("kind", "load", "docker-image", "--name", "dev", "bff:1", returncode=1,
                                 stderr='ERROR: image: "bff:1" not present locally\n')
    with pytest.raises(ShipFailed) as err:
        kind(runner).load(["bff:1"], parallelism=1)
    assert "bff:1" in err.value.message and 'not present locally' in "\n".join(err.value.details)


def test_context_is_kind_dash_name():
    assert kind(FakeRunner()).context == "kind-dev"
