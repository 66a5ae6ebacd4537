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

# Written out, not asked of the code under test. The content tag: the first 12 hex digits of the sha256 of
# make_profile's context (Dockerfile and app, neither executable), then the Dockerfile, no build args,
# target or platform, each fed as `label NUL length NUL bytes` (clusterctl/buildinputs.py); checked once
# by hand with hashlib.
REF = "ghcr.io/o/bff:6e95e94b651c"
# What `up` applies for DEPLOY: namespaced, labelled as the profile's, its image rewritten to REF, and the
# sha256 (first 16 hex digits) of that object's sorted-key JSON without the annotation.
RENDERED = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "bff", "namespace": "shop",
                 "labels": {"app.kubernetes.io/managed-by": "clusterctl", "clusterctl.dev/profile": "dev"},
                 "annotations": {HASH_ANNOTATION: "85f73654b85c8d6b"}},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "bff"}},
             "template": {"metadata": {"labels": {"app": "bff"}},
                          "spec": {"containers": [{"name": "bff", "image": REF}]}}}}




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
    api.objects["/api/v1/namespaces/shop"] = {"metadata": {"name": "shop"}, "status": {"phase": "Active"}}
    # The live copy of the render, as the server keeps it: defaults and status added.
    deployment = json.loads(json.dumps(RENDERED))
    deployment["metadata"].update(generation=1, annotations={HASH_ANNOTATION: rendered_hash})
    deployment["spec"]["strategy"] = {"type": "RollingUpdate"}
    deployment["status"] = {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1,
                            "readyReplicas": 1, "availableReplicas": 1}
    api.objects["/apis/apps/v1/namespaces/shop/deployments"] = {"metadata": {"resourceVersion": "7"},
                                                               "items": [deployment]}
    api.objects["/api/v1/namespaces/shop/pods"] = {"metadata": {"resourceVersion": "7"}, "items": []}
    api.objects["/apis/apps/v1"] = {"resources": [{"name": "deployments", "kind": "Deployment", "namespaced": True},
                                                  {"name": "deployments/status", "kind": "Deployment"}]}
    return deployment


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
    image = ctx.profile.images[0]
    assert plan["Ensure kind cluster 'dev' (alongside: build 1 image)"] == [
        f"kind create cluster --name dev --kubeconfig {ctx.kubeconfig} --config - <stdin>"]
    assert plan["Build 1 image (alongside: ensure kind cluster 'dev')"] == [
        "docker buildx version",
        f"docker build --force-rm -t {REF} -f {image.dockerfile} --label dev.clusterctl.inputs=6e95e94b651c {image.context}"]
    assert plan["Load images to the kind nodes"] == [f"kind load docker-image --name dev {REF}"]
    assert plan["Apply 1 manifest source"][0].startswith(
        f"kubectl --kubeconfig {ctx.kubeconfig} --context kind-dev apply -f - <stdin>")
    runner.assert_done()
    assert runner.calls == []


def test_cold_up_creates_builds_loads_applies_and_waits(setup):
    ctx, runner, api = setup
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
         lambda r: (r.expect("docker", "image", "inspect", "--format", "{{json .RepoTags}}", REF, returncode=1)
                    .expect("docker", "buildx", "version", returncode=1, stderr=NO_BUILDX)
                    .expect("docker", "build", "--force-rm", "-t", REF, "-f", str(image.dockerfile), "--label",
                            "dev.clusterctl.inputs=6e95e94b651c", str(image.context))))
     .expect("kind", "load", "docker-image", "--name", "dev", REF)
     .expect(*kubectl(ctx, "apply", "-f", "-"), stdout="deployment.apps/bff created\n"))
    ready_world(ctx, api, "an older render", stamped=False)
    del api.objects["/api/v1/namespaces/shop"]

    report = run_steps(ctx, "up", plans.up())

    runner.assert_done()
    applied = json.loads(runner.calls[-1].stdin.split("\n---\n")[0])
    assert applied["spec"]["template"]["spec"]["containers"][0]["image"] == REF
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
    ready_world(ctx, api, RENDERED["metadata"]["annotations"][HASH_ANNOTATION])
    (runner
     .expect("kind", "version", stdout="kind v0.32.0 go1.26.3 linux/amd64\n")
     .expect("kubectl", "version", "--client", "-o", "json", stdout='{"clientVersion": {"gitVersion": "v1.32.4"}}')
     .expect("docker", "version", "--format", "{{.Server.Version}}", stdout="28.2.2\n")
     .expect("docker", "image", "inspect", "--format", "{{json .RepoTags}}", REF, stdout=json.dumps([REF]) + "\n")
     # kind asks every node's runtime for the image ID and copies nothing
     .expect("kind", "load", "docker-image", "--name", "dev", REF,
             stderr=f'Image: "{REF}" with ID "sha256:{"a" * 64}" found to be already present on all nodes.\n'))

    report = run_steps(ctx, "up", plans.up())

    runner.assert_done()
    assert {s.name: s.status for s in report.steps} == {
        "preflight": "done", "lint": "done", "cluster": "skipped", "identity": "skipped", "namespace": "skipped", "secrets": "skipped",
        "build": "skipped", "ship": "skipped", "apply": "skipped", "prune": "skipped", "wait": "done"}
    assert not report.changed
    assert [w.status for w in ctx.workloads] == ["Ready"]
