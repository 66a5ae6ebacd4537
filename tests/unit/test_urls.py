"""`clusterctl urls`: a kind node port is reachable only through extraPortMappings; minikube is asked
with `minikube service --url`, which may keep running as a tunnel."""

import io
import json
import threading
from dataclasses import replace

import yaml

from clusterctl.console import Console
from clusterctl.context import Context
from clusterctl.profile.model import KindSettings, PortMapping
from clusterctl.runner import Result
from clusterctl.urls import collect, show_urls
from tests.fakes import FakeAPI, FakeRunner, make_profile, stamp_as_created

SERVICES = "/api/v1/namespaces/shop/services"


def service(name, kind="NodePort", ports=((80, 30080),), status=None):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"type": kind, "selector": {"app": name},
                     "ports": [{"port": p, "protocol": "TCP", **({"nodePort": n} if n else {})} for p, n in ports]},
            **({"status": status} if status else {})}


def world(tmp_path, driver="kind", mappings=(), declared=(), live=None, runner=None):
    manifest = tmp_path / "services.yaml"
    manifest.write_text("---\n".join(yaml.safe_dump(s) for s in declared))
    profile = make_profile(tmp_path, driver=driver, manifests=[str(manifest)])
    profile = replace(profile, cluster=replace(profile.cluster, kind=KindSettings(extra_port_mappings=tuple(mappings))))
    api = FakeAPI()
    for s in live if live is not None else declared:
        api.objects[f"{SERVICES}/{s['metadata']['name']}"] = s
    out = io.StringIO()
    ctx = Context(profile, runner or FakeRunner(), Console(out=out, err=io.StringIO()), lambda k, c: api)
    return ctx, out


def test_kind_node_port_mapped_by_the_profile_is_a_localhost_url(tmp_path):
    ctx, _ = world(tmp_path, mappings=[PortMapping(30080, 8080)], declared=[service("web")])
    [point], notes = collect(ctx)
    assert (point.service, point.port, point.node_port, point.url) == ("web", 80, 30080, "http://127.0.0.1:8080")
    assert notes == []


def test_kind_mapping_on_all_addresses_is_reached_on_localhost_and_a_named_address_as_is(tmp_path):
    ctx, _ = world(tmp_path, mappings=[PortMapping(30080, 8080, "0.0.0.0"), PortMapping(30443, 8443, "127.0.0.2")],
                   declared=[service("web", ports=((80, 30080), (443, 30443)))])
    points, _ = collect(ctx)
    assert [p.url for p in points] == ["http://127.0.0.1:8080", "https://127.0.0.2:8443"]


def test_kind_unmapped_node_port_says_which_profile_key_maps_it(tmp_path):
    ctx, _ = world(tmp_path, mappings=[PortMapping(30999, 9999)], declared=[service("web")])
    [point], _ = collect(ctx)
    assert point.url is None
    assert point.note == ("nodePort 30080 is not mapped to this machine: add {containerPort: 30080, hostPort: 30080} "
                          "to cluster.kind.extraPortMappings, then recreate the cluster (kind maps ports only at creation)")


def test_kind_config_file_mappings_are_read_from_the_file(tmp_path):
    config = tmp_path / "kind.yaml"
    config.write_text("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n"
                      "  extraPortMappings:\n  - {containerPort: 30080, hostPort: 18080}\n")
    ctx, _ = world(tmp_path, declared=[service("web"), service("api", ports=((81, 30081),))])
    ctx.profile = replace(ctx.profile, cluster=replace(ctx.profile.cluster, kind=KindSettings(config=config)))
    web, api = collect(ctx)[0]
    assert web.url == "http://127.0.0.1:18080"
    assert f"to nodes[0].extraPortMappings in {config}" in api.note


def test_load_balancer_with_an_address_uses_it(tmp_path):
    lb = service("web", kind="LoadBalancer", status={"loadBalancer": {"ingress": [{"ip": "172.18.0.5"}]}})
    ctx, _ = world(tmp_path, declared=[lb])
    [point], _ = collect(ctx)
    assert point.url == "http://172.18.0.5:80"


def test_cluster_ip_and_unapplied_services_are_named_in_notes(tmp_path):
    ctx, _ = world(tmp_path, declared=[service("db", kind="ClusterIP", ports=((5432, None),)), service("web")],
                   live=[service("db", kind="ClusterIP", ports=((5432, None),))])
    points, notes = collect(ctx)
    assert points == []
    assert notes == ["service shop/web is not in the cluster: run `clusterctl up dev`",
                     "not exposed (ClusterIP): shop/db; set `spec.type: NodePort` to reach one from this machine, "
                     "or use `kubectl port-forward`"]


def test_minikube_is_asked_with_the_exact_service_command(tmp_path):
    runner = FakeRunner().expect("minikube", "service", "web", "--url", "-n", "shop", "-p", "dev",
                                 stdout="http://192.168.49.2:30080\nhttp://192.168.49.2:30443\n")
    ctx, _ = world(tmp_path, driver="minikube", declared=[service("web", ports=((80, 30080), (443, 30443)))],
                   runner=runner)
    points, _ = collect(ctx)
    runner.assert_done()
    assert runner.calls[0].env == {"KUBECONFIG": str(ctx.kubeconfig)}
    assert [p.url for p in points] == ["http://192.168.49.2:30080", "http://192.168.49.2:30443"]


def test_minikube_refusal_is_shown_with_its_message(tmp_path):
    runner = FakeRunner().expect("minikube", "service", "web", "--url", "-n", "shop", "-p", "dev", returncode=115,
                                 stderr="❌  Exiting due to SVC_UNREACHABLE: service not available: no running pod for service web found\n")
    ctx, _ = world(tmp_path, driver="minikube", declared=[service("web")], runner=runner)
    [point], _ = collect(ctx)
    assert point.url is None
    assert point.note == "minikube: ❌  Exiting due to SVC_UNREACHABLE: service not available: no running pod for service web found"


class TunnelRunner:
    """`minikube service --url` as on macOS: prints the URL, then runs until stopped."""

    def __init__(self):
        self.stopped = threading.Event()

    def run(self, cmd, on_output=None):
        on_output("http://127.0.0.1:55123")
        self.stopped.wait(10)
        return Result(cmd.argv, -15, "http://127.0.0.1:55123\n", "", 1.0)

    def terminate_all(self):
        self.stopped.set()


def test_minikube_tunnel_gives_its_first_url_and_is_stopped(tmp_path):
    runner = TunnelRunner()
    ctx, _ = world(tmp_path, driver="minikube", declared=[service("web")], runner=runner)
    [point], _ = collect(ctx)
    assert runner.stopped.is_set()
    assert point.url == "http://127.0.0.1:55123"
    assert "works only while `minikube service web -n shop -p dev` runs" in point.note


def test_text_and_json_output(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    runner = FakeRunner().kind_cluster()
    ctx, out = world(tmp_path, mappings=[PortMapping(30080, 8080)], runner=runner,
                     declared=[service("web"), service("api", ports=((81, 30081),))])
    stamp_as_created(ctx, ctx.api)
    assert show_urls(ctx, as_json=False) == 0
    assert out.getvalue().splitlines()[:3] == [
        "NAMESPACE  SERVICE  TYPE      PORT      URL",
        "shop       web      NodePort  80:30080  http://127.0.0.1:8080",
        "shop       api      NodePort  81:30081  -"]
    assert out.getvalue().splitlines()[3].startswith("note: api port 81: nodePort 30081 is not mapped")
    runner.kind_cluster()
    out.truncate(0), out.seek(0)
    show_urls(ctx, as_json=True)
    doc = json.loads(out.getvalue())
    assert doc["ok"] is False and doc["services"][0] == {
        "namespace": "shop", "service": "web", "type": "NodePort", "port": 80, "protocol": "TCP", "nodePort": 30080,
        "url": "http://127.0.0.1:8080", "note": ""}
