"""The order of `up`, its dry-run plan, a cold run and a no-op second run, with exact argv."""

import json
import textwrap

import pytest

from clusterctl import plans
from clusterctl.context import Context
from clusterctl.manifests.render import HASH_ANNOTATION
from clusterctl.orchestrator import plan_steps, run_steps
from tests.fakes import KIND_KUBECONFIG, FakeAPI, FakeRunner, Silent, make_profile

DEPLOY = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: bff}
    spec:
      replicas: 1
      selector: {matchLabels: {app: bff}}
      template:
        metadata: {labels: {app: bff}}
        spec:
          containers: [{name: bff, image: "ghcr.io/o/bff:0.1"}]
    """)

# docker/cli without the buildx plugin: `docker build` is the legacy builder, which has no --load.
NO_BUILDX = "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n"




def bff_context(tmp_path, monkeypatch, api) -> tuple[Context, FakeRunner, FakeAPI]:
    """A kind profile `dev` deploying DEPLOY into namespace shop, over a fake runner and `api`."""
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "clusterctl-home"))
    manifest = tmp_path / "bff.yaml"
    manifest.write_text(DEPLOY)
    profile = make_profile(tmp_path, manifests=[manifest])
    profile.cluster.kubeconfig.write_text(KIND_KUBECONFIG)  # as kind writes it on create
    runner = FakeRunner()
    return Context(profile, runner, Silent(), lambda kubeconfig, context: api), runner, api


@pytest.fixture
def setup(tmp_path, monkeypatch):
    return bff_context(tmp_path, monkeypatch, FakeAPI())


def kubectl(ctx, *args):
    return ("kubectl", "--kubeconfig", str(ctx.kubeconfig), "--context", "kind-dev", *args)


def ready_world(ctx, api, rendered_hash, stamped=True):
    from clusterctl import identity
    from clusterctl.kubeconfig import endpoint

    if stamped:
        stamp = identity.new_stamp("dev", "kind-dev", endpoint(ctx.kubeconfig, "kind-dev"))
        identity.remember(ctx.kubeconfig, stamp)
        api.objects["/api/v1/namespaces/kube-public/configmaps/clusterctl-identity"] = {"data": {"id": stamp.id}}
    ref = ctx.ref(ctx.profile.images[0])
    api.objects["/api/v1/namespaces/shop"] = {"metadata": {"name": "shop"}, "status": {"phase": "Active"}}
    from clusterctl.manifests.bundle import render_batches

    # The live copy of the render, as the server keeps it: defaults and status added.
    deployment = json.loads(json.dumps(render_batches(ctx)[0].objects[0].obj))
    deployment["metadata"].update(generation=1, annotations={HASH_ANNOTATION: rendered_hash})
    deployment["spec"]["strategy"] = {"type": "RollingUpdate"}
    deployment["status"] = {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1,
                            "readyReplicas": 1, "availableReplicas": 1}
    api.objects["/apis/apps/v1/namespaces/shop/deployments"] = {"metadata": {"resourceVersion": "7"},
                                                               "items": [deployment]}
    api.objects["/api/v1/namespaces/shop/pods"] = {"metadata": {"resourceVersion": "7"}, "items": []}
    api.objects["/apis/apps/v1"] = {"resources": [{"name": "deployments", "kind": "Deployment", "namespaced": True},
                                                  {"name": "deployments/status", "kind": "Deployment"}]}
    return ref, deployment


def flatten(steps: list) -> list:
    from clusterctl.orchestrator import Alongside

    return [s for item in steps for s in (
        [x for branch in item.branches for x in branch] if isinstance(item, Alongside) else [item])]


def test_up_runs_the_steps_in_this_order():
    from clusterctl.orchestrator import Alongside

    steps = plans.up()
    assert [s.name for s in flatten(steps)] == [
        "lint", "preflight", "cluster", "identity", "namespace", "secrets", "build", "ship", "apply", "wait",
        "prune"]
    [together] = [s for s in steps if isinstance(s, Alongside)]
    assert [[s.name for s in b] for b in together.branches] == [["cluster", "identity", "namespace", "secrets"],
                                                                ["build"]]


def test_dry_run_lists_the_exact_commands_without_running_any(setup):
    ctx, runner, _ = setup
    plan = dict(plan_steps(ctx, plans.up()))
    ref = ctx.ref(ctx.profile.images[0])
    image = ctx.profile.images[0]
    assert plan["Ensure kind cluster 'dev' (alongside: build 1 image)"] == [
        f"kind create cluster --name dev --kubeconfig {ctx.kubeconfig} --config - <stdin>"]
    assert plan["Build 1 image (alongside: ensure kind cluster 'dev')"] == [
        "docker buildx version",
        f"docker build --force-rm -t {ref} -f {image.dockerfile} --label dev.clusterctl.inputs={ctx.tags['bff']} {image.context}"]
    assert plan["Load images to the kind nodes"] == [f"kind load docker-image --name dev {ref}"]
    assert plan["Apply 1 manifest source"][0].startswith(
        f"kubectl --kubeconfig {ctx.kubeconfig} --context kind-dev apply -f - <stdin>")
    runner.assert_done()
    assert runner.calls == []


def test_cold_up_creates_builds_loads_applies_and_waits(setup):
    ctx, runner, api = setup
    ref = ctx.ref(ctx.profile.images[0])
    image = ctx.profile.images[0]
    (runner
     .expect("kind", "version", stdout="kind v0.32.0 go1.26.3 linux/amd64\n")
     .expect("kubectl", "version", "--client", "-o", "json", stdout='{"clientVersion": {"gitVersion": "v1.32.4"}}')
     .expect("docker", "version", "--format", "{{.Server.Version}}", stdout="28.2.2\n")
     .alongside(
         lambda r: (r.expect("kind", "get", "clusters", stderr="No kind clusters found.\n")
                    .expect("kind", "create", "cluster", "--name", "dev", "--kubeconfig", str(ctx.kubeconfig),
                            "--config", "-")
                    .expect(*kubectl(ctx, "apply", "-f", "-"), stdout="configmap/clusterctl-identity created\n")
                    .expect(*kubectl(ctx, "apply", "-f", "-"), stdout="namespace/shop created\n")),
         lambda r: (r.expect("docker", "image", "inspect", "--format", "{{json .RepoTags}}", ref, returncode=1)
                    .expect("docker", "buildx", "version", returncode=1, stderr=NO_BUILDX)
                    .expect("docker", "build", "--force-rm", "-t", ref, "-f", str(image.dockerfile), "--label",
                            f"dev.clusterctl.inputs={ctx.tags['bff']}", str(image.context))))
     .expect("kind", "load", "docker-image", "--name", "dev", ref)
     .expect(*kubectl(ctx, "apply", "-f", "-"), stdout="deployment.apps/bff created\n"))
    ready_world(ctx, api, "an older render", stamped=False)
    del api.objects["/api/v1/namespaces/shop"]

    report = run_steps(ctx, "up", plans.up())

    runner.assert_done()
    applied = json.loads(runner.calls[-1].stdin.split("\n---\n")[0])
    assert applied["spec"]["template"]["spec"]["containers"][0]["image"] == ref
    assert applied["metadata"]["namespace"] == "shop"
    assert {s.name: s.status for s in report.steps} == {
        "preflight": "done", "lint": "done", "cluster": "done", "identity": "skipped", "namespace": "done",
        "secrets": "skipped", "build": "done", "ship": "done", "apply": "done", "prune": "skipped", "wait": "done"}
    [stamp] = [json.loads(c.stdin) for c in runner.calls if c.stdin and "clusterctl-identity" in c.stdin]
    assert stamp["metadata"] == {"name": "clusterctl-identity", "namespace": "kube-public",
                                 "labels": {"app.kubernetes.io/managed-by": "clusterctl"}}
    assert report.changed


def test_second_up_with_nothing_changed_builds_ships_and_applies_nothing(setup):
    ctx, runner, api = setup
    from clusterctl.manifests.bundle import render_batches

    rendered = render_batches(ctx)[0].objects[0].obj
    ref, _ = ready_world(ctx, api, rendered["metadata"]["annotations"][HASH_ANNOTATION])
    (runner
     .expect("kind", "version", stdout="kind v0.32.0 go1.26.3 linux/amd64\n")
     .expect("kubectl", "version", "--client", "-o", "json", stdout='{"clientVersion": {"gitVersion": "v1.32.4"}}')
     .expect("docker", "version", "--format", "{{.Server.Version}}", stdout="28.2.2\n")
     .expect("docker", "image", "inspect", "--format", "{{json .RepoTags}}", ref, stdout=json.dumps([ref]) + "\n")
     # kind asks every node's runtime for the image ID and copies nothing
     .expect("kind", "load", "docker-image", "--name", "dev", ref,
             stderr=f'Image: "{ref}" with ID "sha256:{"a" * 64}" found to be already present on all nodes.\n'))

    report = run_steps(ctx, "up", plans.up())

    runner.assert_done()
    assert {s.name: s.status for s in report.steps} == {
        "preflight": "done", "lint": "done", "cluster": "skipped", "identity": "skipped", "namespace": "skipped", "secrets": "skipped",
        "build": "skipped", "ship": "skipped", "apply": "skipped", "prune": "skipped", "wait": "done"}
    assert not report.changed
    assert [w.status for w in ctx.workloads] == ["Ready"]
