"""As root, minikube start refuses every driver but none without --force (minikube v1.38.1
cmd/minikube/cmd/start.go validateUser, DRV_AS_ROOT exit 57): preflight says so before any command runs."""
from dataclasses import replace

import pytest

from clusterctl.context import Context
from clusterctl.errors import BadInput
from clusterctl.profile.model import MinikubeSettings
from clusterctl.steps.preflight import Preflight
from tests.fakes import FakeAPI, FakeRunner, Silent, make_profile


def context(tmp_path, tool="minikube", **minikube):
    profile = make_profile(tmp_path, driver=tool)
    cluster = replace(profile.cluster, minikube=MinikubeSettings(**minikube))
    return Context(replace(profile, cluster=cluster), FakeRunner(), Silent(), lambda k, c: FakeAPI())


@pytest.fixture
def uid(monkeypatch):
    def set_uid(value: int) -> None:
        monkeypatch.setattr("os.getuid", lambda: value)
    return set_uid


def test_root_with_the_docker_driver_is_refused_before_any_command(tmp_path, uid):
    uid(0)
    ctx = context(tmp_path)
    with pytest.raises(BadInput, match='refuses the "docker" driver as root') as err:
        Preflight(starts_cluster=True).run(ctx)
    assert 'add "--force" to cluster.minikube.extraArgs' in err.value.hint
    assert ctx.runner.calls == []


@pytest.mark.parametrize("uid_value, tool, settings", [
    (0, "minikube", {"extra_args": ("--force",)}),  # the profile accepts minikube's risk
    (0, "minikube", {"extra_args": ("--force=true",)}),
    (0, "minikube", {"driver": "none"}),  # the none driver is meant for root
    (0, "kind", {}),
    (1000, "minikube", {}),
])
def test_who_is_not_refused(tmp_path, uid, uid_value, tool, settings):
    uid(uid_value)
    ctx = context(tmp_path, tool, **settings)
    ctx.runner.expect(*ctx.driver.version_command().argv, returncode=1, stderr="stop here")
    with pytest.raises(Exception, match="did not report its version"):  # went on to the tool versions
        Preflight(starts_cluster=True).run(ctx)


def test_verbs_that_never_start_minikube_do_not_ask(tmp_path, uid):
    uid(0)
    ctx = context(tmp_path)
    ctx.runner.expect(*ctx.driver.version_command().argv, returncode=1, stderr="stop here")
    with pytest.raises(Exception, match="did not report its version"):
        Preflight(needs_docker=False).run(ctx)  # down: minikube delete works as root
