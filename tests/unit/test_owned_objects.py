"""What clusterctl owns on the cluster (issue 10, rows 8 and 10): a Terminating namespace is waited for
before it is created again; hand edits are applied back; objects the profile no longer renders are pruned
by `up` and deleted by `down --keep-cluster`, found by the profile's labels."""

import itertools
import json

import pytest

from clusterctl.errors import WaitTimeout
from clusterctl.manifests.render import HASH_ANNOTATION
from clusterctl.steps.apply import ApplyManifests
from clusterctl.steps.namespace import EnsureNamespace
from clusterctl.steps.prune import PruneDropped
from tests.fakes import FakeAPI
from tests.unit.test_up_plan import RENDERED, bff_context, kubectl

NS = "/api/v1/namespaces/shop"
SELECTOR = {"labelSelector": "app.kubernetes.io/managed-by=clusterctl,clusterctl.dev/profile=dev"}
OURS = {"app.kubernetes.io/managed-by": "clusterctl", "clusterctl.dev/profile": "dev"}


def meta(name: str, namespace: str | None = None, labels: dict = OURS, **more) -> dict:
    return {"metadata": {"name": name, **({"namespace": namespace} if namespace else {}), "labels": labels, **more}}


# Listed alongside ours, never pruned: another profile's object and one clusterctl did not make.
THEIRS = [meta("theirs", "default", labels={**OURS, "clusterctl.dev/profile": "other"}),
          meta("by-hand", "default", labels={})]


class ScriptedAPI(FakeAPI):
    """FakeAPI whose GETs answer in turn from a per-path script, whose watches play given events, and
    which records every list query."""

    def __init__(self):
        super().__init__()
        self.script: dict[str, list] = {}
        self.events: list[tuple[str, dict]] = []
        self.queries: list[tuple[str, dict | None]] = []

    def get(self, path, query=None):
        self.queries.append((path, query))
        if self.script.get(path):
            return self.script[path].pop(0)
        return super().get(path, query)

    def watch(self, path, resource_version, timeout_s):
        self.requests.append(f"watch {path} {resource_version}")
        events, self.events = self.events, []
        return iter(events)


@pytest.fixture
def setup(tmp_path, monkeypatch):
    return bff_context(tmp_path, monkeypatch, ScriptedAPI())


def terminating_namespace(rv: str) -> dict:
    return {"metadata": {"name": "shop", "resourceVersion": rv, "deletionTimestamp": "2026-11-27T18:00:00Z"},
            "status": {"phase": "Terminating", "conditions": [
                {"type": "NamespaceContentRemaining", "status": "True",
                 "message": "Some resources are remaining: pods. has 2 resource instances"}]}}


def test_a_terminating_namespace_is_waited_for_then_created(setup):
    ctx, runner, api = setup
    api.script[NS] = [terminating_namespace("5"), terminating_namespace("5")]
    api.events = [("MODIFIED", {"metadata": {"name": "other"}}), ("DELETED", {"metadata": {"name": "shop"}})]
    runner.expect(*kubectl(ctx, "apply", "-f", "-"), stdout="namespace/shop created\n")
    step = EnsureNamespace()

    assert not step.check(ctx).done
    detail = step.run(ctx)

    runner.assert_done()
    assert detail.startswith("created after the old one finished terminating")
    assert "watch /api/v1/namespaces 5" in api.requests
    assert json.loads(runner.calls[0].stdin)["metadata"]["name"] == "shop"


def test_a_namespace_that_never_finishes_terminating_times_out_naming_it(setup):
    ctx, runner, api = setup
    api.objects[NS] = terminating_namespace("5")
    ticks = itertools.count(0, 400)  # each look at the clock is 400 s later: past the 300 s timeout
    ctx.clock = lambda: next(ticks)
    step = EnsureNamespace()
    assert not step.check(ctx).done

    with pytest.raises(WaitTimeout) as error:
        step.run(ctx)

    assert "namespace 'shop' is still terminating" in str(error.value)
    assert "pods. has 2 resource instances" in str(error.value)
    assert runner.calls == []


def live_copy(ctx, **spec) -> dict:
    rendered = json.loads(json.dumps(RENDERED))
    rendered["metadata"]["generation"] = 2
    rendered["spec"].update(spec)
    return rendered


def test_a_hand_edit_that_kept_the_hash_is_applied_back(setup):
    ctx, runner, api = setup
    api.objects["/apis/apps/v1"] = {"resources": [{"name": "deployments", "kind": "Deployment", "namespaced": True}]}
    api.objects["/apis/apps/v1/namespaces/shop/deployments"] = {"items": [live_copy(ctx, replicas=3)]}
    runner.expect(*kubectl(ctx, "apply", "-f", "-"), stdout="deployment.apps/bff configured\n")
    step = ApplyManifests()

    assert not step.check(ctx).done
    detail = step.run(ctx)

    runner.assert_done()
    assert json.loads(runner.calls[0].stdin)["spec"]["replicas"] == 1
    assert detail == "1 object applied; put back changes made by hand to deployment/bff (spec.replicas)"


def test_an_untouched_object_is_not_applied_again(setup):
    ctx, runner, api = setup
    api.objects["/apis/apps/v1"] = {"resources": [{"name": "deployments", "kind": "Deployment", "namespaced": True}]}
    api.objects["/apis/apps/v1/namespaces/shop/deployments"] = {"items": [live_copy(ctx)]}
    assert ApplyManifests().check(ctx).done
    assert runner.calls == []


def serve_labelled(api, items: dict[str, list[dict]]) -> None:
    """Discovery for core and apps, and the labelled lists."""
    api.objects["/apis"] = {"groups": [{"name": "apps", "preferredVersion": {"groupVersion": "apps/v1"}}]}
    verbs = ["create", "delete", "get", "list", "watch"]
    api.objects["/api/v1"] = {"resources": [
        {"name": "configmaps", "kind": "ConfigMap", "namespaced": True, "verbs": verbs},
        {"name": "namespaces", "kind": "Namespace", "namespaced": False, "verbs": verbs},
        {"name": "pods/log", "kind": "Pod", "namespaced": True, "verbs": ["get"]},
        {"name": "componentstatuses", "kind": "ComponentStatus", "namespaced": False, "verbs": ["get", "list"]}]}
    api.objects["/apis/apps/v1"] = {"resources": [
        {"name": "deployments", "kind": "Deployment", "namespaced": True, "verbs": verbs}]}
    for path, listed in items.items():
        api.objects[path] = {"items": listed}


def test_up_prunes_labelled_objects_the_profile_no_longer_renders(setup):
    ctx, runner, api = setup
    owned_pod_set = meta("bff-1", "shop", ownerReferences=[{"controller": True}])
    serve_labelled(api, {"/apis/apps/v1/deployments": [meta("bff", "shop"), owned_pod_set],
                         "/api/v1/configmaps": [meta("old", "default"), *THEIRS],
                         "/api/v1/namespaces": [meta("shop")]})
    dropped = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "old", "namespace": "default"}}]
    runner.expect(*kubectl(ctx, "delete", "--ignore-not-found", "--wait=false", "-f", "-"),
                  stdin=json.dumps(dropped[0]) + "\n", stdout='configmap "old" deleted\n')
    step = PruneDropped()

    assert not step.check(ctx).done
    assert step.run(ctx) == "pruned configmap/old"

    runner.assert_done()
    assert ("/api/v1/configmaps", SELECTOR) in api.queries
    assert not any(path.startswith("/api/v1/componentstatuses") for path, _ in api.queries)


def test_down_keep_cluster_deletes_earlier_renders_then_the_current_one_then_the_namespace(setup):
    from clusterctl.steps.teardown import DeleteApplied

    ctx, runner, api = setup
    serve_labelled(api, {"/api/v1/configmaps": [meta("old", "default"), *THEIRS]})
    api.script[NS] = [{"metadata": {"name": "shop"}, "status": {"phase": "Active"}}, terminating_namespace("9")]
    runner.expect(*kubectl(ctx, "delete", "--ignore-not-found", "--wait=false", "-f", "-"),
                  stdout='configmap "old" deleted\ndeployment.apps "bff" deleted\nnamespace "shop" deleted\n')

    detail = DeleteApplied().run(ctx)

    runner.assert_done()
    sent = [json.loads(line) for line in runner.calls[0].stdin.splitlines()]
    assert [(o["kind"], o["metadata"]["name"]) for o in sent] == [
        ("ConfigMap", "old"), ("Deployment", "bff"), ("Namespace", "shop")]
    assert sent[1]["metadata"]["annotations"][HASH_ANNOTATION]
    assert detail == "3 objects deleted; namespace 'shop' is terminating until its pods have stopped"


def test_a_second_down_keep_cluster_does_not_delete_the_terminating_namespace_again(setup):
    from clusterctl.steps.teardown import DeleteApplied

    ctx, runner, api = setup
    api.objects[NS] = terminating_namespace("9")  # a second DELETE would get 409 Conflict
    runner.expect(*kubectl(ctx, "delete", "--ignore-not-found", "--wait=false", "-f", "-"), stdout="")

    detail = DeleteApplied().run(ctx)

    runner.assert_done()
    assert [json.loads(line)["kind"] for line in runner.calls[0].stdin.splitlines()] == ["Deployment"]
    assert detail == "0 objects deleted; namespace 'shop' is terminating until its pods have stopped"
