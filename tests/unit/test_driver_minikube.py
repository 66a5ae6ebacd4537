"""The minikube driver's exact argv, its bitmask status and its distrust of `image load`."""

import json
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


IMAGE_ID = "sha256:" + "c" * 64


def inspect(*refs, found=None):
    """`docker image inspect` of refs, answering for `found` ({ref: id})."""
    found = found if found is not None else {}
    lines = "".join(f'{i} {json.dumps([r])}\n' for r, i in found.items())
    return ("docker", "image", "inspect", "--format", "{{.Id}} {{json .RepoTags}}", *refs), lines


def image_ls(*entries):
    return ("minikube", "image", "ls", "--format", "json", "-p", "shop"), json.dumps(
        [{"id": i, "repoDigests": [], "repoTags": list(tags), "size": "1"} for i, tags in entries])


def test_image_load_exit_0_is_not_trusted():
    argv, out = inspect("bff:1", found={"bff:1": IMAGE_ID})
    ls, listed = image_ls(("d" * 64, ["registry.k8s.io/pause:3.10"]))
    runner = (FakeRunner()
              .expect("minikube", "image", "load", "bff:1", "-p", "shop")
              .expect(*argv, stdout=out)
              .expect(*ls, stdout=listed))
    with pytest.raises(ShipFailed, match="did not load bff:1"):
        minikube(runner).load(["bff:1"], parallelism=1)
    runner.assert_done()


def test_image_load_is_verified_by_image_id_even_when_ls_hides_the_tag():
    # minikube < 1.31 lists one tag per image ID: a second tag of an image already there is not shown.
    argv, out = inspect("ghcr.io/o/worker:abc", found={"ghcr.io/o/worker:abc": IMAGE_ID})
    ls, listed = image_ls(("c" * 64, ["ghcr.io/o/api:abc"]))
    runner = (FakeRunner()
              .expect("minikube", "image", "load", "ghcr.io/o/worker:abc", "-p", "shop")
              .expect(*argv, stdout=out)
              .expect(*ls, stdout=listed))
    assert minikube(runner).load(["ghcr.io/o/worker:abc"], parallelism=1) == ["ghcr.io/o/worker:abc"]
    runner.assert_done()


def test_an_image_is_there_when_its_tag_is_listed_under_the_local_image_id():
    argv, out = inspect("bff:1", "web:2", "api:3", found={"bff:1": IMAGE_ID, "web:2": IMAGE_ID, "api:3": IMAGE_ID})
    # web:2 is listed under another ID (an older build of that tag); api:3 is not listed at all
    ls, listed = image_ls(("c" * 64, ["docker.io/library/bff:1"]), ("e" * 64, ["docker.io/library/web:2"]))
    runner = FakeRunner().expect(*argv, stdout=out).expect(*ls, stdout=listed)
    assert minikube(runner).unloaded(["bff:1", "web:2", "api:3"]) == ["web:2", "api:3"]
    runner.assert_done()


def test_delete_argv_and_absent_is_reported():
    runner = (FakeRunner()
              .expect("minikube", "status", "-p", "shop", "-o", "json", returncode=85)
              .expect("minikube", "delete", "-p", "shop"))
    assert minikube(runner).delete() is False
    runner.assert_done()


def test_context_is_the_profile_name():
    assert minikube(FakeRunner()).context == "shop"
