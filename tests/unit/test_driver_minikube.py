"""The minikube driver's exact argv, its bitmask status and its distrust of `image load`."""

from pathlib import Path

import pytest

from clusterctl.drivers import ClusterState, driver_for
from clusterctl.errors import ShipFailed
from clusterctl.profile.model import Cluster, MinikubeSettings
from tests.fakes import FakeRunner

KUBECONFIG = Path("/home/u/.kube/config")
RUNNING = '{"Name":"shop","Host":"Running","Kubelet":"Running","APIServer":"Running","Kubeconfig":"Configured"}'


def minikube(runner, **settings):
    cluster = Cluster(name="shop", driver="minikube", minikube=MinikubeSettings(**settings))
    return driver_for(cluster, runner, KUBECONFIG)


@pytest.mark.parametrize("code,stdout,state", [
    (0, RUNNING, ClusterState.RUNNING),
    (7, '{"Name":"shop","Host":"Stopped"}', ClusterState.STOPPED),
    (85, '{"specversion":"1.0","type":"io.k8s.sigs.minikube.info"}', ClusterState.ABSENT),
    (7, "null", ClusterState.STOPPED),
    (6, '{"Host":"Running","APIServer":"Stopped"}', ClusterState.STOPPED),
    (4, '{"Host":"Running","APIServer":"Running","Kubeconfig":"Misconfigured"}', ClusterState.RUNNING),
])
def test_status_exit_code_is_read_as_a_bitmask(code, stdout, state):
    runner = FakeRunner().expect("minikube", "status", "-p", "shop", "-o", "json", returncode=code, stdout=stdout)
    assert minikube(runner).state() is state
    runner.assert_done()


@pytest.mark.parametrize("code,current", [(0, True), (4, False), (7, False), (85, False)])
def test_the_context_is_current_when_minikube_calls_the_kubeconfig_configured(code, current):
    # status.go sets Kubeconfig Misconfigured (exit bit 4) when the context's host:port is not the profile's.
    runner = FakeRunner().expect("minikube", "status", "-p", "shop", "-o", "json", returncode=code)
    assert minikube(runner).context_is_current() is current


def test_a_stopped_profile_is_started_with_minikube_start():
    runner = FakeRunner().expect("minikube", "start", "-p", "shop", "--driver=docker")
    minikube(runner).start()
    runner.assert_done()


def test_every_call_carries_the_kubeconfig_in_the_environment():
    runner = FakeRunner().expect("minikube", "status", "-p", "shop", "-o", "json", stdout=RUNNING)
    minikube(runner).state()
    assert runner.calls[0].env == {"KUBECONFIG": str(KUBECONFIG)}


def test_start_argv():
    runner = FakeRunner().expect("minikube", "start", "-p", "shop", "--driver=docker", "--nodes=2", "--cpus=2",
                                 "--memory=4096mb", "--addons=ingress")
    minikube(runner, nodes=2, cpus=2, memory_mb=4096, extra_args=("--addons=ingress",)).create()
    runner.assert_done()


def test_image_load_exit_0_is_not_trusted():
    runner = (FakeRunner()
              .expect("minikube", "image", "load", "bff:1", "-p", "shop")
              .expect("minikube", "image", "ls", "-p", "shop", stdout="registry.k8s.io/pause:3.10\n"))
    with pytest.raises(ShipFailed, match="did not load bff:1"):
        minikube(runner).load(["bff:1"])
    runner.assert_done()


def test_image_load_verified_by_image_ls():
    runner = (FakeRunner()
              .expect("minikube", "image", "load", "ghcr.io/o/bff:abc", "-p", "shop")
              .expect("minikube", "image", "ls", "-p", "shop", stdout="ghcr.io/o/bff:abc\n"))
    minikube(runner).load(["ghcr.io/o/bff:abc"])
    runner.assert_done()


def test_delete_argv_and_absent_is_reported():
    runner = (FakeRunner()
              .expect("minikube", "status", "-p", "shop", "-o", "json", returncode=85)
              .expect("minikube", "delete", "-p", "shop"))
    assert minikube(runner).delete() is False
    runner.assert_done()


def test_context_is_the_profile_name():
    assert minikube(FakeRunner()).context == "shop"
