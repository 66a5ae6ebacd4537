"""Rendering pins our images, wires the pull secret, labels ownership and orders each batch."""

from clusterctl.manifests.render import (HASH_ANNOTATION, MANAGED_BY, RenderedObject, Wiring, apply_order,
                                         content_hash, render, uses_image)


def deployment(image="ghcr.io/o/bff:0.1", policy=None, name="api"):
    container = {"name": "web", "image": image}
    if policy:
        container["imagePullPolicy"] = policy
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"template": {"spec": {"initContainers": [{"name": "init", "image": "busybox:1.36"}],
                                           "containers": [container]}}}}


def wiring(**kw):
    return Wiring(refs={"ghcr.io/o/bff": "ghcr.io/o/bff:abc123"}, namespace="shop", profile="dev", **kw)


def containers_of(obj):
    return obj["spec"]["template"]["spec"]["containers"]


def test_image_found_by_repository_not_by_workload_name():
    out = render(deployment(name="api"), wiring(), set(), "f.yaml:1").obj
    assert containers_of(out)[0]["image"] == "ghcr.io/o/bff:abc123"
    assert out["spec"]["template"]["spec"]["initContainers"][0]["image"] == "busybox:1.36"


def test_untagged_and_latest_references_are_pinned_too():
    for image in ("ghcr.io/o/bff", "ghcr.io/o/bff:latest", "ghcr.io/o/bff@sha256:" + "a" * 64):
        assert containers_of(render(deployment(image), wiring(), set(), "f:1").obj)[0]["image"] == "ghcr.io/o/bff:abc123"


def test_other_repositories_are_left_alone():
    out = render(deployment("ghcr.io/o/bff-worker:1"), wiring(), set(), "f:1").obj
    assert containers_of(out)[0]["image"] == "ghcr.io/o/bff-worker:1"


def test_pull_policy_always_on_a_loaded_image_becomes_if_not_present_with_a_note():
    wired = wiring()
    out = render(deployment(policy="Always"), wired, set(), "bff.yaml:3").obj
    assert containers_of(out)[0]["imagePullPolicy"] == "IfNotPresent"
    assert wired.notes and "bff.yaml:3" in wired.notes[0]


def test_pull_policy_kept_when_pushing_and_pull_secret_added_once():
    wired = wiring(load_mode=False, pull_secret="ghcr-pull")
    obj = deployment(policy="Always")
    obj["spec"]["template"]["spec"]["imagePullSecrets"] = [{"name": "ghcr-pull"}]
    out = render(obj, wired, set(), "f:1").obj
    assert containers_of(out)[0]["imagePullPolicy"] == "Always"
    assert out["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": "ghcr-pull"}]


def test_namespace_defaulted_only_for_namespaced_kinds():
    ns = render({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}, wiring(), set(), "f:1").obj
    cr = render({"apiVersion": "a/v1", "kind": "Widget", "metadata": {"name": "w"}}, wiring(), {"Widget"}, "f:1").obj
    svc = render({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "other"}},
                 wiring(), set(), "f:1").obj
    dep = render(deployment(), wiring(), set(), "f:1").obj
    assert "namespace" not in ns["metadata"] and "namespace" not in cr["metadata"]
    assert svc["metadata"]["namespace"] == "other"
    assert dep["metadata"]["namespace"] == "shop"


def test_labels_and_a_hash_that_changes_with_content():
    first = render(deployment(), wiring(), set(), "f:1").obj
    again = render(deployment(), wiring(), set(), "f:1").obj
    other = render(deployment(name="api2"), wiring(), set(), "f:1").obj
    assert first["metadata"]["labels"][MANAGED_BY] == "clusterctl"
    assert first["metadata"]["annotations"][HASH_ANNOTATION] == again["metadata"]["annotations"][HASH_ANNOTATION]
    assert first["metadata"]["annotations"][HASH_ANNOTATION] != other["metadata"]["annotations"][HASH_ANNOTATION]
    assert content_hash(first) == first["metadata"]["annotations"][HASH_ANNOTATION]


def test_namespaces_then_crds_first_the_rest_in_file_order():
    objs = [RenderedObject({"kind": k, "metadata": {"name": n}}, "f") for k, n in
            [("Deployment", "a"), ("CustomResourceDefinition", "c"), ("Service", "b"), ("Namespace", "n")]]
    assert [[o.name for o in phase] for phase in apply_order(objs)] == [["n", "c"], ["a", "b"]]


def test_uses_image_sees_cronjobs_and_pods():
    cron = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"name": "c", "image": "ghcr.io/o/bff:1"}]}}}}}}
    pod = {"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "docker.io/library/redis:7"}]}}
    assert uses_image(cron, "ghcr.io/o/bff")
    assert uses_image(pod, "redis") and not uses_image(pod, "ghcr.io/o/bff")
