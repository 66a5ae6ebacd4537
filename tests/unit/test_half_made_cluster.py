"""A run stopped between `kind create cluster` and the identity stamp (Ctrl-C, SIGTERM, a crash) leaves a
cluster no stamp vouches for; the next `up` recreates it instead of refusing it, and `down` deletes it."""


import pytest

from clusterctl import identity
from clusterctl.context import Context
from clusterctl.errors import ClusterFailed, CommandFailed
from clusterctl.steps.cluster import DeleteCluster, EnsureCluster
from tests.fakes import KIND_KUBECONFIG, FakeAPI, FakeRunner, Silent, make_profile



@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "clusterctl-home"))
    profile = make_profile(tmp_path)
    profile.cluster.kubeconfig.write_text(KIND_KUBECONFIG)  # what the interrupted kind had written already
    return Context(profile, FakeRunner(), Silent(), lambda kubeconfig, context: FakeAPI())


def kubectl(ctx, *args):
    return ("kubectl", "--kubeconfig", str(ctx.kubeconfig), "--context", "kind-dev", *args)


def create(ctx):
    return ("kind", "create", "cluster", "--name", "dev", "--kubeconfig", str(ctx.kubeconfig), "--config", "-")


def test_an_interrupted_create_is_recreated_and_stamped(ctx):
    identity.begin_create(ctx.kubeconfig, "kind-dev")  # the stopped run got this far, never to the stamp
    (ctx.runner
     .kind_cluster()
     .kind_cluster()
     .expect("kind", "delete", "cluster", "--name", "dev", "--kubeconfig", str(ctx.kubeconfig))
     .expect(*create(ctx))
     .expect(*kubectl(ctx, "apply", "-f", "-"), stdout="configmap/clusterctl-identity created\n"))
    step = EnsureCluster()

    check = step.check(ctx)
    detail = step.run(ctx)

    ctx.runner.assert_done()
    assert not check.done and "interrupted" in check.reason
    assert detail == "recreated (context kind-dev)"
    assert identity.recorded(ctx.kubeconfig, "kind-dev") is not None
    assert not identity.half_made(ctx.kubeconfig, "kind-dev")


def test_a_finished_create_leaves_no_mark_and_a_create_that_fails_keeps_it(ctx):
    ctx.runner.expect("kind", "get", "clusters").expect(*create(ctx), returncode=1, stderr="ERROR: no\n")
    step = EnsureCluster()
    assert not step.check(ctx).done
    with pytest.raises(CommandFailed, match="kind create cluster") as failed:
        step.run(ctx)
    assert failed.value.exit_code == ClusterFailed.exit_code
    assert identity.half_made(ctx.kubeconfig, "kind-dev")

    ctx.runner.expect("kind", "get", "clusters").expect(*create(ctx)).expect(*kubectl(ctx, "apply", "-f", "-"))
    assert step.check(ctx).reason == "absent"  # kind cleaned up after itself: a plain create
    assert step.run(ctx) == "created (context kind-dev)"
    assert not identity.half_made(ctx.kubeconfig, "kind-dev")


def test_down_deletes_a_half_made_cluster_without_force(ctx):
    identity.begin_create(ctx.kubeconfig, "kind-dev")
    (ctx.runner
     .kind_cluster()
     .kind_cluster()
     .expect("kind", "delete", "cluster", "--name", "dev", "--kubeconfig", str(ctx.kubeconfig)))
    step = DeleteCluster()

    assert not step.check(ctx).done
    assert step.run(ctx) == "deleted"
    ctx.runner.assert_done()
    assert not identity.half_made(ctx.kubeconfig, "kind-dev")
