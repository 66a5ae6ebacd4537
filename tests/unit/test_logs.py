"""`clusterctl logs`: which workloads, pods and containers an image name or kind/name selects, and the
exact kubectl commands that read them."""

import io

import pytest
import yaml

from clusterctl.console import Console
from clusterctl.context import Context
from clusterctl.errors import BadInput, ClusterctlError
from clusterctl.logs import LogOptions, select, show_logs, targets
from clusterctl.runner import Result
from clusterctl.waiter import Workload
from tests.fakes import FakeAPI, FakeRunner, make_profile, stamp_as_created


def deployment(name, image, sidecar=None):
    containers = [{"name": name, "image": image}] + ([{"name": "proxy", "image": sidecar}] if sidecar else [])
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}}}


def pod(name, app, containers, created="2026-01-01T00:00:00Z"):
    return {"metadata": {"name": name, "labels": {"app": app}, "creationTimestamp": created},
            "spec": {"containers": [{"name": c, "image": i} for c, i in containers]}}


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    manifest = tmp_path / "app.yaml"
    manifest.write_text("---\n".join(yaml.safe_dump(d) for d in [
        deployment("bff", "ghcr.io/o/bff:dev", sidecar="envoy:1.30"),
        deployment("bff-worker", "ghcr.io/o/bff:dev"),
        deployment("web", "nginx:1.27")]))
    profile = make_profile(tmp_path, manifests=[str(manifest)])
    api = FakeAPI()
    for name in ("bff", "bff-worker", "web"):
        api.objects[f"/apis/apps/v1/namespaces/shop/deployments/{name}"] = {"kind": "Deployment", **deployment(name, "x")}
    api.objects["/api/v1/namespaces/shop/pods"] = {"items": [
        pod("bff-2", "bff", [("bff", "ghcr.io/o/bff:abc"), ("proxy", "envoy:1.30")], "2026-01-01T00:00:05Z"),
        pod("bff-1", "bff", [("bff", "ghcr.io/o/bff:abc"), ("proxy", "envoy:1.30")]),
        pod("bff-worker-1", "bff-worker", [("bff-worker", "ghcr.io/o/bff:abc")]),
        pod("web-1", "web", [("web", "nginx:1.27")])]}
    runner = FakeRunner()
    out = io.StringIO()
    ctx = Context(profile, runner, Console(out=out, err=io.StringIO()), lambda k, c: api)
    stamp_as_created(ctx, api)
    return ctx, runner, api, out


def logs_argv(ctx, pod, container, *extra):
    return ("kubectl", "--kubeconfig", str(ctx.kubeconfig), "--context", "kind-dev", "logs", "-n", "shop", pod,
            "-c", container, *extra)


def test_an_image_name_selects_every_workload_running_it_and_only_its_containers(world):
    ctx, _, _, _ = world
    selection = select(ctx, "bff")
    assert selection.workloads == [Workload("Deployment", "shop", "bff"), Workload("Deployment", "shop", "bff-worker")]
    assert [(t.pod, t.container) for t in targets(ctx, selection)] == [
        ("bff-1", "bff"), ("bff-2", "bff"), ("bff-worker-1", "bff-worker")]


def test_kind_name_selects_that_workload_with_all_its_containers(world):
    ctx, _, _, _ = world
    selection = select(ctx, "deploy/bff")
    assert selection.workloads == [Workload("Deployment", "shop", "bff")]
    assert [(t.pod, t.container) for t in targets(ctx, selection)] == [
        ("bff-1", "bff"), ("bff-1", "proxy"), ("bff-2", "bff"), ("bff-2", "proxy")]


def test_unknown_names_are_bad_input_naming_the_choices(world):
    ctx, _, _, _ = world
    with pytest.raises(BadInput, match="has no image 'nope'") as exc:
        select(ctx, "nope")
    assert "its images: bff" in exc.value.hint
    with pytest.raises(BadInput, match="does not name a workload"):
        select(ctx, "service/web")


def test_a_workload_missing_from_the_cluster_says_to_run_up(world):
    ctx, _, api, _ = world
    del api.objects["/apis/apps/v1/namespaces/shop/deployments/web"]
    with pytest.raises(ClusterctlError, match="not in the cluster: deployment/web") as exc:
        targets(ctx, select(ctx, "deployment/web"))
    assert exc.value.hint == "run `clusterctl up dev`"


def test_one_container_prints_its_lines_as_they_are(world):
    ctx, runner, _, out = world
    runner.expect(*logs_argv(ctx, "web-1", "web", "--tail", "2"), stdout="GET / 200\nGET /x 404\n")
    assert show_logs(ctx, "deployment/web", LogOptions(tail=2)) == 0
    runner.assert_done()
    assert out.getvalue() == "GET / 200\nGET /x 404\n"


def test_several_containers_are_prefixed_by_pod_and_container(world):
    ctx, runner, _, out = world
    runner.expect(*logs_argv(ctx, "bff-1", "bff", "--previous"), stdout="panic: boom\n")
    runner.expect(*logs_argv(ctx, "bff-2", "bff", "--previous"), returncode=1,
                  stderr='Error from server (BadRequest): previous terminated container "bff" in pod "bff-2" not found\n')
    runner.expect(*logs_argv(ctx, "bff-worker-1", "bff-worker", "--previous"), stdout="worker up\n")
    with pytest.raises(ClusterctlError, match="could not read the logs of 1 of 3 container") as exc:
        show_logs(ctx, "bff", LogOptions(previous=True))
    runner.assert_done()
    assert out.getvalue().splitlines() == ["[bff-1/bff] panic: boom", "[bff-worker-1/bff-worker] worker up"]
    assert exc.value.details == ['bff-2/bff: Error from server (BadRequest): previous terminated container "bff" '
                                 'in pod "bff-2" not found']


class StreamingRunner:
    """kubectl logs --follow: each container's lines arrive as they are written, from several processes."""

    def __init__(self, lines_by_pod):
        self.lines_by_pod = lines_by_pod
        self.argv = []

    def run(self, cmd, on_output=None):
        self.argv.append(cmd.argv)
        pod = cmd.argv[cmd.argv.index("-n") + 2]
        for line in self.lines_by_pod[pod]:
            on_output(line)
        return Result(cmd.argv, 0, "", "", 0.1)


def test_follow_streams_every_container_at_once_with_prefixes(world):
    ctx, _, _, out = world
    ctx.runner = StreamingRunner({"bff-1": ["a1", "a2"], "bff-2": ["b1"], "bff-worker-1": ["c1"]})
    assert show_logs(ctx, "bff", LogOptions(follow=True, tail=10)) == 0
    assert sorted(ctx.runner.argv) == [logs_argv(ctx, "bff-1", "bff", "--tail", "10", "--follow"),
                                       logs_argv(ctx, "bff-2", "bff", "--tail", "10", "--follow"),
                                       logs_argv(ctx, "bff-worker-1", "bff-worker", "--tail", "10", "--follow")]
    lines = out.getvalue().splitlines()
    assert sorted(lines) == ["[bff-1/bff] a1", "[bff-1/bff] a2", "[bff-2/bff] b1", "[bff-worker-1/bff-worker] c1"]
    assert lines.index("[bff-1/bff] a1") < lines.index("[bff-1/bff] a2")
