"""Real /usr/bin/kubectl (default validation) and the Python client against the control plane."""
from __future__ import annotations

import base64
import json
import re
import ssl
import time
import urllib.error
import urllib.request

import pytest
from kubernetes import client, config, watch

pytestmark = pytest.mark.integration

APP = """
apiVersion: v1
kind: Namespace
metadata: {name: NS}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: NS}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: IMAGE
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: NS}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: NS}
data: {GREETING: hello}
"""

CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""


def app(ns: str, image: str = "bed-selftest/web:1") -> str:
    return APP.replace("NS", ns).replace("IMAGE", image)


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_client_side_apply_lifecycle(bed):
    assert ok(bed.kubectl("apply", "-f", "-", stdin=app("csa"))).splitlines() == [
        "namespace/csa created", "deployment.apps/web created", "service/web created",
        "configmap/cfg created"]
    again = ok(bed.kubectl("apply", "-f", "-", stdin=app("csa")))
    assert "deployment.apps/web unchanged" in again and "configmap/cfg unchanged" in again
    changed = ok(bed.kubectl("apply", "-f", "-", stdin=app("csa", "bed-selftest/web:2")))
    assert "deployment.apps/web configured" in changed and "service/web unchanged" in changed
    deploy = json.loads(ok(bed.kubectl("get", "deploy", "web", "-n", "csa", "-o", "json")))
    assert deploy["metadata"]["generation"] == 2
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "bed-selftest/web:2"
    assert deploy["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == "25%"


def test_server_side_apply_upserts(bed):
    out = ok(bed.kubectl("apply", "--server-side", "-f", "-", stdin=app("ssa")))
    assert "deployment.apps/web serverside-applied" in out
    ok(bed.kubectl("apply", "--server-side", "-f", "-", stdin=app("ssa", "bed-selftest/web:3")))
    image = ok(bed.kubectl("get", "deploy", "web", "-n", "ssa", "-o",
                           "jsonpath={.spec.template.spec.containers[0].image}"))
    assert image == "bed-selftest/web:3"
    patches = [line for line in bed.requests() if "/namespaces/ssa/deployments/web?" in line
               and " PATCH " in line]
    assert [line.split()[-1] for line in patches] == ["201", "200"]


def test_get_tables_and_json(bed):
    ok(bed.kubectl("apply", "-f", "-", stdin=app("tbl")))
    lines = ok(bed.kubectl("get", "deploy", "-n", "tbl")).splitlines()
    assert lines[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert lines[1].split()[:4] == ["web", "0/0", "0", "0"]
    svc = ok(bed.kubectl("get", "svc", "web", "-n", "tbl")).splitlines()
    assert svc[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert svc[1].split()[1] == "ClusterIP" and svc[1].split()[4] == "80/TCP"
    ok(bed.kubectl("run", "solo", "-n", "tbl", "--image", "bed-selftest/solo:1",
                   "--restart", "Never"))
    pods = ok(bed.kubectl("get", "pods", "-n", "tbl")).splitlines()
    assert pods[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    listed = json.loads(ok(bed.kubectl("get", "pods", "-n", "tbl", "-o", "json")))
    [pod] = listed["items"]
    assert pod["kind"] == "Pod" and pod["spec"]["serviceAccountName"] == "default"
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_create_generators_post_protobuf(bed):
    ok(bed.kubectl("create", "namespace", "gen"))
    ok(bed.kubectl("create", "secret", "docker-registry", "reg", "-n", "gen",
                   "--docker-server=127.0.0.1:5000", "--docker-username=u",
                   "--docker-password=pw"))
    ok(bed.kubectl("create", "deployment", "d", "-n", "gen", "--image=bed-selftest/d:1",
                   "--replicas=0", "--port=80"))
    secret = json.loads(ok(bed.kubectl("get", "secret", "reg", "-n", "gen", "-o", "json")))
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    assert json.loads(base64.b64decode(secret["data"][".dockerconfigjson"]))["auths"][
        "127.0.0.1:5000"]["username"] == "u"
    deploy = json.loads(ok(bed.kubectl("get", "deploy", "d", "-n", "gen", "-o", "json")))
    assert deploy["spec"]["replicas"] == 0
    assert deploy["spec"]["selector"] == {"matchLabels": {"app": "d"}}
    assert deploy["spec"]["template"]["spec"]["containers"][0]["ports"] == [
        {"containerPort": 80, "protocol": "TCP"}]


def test_rollout_restart_bumps_generation(bed):
    ok(bed.kubectl("apply", "-f", "-", stdin=app("rr")))
    out = ok(bed.kubectl("rollout", "restart", "deployment/web", "-n", "rr"))
    assert out.strip() == "deployment.apps/web restarted"
    deploy = json.loads(ok(bed.kubectl("get", "deploy", "web", "-n", "rr", "-o", "json")))
    assert deploy["metadata"]["generation"] == 2
    assert "kubectl.kubernetes.io/restartedAt" in \
        deploy["spec"]["template"]["metadata"]["annotations"]


def test_delete_namespace_and_contents(bed):
    ok(bed.kubectl("apply", "-f", "-", stdin=app("gone")))
    out = ok(bed.kubectl("delete", "-f", "-", stdin=app("gone"), timeout=40))
    assert out.splitlines()[0] == 'namespace "gone" deleted'
    assert 'configmap "cfg" deleted' in out
    missing = bed.kubectl("get", "ns", "gone")
    assert missing.returncode == 1
    assert 'namespaces "gone" not found' in missing.stderr


def test_crd_then_custom_object(bed):
    ok(bed.kubectl("apply", "-f", "-", stdin=CRD))
    ok(bed.kubectl("wait", "--for=condition=Established", "crd/widgets.example.com",
                   "--timeout=10s"))
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\n"
    assert ok(bed.kubectl("apply", "-f", "-", stdin=widget + "spec: {size: 1}\n")).strip() == \
        "widget.example.com/w1 created"
    assert "configured" in ok(bed.kubectl("apply", "-f", "-", stdin=widget + "spec: {size: 2}\n"))
    assert ok(bed.kubectl("get", "wd", "w1", "-o", "jsonpath={.spec.size}")) == "2"
    assert "w1" in ok(bed.kubectl("get", "widgets"))


def test_invalid_object_is_rejected_with_the_real_message(bed):
    bad = app("inv").replace("name: web, namespace", "name: Bad_Web, namespace", 1)
    bad = bad.replace("template:\n    metadata: {labels: {app: web}}",
                      "template:\n    metadata: {labels: {app: other}}")
    result = bed.kubectl("apply", "-f", "-", stdin=bad)
    assert result.returncode == 1
    assert 'The Deployment "Bad_Web" is invalid' in result.stderr
    assert 'metadata.name: Invalid value: "Bad_Web": a lowercase RFC 1123 subdomain must ' \
        'consist of' in result.stderr
    assert 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ' \
        '`selector` does not match template `labels`' in result.stderr
    assert "service/web created" in result.stdout


def test_python_client_list_and_watch(bed):
    config.load_kube_config(str(bed.kubeconfig))
    v1 = client.CoreV1Api()
    ok(bed.kubectl("apply", "-f", "-", stdin="apiVersion: v1\nkind: Namespace\nmetadata: {name: py}\n"))
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1"},
           "spec": {"containers": [{"name": "c", "image": "bed-selftest/p:1"}]}}
    v1.create_namespaced_pod("py", pod)
    assert [p.metadata.name for p in v1.list_namespaced_pod("py").items] == ["p1"]

    # The delete is sent once the watch has shown the pod, and the watch is left once it has shown the
    # deletion: no sleep guesses when the watch is open, and a slow kubelet is waited for.
    seen = []
    pods = watch.Watch()
    for event in pods.stream(v1.list_namespaced_pod, "py", timeout_seconds=120):
        seen.append((event["type"], event["object"].metadata.name))
        if seen[-1] == ("ADDED", "p1"):
            v1.delete_namespaced_pod("p1", "py")
        elif seen[-1] == ("DELETED", "p1"):
            pods.stop()
    assert seen[:1] == [("ADDED", "p1")] and seen[-1] == ("DELETED", "p1"), seen
    # An idle watch ends at its timeoutSeconds: not at once, and not never (a loose upper bound).
    started = time.monotonic()
    assert list(watch.Watch().stream(v1.list_namespaced_pod, "py", timeout_seconds=2)) == []
    assert 1.5 < time.monotonic() - started < 60
    nodes = v1.list_node().items
    assert [n.metadata.name for n in nodes] == ["selftest-control-plane"]
    assert nodes[0].status.conditions[-1].type == "Ready"


def test_requests_log_and_token_auth(bed):
    assert bed.kubectl("get", "ns", "default").returncode == 0
    lines = bed.requests()
    assert all(re.fullmatch(r"\d+\.\d+ [A-Z]+ /\S* \d{3}", line) for line in lines), lines[:5]
    assert any(line.endswith(" GET /api/v1/namespaces/default 200") for line in lines)
    if bed.tls_dir is None:
        return
    ctx = ssl.create_default_context(cafile=str(bed.tls_dir / "ca.crt"))

    def get(path: str, token: str | None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = urllib.request.Request(bed.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, context=ctx, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())
    token = (bed.tls_dir / "token").read_text().strip()
    assert get("/api/v1/namespaces", token)[0] == 200
    code, body = get("/api/v1/namespaces", None)
    assert (code, body["reason"]) == (401, "Unauthorized")
    assert get("/api/v1/namespaces", "wrong")[0] == 401
    assert get("/version", None)[1]["gitVersion"] == "v1.32.0"
