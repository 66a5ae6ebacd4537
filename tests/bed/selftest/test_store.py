"""The Store contract the controllers and kubelet code against."""
from __future__ import annotations

import time

import pytest

from tests.bed.apiserver.errors import NamespaceTerminating
from tests.bed.apiserver.store import AlreadyExists, Conflict, Forbidden, Invalid, NotFound, Store

pytestmark = pytest.mark.integration


@pytest.fixture
def store():
    s = Store(gc_delay=0.01, namespace_delay=0.05)
    s.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    yield s
    s.close()


def deployment(name="web", image="nginx:1.27", labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default", "labels": labels},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}}


def owned_by(owner: dict, kind: str, api_version: str, name: str) -> dict:
    ref = {"apiVersion": owner["apiVersion"], "kind": owner["kind"],
           "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"], "controller": True}
    return {"apiVersion": api_version, "kind": kind,
            "metadata": {"name": name, "namespace": "default", "ownerReferences": [ref]},
            "spec": {"containers": [{"name": "c", "image": "busybox:1"}]}}


def wait_for(predicate, timeout=60.0):  # generous: it returns as soon as the predicate holds
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_create_assigns_metadata_and_defaults(store):
    made = store.create(deployment())
    meta = made["metadata"]
    assert meta["uid"] and meta["generation"] == 1
    assert meta["creationTimestamp"].endswith("Z")
    assert int(meta["resourceVersion"]) == store.resource_version
    assert made["spec"]["replicas"] == 1
    assert made["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": "25%", "maxSurge": "25%"}
    container = made["spec"]["template"]["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    with pytest.raises(AlreadyExists):
        store.create(deployment())


def test_apps_defaults_follow_the_api_server(store):
    """SetDefaults_Deployment/_StatefulSet (pkg/apis/apps/v1/defaults.go): a deadline, a history
    limit, and a partition only where the server itself creates rollingUpdate."""
    made = store.create(deployment())["spec"]
    assert (made["progressDeadlineSeconds"], made["revisionHistoryLimit"]) == (600, 10)

    def sts(name: str, strategy: dict | None) -> dict:
        body = deployment(name)
        body["kind"] = "StatefulSet"
        if strategy is not None:
            body["spec"]["updateStrategy"] = strategy
        return store.create(body)["spec"]["updateStrategy"]

    assert sts("a", None) == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert sts("b", {"type": "RollingUpdate"}) == {"type": "RollingUpdate"}
    assert sts("c", {"rollingUpdate": {"partition": 2}}) == \
        {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}
    assert sts("d", {"type": "OnDelete"}) == {"type": "OnDelete"}


def test_returned_objects_are_copies(store):
    made = store.create(deployment())
    made["spec"]["replicas"] = 9
    assert store.get("apps/v1", "Deployment", "default", "web")["spec"]["replicas"] == 1


def test_generate_name(store):
    pod = owned_by(store.create(deployment()), "Pod", "v1", "")
    pod["metadata"]["generateName"] = "web-"
    made = store.create(pod)
    assert made["metadata"]["name"].startswith("web-") and len(made["metadata"]["name"]) == 9


def test_update_bumps_generation_only_on_spec_change_and_keeps_status(store):
    made = store.create(deployment())
    store.update_status({**made, "status": {"observedGeneration": 1}})
    live = store.get("apps/v1", "Deployment", "default", "web")
    live["metadata"]["labels"] = {"x": "y"}
    relabelled = store.update(live)
    assert relabelled["metadata"]["generation"] == 1
    assert relabelled["status"] == {"observedGeneration": 1}
    relabelled["spec"]["template"]["metadata"]["annotations"] = {"restartedAt": "now"}
    restarted = store.update(relabelled)
    assert restarted["metadata"]["generation"] == 2
    assert restarted["status"] == {"observedGeneration": 1}


def test_stale_resource_version_conflicts(store):
    made = store.create(deployment())
    store.update({**made, "metadata": {**made["metadata"], "labels": {"a": "b"}}})
    with pytest.raises(Conflict):
        store.update({**made, "metadata": {**made["metadata"], "labels": {"a": "c"}}})


def test_update_status_never_bumps_generation(store):
    made = store.create(deployment())
    after = store.update_status({**made, "status": {"replicas": 1}})
    assert after["metadata"]["generation"] == 1
    assert int(after["metadata"]["resourceVersion"]) > int(made["metadata"]["resourceVersion"])


def test_noop_write_keeps_resource_version(store):
    made = store.create(deployment())
    assert store.update(made)["metadata"]["resourceVersion"] == made["metadata"]["resourceVersion"]


def test_list_filters_by_namespace_and_labels(store):
    store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    store.create(deployment("a", labels={"app": "a", "tier": "web"}))
    other = deployment("b")
    other["metadata"]["namespace"] = "other"
    store.create(other)
    assert [d["metadata"]["name"] for d in store.list("apps/v1", "Deployment")] == ["a", "b"]
    assert [d["metadata"]["name"] for d in store.list("apps/v1", "Deployment", "other")] == ["b"]
    assert [d["metadata"]["name"]
            for d in store.list("apps/v1", "Deployment", labels={"tier": "web"})] == ["a"]


def test_subscribe_and_replay(store):
    q = store.subscribe()
    made = store.create(deployment())
    rv = int(made["metadata"]["resourceVersion"])
    store.delete("apps/v1", "Deployment", "default", "web")
    assert q.get(timeout=1)[0] == "ADDED"
    kind, obj = q.get(timeout=1)
    assert kind == "DELETED" and obj["metadata"]["name"] == "web"
    replay = store.events_since(rv)
    assert [(t, r) for t, _, r in replay] == [("DELETED", rv + 1)]
    store.unsubscribe(q)
    with pytest.raises(NotFound):
        store.get("apps/v1", "Deployment", "default", "web")


def test_invalid_objects_are_rejected_with_causes(store):
    bad = deployment("Bad_Name", labels={"app": "x"})
    bad["spec"]["selector"] = {"matchLabels": {"app": "y"}}
    with pytest.raises(Invalid) as err:
        store.create(bad)
    fields = [f for f, _ in err.value.causes]
    assert fields == ["metadata.name", "spec.template.metadata.labels"]
    assert err.value.message.startswith('Deployment.apps "Bad_Name" is invalid: [metadata.name: ')
    assert "`selector` does not match template `labels`" in err.value.message


def test_finalizers_hold_deletion_until_removed(store):
    pod = owned_by(store.create(deployment()), "Pod", "v1", "p")
    pod["metadata"]["finalizers"] = ["example.com/hold"]
    store.create(pod)
    held = store.delete("v1", "Pod", "default", "p")
    assert held["metadata"]["deletionTimestamp"]
    held["metadata"]["finalizers"] = []
    store.update(held)
    with pytest.raises(NotFound):
        store.get("v1", "Pod", "default", "p")


def test_owner_cascade(store):
    dep = store.create(deployment())
    rs = owned_by(dep, "ReplicaSet", "apps/v1", "web-1")
    rs["spec"] = deployment()["spec"]
    rs = store.create(rs)
    store.create(owned_by(rs, "Pod", "v1", "web-1-a"))
    store.delete("apps/v1", "Deployment", "default", "web")
    assert wait_for(lambda: not store.list("v1", "Pod", "default"))
    assert not store.list("apps/v1", "ReplicaSet", "default")


def test_orphan_keeps_dependents(store):
    dep = store.create(deployment())
    store.create(owned_by(dep, "Pod", "v1", "p"))
    store.delete("apps/v1", "Deployment", "default", "web", propagation="Orphan")
    # The collector works through its jobs in order: once a later background deletion has been
    # collected, it would have collected "p" too. An event, where a sleep would only guess.
    later = store.create(deployment("later"))
    store.create(owned_by(later, "Pod", "v1", "q"))
    store.delete("apps/v1", "Deployment", "default", "later")
    assert wait_for(lambda: [p["metadata"]["name"] for p in store.list("v1", "Pod", "default")] == ["p"])
    assert "ownerReferences" not in store.get("v1", "Pod", "default", "p")["metadata"]


def test_namespace_terminates_then_goes(store):
    store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "app"}})
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "app"}}
    store.create(cm)
    q = store.subscribe()
    ns = store.delete("v1", "Namespace", None, "app")
    assert ns["status"]["phase"] == "Terminating"
    assert store.get("v1", "ConfigMap", "app", "c")  # contents stay a moment, as on a real cluster
    with pytest.raises(Forbidden):
        store.create({**cm, "metadata": {"name": "d", "namespace": "app"}})
    assert wait_for(lambda: not any(o["metadata"]["name"] == "app"
                                    for o in store.list("v1", "Namespace")))
    seen = []
    while not q.empty():
        t, o = q.get()
        seen.append((t, o["kind"]))
    assert ("DELETED", "ConfigMap") in seen and seen[-1] == ("DELETED", "Namespace")


def bound_pod(name: str, namespace: str = "default", grace: int | None = None) -> dict:
    spec = {"nodeName": "n1", "containers": [{"name": "c", "image": "busybox:1"}]}
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
            "spec": spec}


def test_a_running_pod_is_deleted_gracefully_and_only_its_kubelet_removes_it(store):
    store.create(bound_pod("p", grace=20))
    unbound = bound_pod("never-scheduled")
    del unbound["spec"]["nodeName"]
    store.create(unbound)

    deleting = store.delete("v1", "Pod", "default", "p")
    store.delete("v1", "Pod", "default", "never-scheduled")

    assert deleting["metadata"]["deletionGracePeriodSeconds"] == 20
    assert store.get("v1", "Pod", "default", "p")["metadata"]["deletionTimestamp"]
    with pytest.raises(NotFound):
        store.get("v1", "Pod", "default", "never-scheduled")  # nothing ran it: gone at once
    store.update_status({**deleting, "status": {"phase": "Running"}})  # the kubelet still reports
    assert store.delete("v1", "Pod", "default", "p", grace_period=30)["metadata"][
        "deletionGracePeriodSeconds"] == 20, "a second delete may only shorten the grace period"
    store.delete("v1", "Pod", "default", "p", grace_period=0)  # the kubelet, once its containers are gone
    with pytest.raises(NotFound):
        store.get("v1", "Pod", "default", "p")


def test_a_namespace_stays_terminating_while_a_pod_runs_its_grace_period(store):
    store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "app"}})
    store.create(bound_pod("p", "app", grace=2))  # the deleter comes back after 2/2 + 1 s
    store.delete("v1", "Namespace", None, "app")

    def remaining():
        ns = store.get("v1", "Namespace", None, "app")
        return next((c["message"] for c in ns["status"].get("conditions") or []
                     if c["type"] == "NamespaceContentRemaining" and c["status"] == "True"), None)
    assert wait_for(remaining)
    assert remaining() == "Some resources are remaining: pods. has 1 resource instances"
    ns = store.get("v1", "Namespace", None, "app")
    assert ns["spec"]["finalizers"] == ["kubernetes"] and ns["status"]["phase"] == "Terminating"
    assert store.get("v1", "Pod", "app", "p")["metadata"]["deletionTimestamp"]
    with pytest.raises(NamespaceTerminating):
        store.delete("v1", "Namespace", None, "app")

    store.delete("v1", "Pod", "app", "p", grace_period=0)  # its kubelet is done

    assert wait_for(lambda: not any(o["metadata"]["name"] == "app" for o in store.list("v1", "Namespace")))


def test_record_event_counts_repeats(store):
    pod = store.create(owned_by(store.create(deployment()), "Pod", "v1", "p"))
    store.record_event(pod, "BackOff", "Back-off pulling image", "Warning")
    store.record_event(pod, "BackOff", "Back-off pulling image", "Warning")
    [event] = store.list("v1", "Event", "default")
    assert event["count"] == 2 and event["type"] == "Warning"
    assert event["involvedObject"]["uid"] == pod["metadata"]["uid"]
    assert event["source"] == {"component": "kubelet"}


def test_secret_string_data_is_folded(store):
    made = store.create({"apiVersion": "v1", "kind": "Secret",
                         "metadata": {"name": "s", "namespace": "default"},
                         "stringData": {"password": "hunter2"}})
    assert made["data"] == {"password": "aHVudGVyMg=="} and "stringData" not in made


def test_deleting_a_crd_deletes_its_objects(store):
    store.create({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                  "metadata": {"name": "widgets.example.com"},
                  "spec": {"group": "example.com", "scope": "Namespaced",
                           "names": {"plural": "widgets", "kind": "Widget"},
                           "versions": [{"name": "v1", "served": True, "storage": True}]}})
    store.create({"apiVersion": "example.com/v1", "kind": "Widget",
                  "metadata": {"name": "w", "namespace": "default"}})
    store.delete("apiextensions.k8s.io/v1", "CustomResourceDefinition", None,
                 "widgets.example.com")
    assert wait_for(lambda: not store.list("example.com/v1", "Widget"))
