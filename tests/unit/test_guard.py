"""The identity guard's decisions: a port move minikube vouches for, one it does not, kind's fixed port, a
dead API, and down of a stopped minikube profile whose context `minikube stop` removed."""

import pytest

from clusterctl import guard, identity
from clusterctl.context import Context
from clusterctl.errors import ApiUnreachable, WrongCluster
from clusterctl.steps.cluster import DeleteCluster
from tests.fakes import FakeAPI, FakeRunner, Silent, make_profile, stamp_as_created

RECORDED, MOVED = "https://127.0.0.1:40123", "https://127.0.0.1:40999"
STATUS = ("minikube", "status", "-p", "dev", "-o", "json")


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))

    def make(driver: str):
        api = FakeAPI()
        ctx = Context(make_profile(tmp_path, driver=driver), FakeRunner(), Silent(), lambda k, c: api)
        stamp_as_created(ctx, api)
        return ctx, api
    return make


def _move(ctx) -> None:
    ctx.kubeconfig.write_text(ctx.kubeconfig.read_text().replace(RECORDED, MOVED))


def test_a_port_move_minikube_vouches_for_is_asked_for_its_stamp_and_the_record_follows(world):
    ctx, api = world("minikube")
    _move(ctx)
    ctx.runner.expect(*STATUS, stdout='{"Kubeconfig":"Configured"}')

    guard.verify(ctx)

    assert ctx.verified and api.requests == ["/api/v1/namespaces/kube-public/configmaps/clusterctl-identity"]
    assert identity.recorded(ctx.kubeconfig, "dev").server == MOVED
    assert f"moved from {RECORDED} to {MOVED}" in ctx.notes[0]


def test_a_port_move_minikube_disowns_is_refused_unasked(world):
    ctx, api = world("minikube")
    _move(ctx)
    ctx.runner.expect(*STATUS, returncode=4, stdout='{"Kubeconfig":"Misconfigured"}')

    with pytest.raises(WrongCluster) as refused:
        guard.verify(ctx)

    assert MOVED in refused.value.message and RECORDED in refused.value.message
    assert "minikube update-context -p dev" in refused.value.hint
    assert api.requests == [] and identity.recorded(ctx.kubeconfig, "dev").server == RECORDED


def test_kind_ports_are_fixed_at_creation_so_a_move_is_refused_without_asking_anyone(world):
    ctx, api = world("kind")
    _move(ctx)
    with pytest.raises(WrongCluster, match=f"now points at {MOVED}"):
        guard.verify(ctx)
    assert api.requests == []
    ctx.runner.assert_done()


def test_a_dead_api_behind_a_matching_context_leaves_the_record_to_decide_only_where_allowed(world):
    ctx, api = world("kind")
    api.get = lambda path, query=None: (_ for _ in ()).throw(ApiUnreachable("connection refused"))
    with pytest.raises(ApiUnreachable):
        guard.verify(ctx)
    guard.verify(ctx, api_may_be_down=True)
    assert not ctx.verified


def test_down_of_a_stopped_minikube_profile_without_its_context_deletes_by_name_on_the_record(world):
    ctx, api = world("minikube")
    ctx.kubeconfig.write_text("apiVersion: v1\nkind: Config\n")  # what `minikube stop` leaves
    ctx.runner.expect(*STATUS, returncode=7, stdout='{"Host":"Stopped"}')

    assert not DeleteCluster().check(ctx).done

    assert api.requests == [] and "deletes it by name" in ctx.notes[0]


def test_down_of_a_stopped_profile_clusterctl_has_no_record_of_is_refused(world):
    ctx, api = world("minikube")
    identity.forget(ctx.kubeconfig, "dev")
    ctx.kubeconfig.write_text("apiVersion: v1\nkind: Config\n")
    ctx.runner.expect(*STATUS, returncode=7, stdout='{"Host":"Stopped"}')
    with pytest.raises(WrongCluster, match="no identity record"):
        DeleteCluster().check(ctx)
    assert api.requests == []
