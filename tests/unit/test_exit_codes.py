"""Exit 11 (wrong cluster) and 12 (busy) through every verb that verifies the cluster or takes its lock,
from the real command line entry (errorhandler.main) down to a fake runner and API (README: Exit codes)."""
from __future__ import annotations

import json

import pytest

from clusterctl import identity
from clusterctl.errorhandler import main
from clusterctl.kubeconfig import endpoint
from clusterctl.lock import cluster_lock
from tests.fakes import KIND_KUBECONFIG, FakeAPI, FakeRunner

PROFILE = """\
apiVersion: clusterctl.dev/v1alpha1
kind: Profile
cluster: {name: dev, driver: kind}
namespace: shop
images: [{name: bff, context: bff}]
manifests: [bff.yaml]
"""
DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: bff}
spec:
  selector: {matchLabels: {app: bff}}
  template:
    metadata: {labels: {app: bff}}
    spec: {containers: [{name: bff, image: bff}]}
"""
ELSEWHERE = "https://127.0.0.1:49999"


@pytest.fixture
def world(tmp_path, monkeypatch):
    """Profile dev (kind), its cluster made by clusterctl: the kubeconfig entry, the record, the stamp."""
    (tmp_path / "bff").mkdir()
    (tmp_path / "bff" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "bff.yaml").write_text(DEPLOY)
    (tmp_path / "dev.yaml").write_text(PROFILE)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(KIND_KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    stamp = identity.new_stamp("dev", "kind-dev", endpoint(kubeconfig, "kind-dev"))
    identity.remember(kubeconfig, stamp)
    api = FakeAPI()
    api.objects[f"/api/v1/namespaces/{identity.NAMESPACE}/configmaps/{identity.CONFIGMAP}"] = identity.configmap(stamp)
    runner = FakeRunner()
    monkeypatch.setattr("clusterctl.runner.LocalRunner", lambda **_: runner)
    monkeypatch.setattr("clusterctl.kube.api.KubeAPI", lambda kubeconfig, context: api)
    return tmp_path, kubeconfig, runner, api


PROFILE_ARG = "{tmp}/dev.yaml"
# The image as already built: the content tag (sha256 of the context's Dockerfile, its mode and the
# Dockerfile again, buildinputs.content_tag) worked out by hand with hashlib.
REF = "bff:679aaf2b1e2d"
KIND = ("kind", "version")
KUBECTL = ("kubectl", "version", "--client", "-o", "json")
DOCKER = ("docker", "version", "--format", "{{.Server.Version}}")
VERSIONS = {KIND: "kind v0.32.0 go1.26.3 linux/amd64\n", KUBECTL: '{"clientVersion": {"gitVersion": "v1.32.4"}}',
            DOCKER: "28.2.2\n"}


def preflight(*tools):
    return lambda r: [r.expect(*tool, stdout=VERSIONS[tool]) for tool in tools]


def built(r):
    r.expect("docker", "image", "inspect", "--format", "{{json .RepoTags}}", REF, stdout=f'["{REF}"]\n')


def alongside_the_build(r):
    r.alongside(lambda b: b.kind_cluster(), built)


# verb -> (its argv, the read-only lookups it makes before it would ask the cluster anything)
GUARDED = {
    "up": (["up", PROFILE_ARG], [preflight(KIND, KUBECTL, DOCKER), alongside_the_build]),
    "redeploy": (["redeploy", "bff", "-p", PROFILE_ARG], [preflight(KIND, KUBECTL, DOCKER), alongside_the_build]),
    "down": (["down", PROFILE_ARG], [preflight(KIND, KUBECTL), FakeRunner.kind_cluster]),
    "down --keep-cluster": (["down", PROFILE_ARG, "--keep-cluster"], [preflight(KIND, KUBECTL), FakeRunner.kind_cluster]),
    "status": (["status", PROFILE_ARG], [FakeRunner.kind_cluster]),
    "status --watch": (["status", PROFILE_ARG, "--watch"], [FakeRunner.kind_cluster]),
    "logs": (["logs", "bff", "-p", PROFILE_ARG], []),
    "urls": (["urls", PROFILE_ARG], [FakeRunner.kind_cluster]),
}
LOCKED = ["up", "redeploy", "down", "down --keep-cluster"]  # the verbs that change the cluster take its lock


def argv(verb: str, tmp) -> list[str]:
    return [a.replace("{tmp}", str(tmp)) for a in GUARDED[verb][0]]


@pytest.mark.parametrize("verb", GUARDED)
def test_a_context_pointing_at_another_cluster_exits_11_having_asked_it_nothing(world, verb, capsys):
    tmp, kubeconfig, runner, api = world
    kubeconfig.write_text(KIND_KUBECONFIG.replace("https://127.0.0.1:40123", ELSEWHERE).replace("Q0EK", "T1RIRVIK"))
    for lookups in GUARDED[verb][1]:
        lookups(runner)

    code = main(argv(verb, tmp))

    err = capsys.readouterr().err
    assert code == 11, err
    assert (f"error: context 'kind-dev' now points at {ELSEWHERE} (CA 3a7b1754c0d4), not at the cluster "
            "clusterctl created (https://127.0.0.1:40123, CA 7599e4a47f75); nothing was sent to it") in err
    # The way past it: --force for deleting the cluster, --adopt for the rest.
    assert "hint: " in err and ("`clusterctl down --force" if verb == "down" else "again with --adopt") in err
    runner.assert_done()  # the lookups above and nothing else: no kubectl, kind load, build or delete
    assert api.requests == [] and api.writes == []


@pytest.mark.parametrize("verb", LOCKED)
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_run_holding_the_clusters_lock_makes_no_wait_exit_12_having_started_nothing(world, verb, output, capsys):
    tmp, kubeconfig, runner, api = world

    with cluster_lock(kubeconfig, "kind-dev", "up", True, lambda note: None):  # another run's, in effect
        code = main([*argv(verb, tmp), "--no-wait", "--output", output])

    out, err = capsys.readouterr()
    assert code == 12, out + err
    assert runner.calls == [] and api.requests == [] and api.writes == []
    message = "is running on context 'kind-dev'"
    if output == "json":
        error = json.loads(out)["error"]
        assert (error["exitCode"], error["kind"]) == (12, "busy") and message in error["message"]
    else:
        assert "error: `clusterctl up` (pid " in err and message in err
        assert "hint: wait for it, or drop --no-wait to queue" in err
