"""HTTP semantics of the API server stand-in, driven in-process with raw requests."""
from __future__ import annotations

import json
import time

import pytest


pytestmark = pytest.mark.integration

DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
PODS = "/api/v1/namespaces/default/pods"
SMP = "application/strategic-merge-patch+json"


def deployment(name="web", labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "web", "image": "nginx:1.27",
                          "ports": [{"containerPort": 80}, {"containerPort": 443}]},
                         {"name": "side", "image": "busybox:1"}]}}}}


def pod(name="p", **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": name}},
            "spec": {"containers": [{"name": "c", "image": "busybox:1"}], **spec}}


def test_errors_are_status_bodies(api):
    missing = api.call("GET", f"{DEPLOYS}/nope")
    assert missing.code == 404
    assert missing.json["kind"] == "Status" and missing.json["reason"] == "NotFound"
    assert missing.json["message"] == 'deployments.apps "nope" not found'
    assert api.call("GET", "/apis/nothing/v1/things").json["reason"] == "NotFound"
    assert api.call("POST", DEPLOYS, deployment()).code == 201
    dup = api.call("POST", DEPLOYS, deployment())
    assert (dup.code, dup.json["reason"]) == (409, "AlreadyExists")
    assert dup.json["message"] == 'deployments.apps "web" already exists'
    assert api.call("POST", f"{DEPLOYS}/web", deployment()).json["reason"] == "MethodNotAllowed"
    odd = api.call("PATCH", f"{DEPLOYS}/web", {}, content_type="text/plain")
    assert (odd.code, odd.json["reason"]) == (415, "UnsupportedMediaType")
    bad = api.call("POST", DEPLOYS, b"{not json")
    assert (bad.code, bad.json["reason"]) == (400, "BadRequest")


def test_stale_update_conflicts(api):
    made = api.call("POST", DEPLOYS, deployment()).json
    made["metadata"]["labels"] = {"v": "1"}
    assert api.call("PUT", f"{DEPLOYS}/web", made).code == 200
    made["metadata"]["labels"] = {"v": "2"}
    stale = api.call("PUT", f"{DEPLOYS}/web", made)
    assert (stale.code, stale.json["reason"]) == (409, "Conflict")
    assert stale.json["message"].startswith('Operation cannot be fulfilled on deployments.apps "web"')


def test_invalid_has_causes(api):
    bad = deployment("web")
    bad["spec"]["template"]["spec"]["containers"][1]["name"] = "web"
    del bad["spec"]["template"]["spec"]["containers"][0]["image"]
    reply = api.call("POST", DEPLOYS, bad)
    assert (reply.code, reply.json["reason"]) == (422, "Invalid")
    details = reply.json["details"]
    assert (details["kind"], details["group"], details["name"]) == ("Deployment", "apps", "web")
    assert [(c["field"], c["reason"]) for c in details["causes"]] == [
        ("spec.template.spec.containers[0].image", "FieldValueRequired"),
        ("spec.template.spec.containers[1].name", "FieldValueDuplicate")]
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {}}
    assert api.call("POST", "/api/v1/namespaces/default/services", svc).json["message"] == \
        'Service "s" is invalid: spec.ports: Required value'


def test_namespace_must_exist_and_be_active(api):
    missing = api.call("POST", "/api/v1/namespaces/nope/pods", pod())
    assert (missing.code, missing.json["message"]) == (404, 'namespaces "nope" not found')
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "app"}}
    api.call("POST", "/api/v1/namespaces", ns)
    api.call("POST", "/api/v1/namespaces/app/configmaps",
             {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    deleted = api.call("DELETE", "/api/v1/namespaces/app")
    assert deleted.json["status"]["phase"] == "Terminating"
    refused = api.call("POST", "/api/v1/namespaces/app/pods", pod())
    assert (refused.code, refused.json["reason"]) == (403, "Forbidden")
    assert "because it is being terminated" in refused.json["message"]
    assert api.call("DELETE", "/api/v1/namespaces/app/configmaps/c").code == 200
    again = api.call("DELETE", "/api/v1/namespaces/app")
    assert (again.code, again.json["reason"]) == (409, "Conflict")
    deadline = time.monotonic() + 60  # the collector's own time on a loaded machine
    while api.call("GET", "/api/v1/namespaces/app").code != 404:
        assert time.monotonic() < deadline, "the Terminating namespace never went away"
        time.sleep(0.05)


def test_strategic_merge_patch_merges_lists_by_key(api):
    api.call("POST", DEPLOYS, deployment())
    patch = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}, {"name": "side"}],
        "containers": [{"name": "web", "image": "nginx:1.28",
                        "ports": [{"containerPort": 443, "$patch": "delete"}]},
                       {"name": "side", "ports": None}]}}}}
    reply = api.call("PATCH", f"{DEPLOYS}/web", patch, content_type=SMP)
    assert reply.code == 200
    web, side = reply.json["spec"]["template"]["spec"]["containers"]
    assert web["image"] == "nginx:1.28" and web["ports"] == [{"containerPort": 80,
                                                              "protocol": "TCP"}]
    assert side["image"] == "busybox:1" and "ports" not in side
    assert reply.json["metadata"]["generation"] == 2
    assert "$setElementOrder/containers" not in json.dumps(reply.json)


def test_merge_json_and_apply_patches(api):
    api.call("POST", DEPLOYS, deployment())
    merged = api.call("PATCH", f"{DEPLOYS}/web", {"metadata": {"labels": {"a": "b"}}},
                      content_type="application/merge-patch+json")
    assert merged.json["metadata"]["labels"] == {"a": "b"}
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 3},
           {"op": "add", "path": "/metadata/labels/c", "value": "d"},
           {"op": "remove", "path": "/metadata/labels/a"}]
    patched = api.call("PATCH", f"{DEPLOYS}/web", ops, content_type="application/json-patch+json")
    assert patched.json["spec"]["replicas"] == 3 and patched.json["metadata"]["labels"] == {"c": "d"}
    applied = api.call("PATCH", f"{DEPLOYS}/new?fieldManager=kubectl&force=false",
                       deployment("new"), content_type="application/apply-patch+yaml")
    assert applied.code == 201 and applied.json["metadata"]["name"] == "new"


def test_watch_replays_and_ends_after_timeout(api):
    made = api.call("POST", PODS, pod("a")).json
    rv = made["metadata"]["resourceVersion"]
    api.call("POST", PODS, pod("b"))
    api.call("DELETE", f"{PODS}/a")
    started = time.monotonic()
    replay = api.call("GET", f"{PODS}?watch=true&resourceVersion={rv}&timeoutSeconds=1")
    assert 0.9 < time.monotonic() - started < 30  # ends at timeoutSeconds: not at once, not never
    assert replay.headers.get("Transfer-Encoding") == "chunked"
    assert [(e["type"], e["object"]["metadata"]["name"], e["object"]["kind"])
            for e in replay.lines()] == [("ADDED", "b", "Pod"), ("DELETED", "a", "Pod")]
    fresh = api.call("GET", f"{PODS}?watch=1&timeoutSeconds=1&labelSelector=app%3Db")
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in fresh.lines()] == [("ADDED", "b")]


def test_list_selectors(api):
    for name, node in (("a", "n1"), ("b", "n2"), ("c", "n1")):
        p = pod(name, nodeName=node)
        p["metadata"]["labels"]["tier"] = "x" if name != "c" else "y"
        api.call("POST", PODS, p)

    def names(query: str) -> list[str]:
        reply = api.call("GET", f"{PODS}?{query}")
        assert reply.code == 200, reply.json
        assert reply.json["metadata"]["resourceVersion"]
        return [i["metadata"]["name"] for i in reply.json["items"]]
    assert names("fieldSelector=spec.nodeName%3Dn1") == ["a", "c"]
    assert names("fieldSelector=metadata.name%3Db,status.phase%3DPending") == ["b"]
    assert names("labelSelector=tier!%3Dx") == ["c"]
    assert names("labelSelector=app+in+(a,b),tier") == ["a", "b"]
    assert names("labelSelector=!tier") == []
    assert api.call("GET", "/api/v1/pods").json["items"][0]["metadata"]["namespace"] == "default"


def test_pod_table_derives_status(api):
    api.call("POST", PODS, pod("p"))
    live = api.store.get("v1", "Pod", "default", "p")
    live["status"]["containerStatuses"] = [{
        "name": "c", "image": "busybox:1", "imageID": "", "ready": False, "restartCount": 2,
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2020-01-01T00:00:00Z"}}}]
    api.store.update_status(live)
    accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    reply = api.call("GET", PODS, headers={"Accept": accept})
    assert reply.headers["Content-Type"].startswith("application/json;as=Table")
    assert [c["name"] for c in reply.json["columnDefinitions"] if c["priority"] == 0] == \
        ["Name", "Ready", "Status", "Restarts", "Age"]
    cells = reply.json["rows"][0]["cells"]
    assert cells[:3] == ["p", "0/1", "CrashLoopBackOff"] and cells[3].startswith("2 (")


def test_pod_logs_via_provider(api):
    api.call("POST", PODS, pod("p"))
    calls = []

    def provider(namespace, name, container, previous, tail_lines, follow):
        calls.append((namespace, name, container, previous, tail_lines, follow))
        return iter([b"one\n", b"two\n"])
    api.server.log_provider = provider
    live = api.store.get("v1", "Pod", "default", "p")
    live["status"]["containerStatuses"] = [{"name": "c", "image": "busybox:1", "imageID": "",
                                            "ready": True, "restartCount": 0,
                                            "state": {"running": {}}}]
    api.store.update_status(live)
    reply = api.call("GET", f"{PODS}/p/log?tailLines=5")
    assert (reply.code, reply.raw) == (200, b"one\ntwo\n")
    assert calls == [("default", "p", "c", False, 5, False)]
    unknown = api.call("GET", f"{PODS}/p/log?container=zz")
    assert (unknown.code, unknown.json["message"]) == (400, "container zz is not valid for pod p")
    previous = api.call("GET", f"{PODS}/p/log?previous=true")
    assert (previous.code, previous.json["message"]) == \
        (400, 'previous terminated container "c" in pod "p" not found')
    stamped = api.call("GET", f"{PODS}/p/log?timestamps=true").raw.splitlines()
    assert stamped[0].endswith(b"Z one") and stamped[0][:4].isdigit()


def test_scale_subresource_and_dry_run(api):
    api.call("POST", DEPLOYS, deployment())
    scaled = api.call("PATCH", f"{DEPLOYS}/web/scale", {"spec": {"replicas": 4}},
                      content_type="application/merge-patch+json")
    assert scaled.json["kind"] == "Scale" and scaled.json["spec"]["replicas"] == 4
    assert api.call("GET", f"{DEPLOYS}/web").json["spec"]["replicas"] == 4
    dry = api.call("POST", f"{DEPLOYS}?dryRun=All", deployment("dry"))
    assert dry.code == 201 and dry.json["spec"]["replicas"] == 1
    assert api.call("GET", f"{DEPLOYS}/dry").code == 404


def test_discovery_and_openapi_follow_crds(api):
    core = api.call("GET", "/api/v1").json
    pods = next(r for r in core["resources"] if r["name"] == "pods")
    assert pods["shortNames"] == ["po"] and "watch" in pods["verbs"] and pods["namespaced"]
    assert any(r["name"] == "pods/log" for r in core["resources"])
    assert api.call("GET", "/version").json["minor"] == "32"
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "gadgets.example.com"},
           "spec": {"group": "example.com", "scope": "Cluster",
                    "names": {"plural": "gadgets", "kind": "Gadget", "shortNames": ["gd"]},
                    "versions": [{"name": "v1alpha1", "served": True, "storage": True}]}}
    made = api.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).json
    assert {"type": "Established", "status": "True"}.items() <= \
        next(c for c in made["status"]["conditions"] if c["type"] == "Established").items()
    groups = [g["name"] for g in api.call("GET", "/apis").json["groups"]]
    assert "example.com" in groups and "apps" in groups
    gadgets = api.call("GET", "/apis/example.com/v1alpha1").json["resources"][0]
    assert (gadgets["name"], gadgets["namespaced"], gadgets["shortNames"]) == \
        ("gadgets", False, ["gd"])
    assert "apis/example.com/v1alpha1" in api.call("GET", "/openapi/v3").json["paths"]
    doc = api.call("GET", "/openapi/v3/apis/example.com/v1alpha1?hash=bed").json
    [op] = [p["patch"] for p in doc["paths"].values()]
    assert op["x-kubernetes-group-version-kind"]["kind"] == "Gadget"
    obj = {"apiVersion": "example.com/v1alpha1", "kind": "Gadget", "metadata": {"name": "g"}}
    assert api.call("POST", "/apis/example.com/v1alpha1/gadgets", obj).code == 201
    assert api.call("GET", "/apis/example.com/v1alpha1/gadgets/g").json["kind"] == "Gadget"


def test_bootstrap_nodes_start_with_no_images(api):
    node = api.call("GET", "/api/v1/nodes/n1").json
    assert node["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] == ""
    assert node["status"]["capacity"]["cpu"] == "4"
    assert [c["type"] for c in node["status"]["conditions"]][-1] == "Ready"
    namespaces = [n["metadata"]["name"] for n in api.call("GET", "/api/v1/namespaces").json["items"]]
    assert namespaces == ["default", "kube-node-lease", "kube-public", "kube-system"]
    assert node["status"]["images"] == []  # the kubelet fills them at its first image listing
