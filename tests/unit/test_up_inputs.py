"""`up` reads and lints every input before it runs any tool: a broken manifest or a field the cluster
may not have stops it with exit 2, and the scripted runner sees no command at all."""

import dataclasses
import textwrap

from clusterctl import plans
from clusterctl.context import Context
from clusterctl.errors import BadInput, InvalidInput
from clusterctl.orchestrator import run_steps
from clusterctl.profile.model import ManifestSource
from tests.fakes import FakeAPI, FakeRunner, Silent, make_profile

DEPLOY = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
            - name: web
              image: ghcr.io/o/bff:0.1
              lifecycle:
                preStop:
                  sleep: {seconds: 5}
    """)


def up(tmp_path, monkeypatch, manifests, driver="kind"):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    profile = make_profile(tmp_path, driver, manifests=manifests)
    runner = FakeRunner()  # any command would be an unexpected call
    report = run_steps(Context(profile, runner, Silent(), lambda k, c: FakeAPI()), "up", plans.up())
    return report, runner


def test_a_broken_manifest_names_every_file_and_key_and_runs_nothing(tmp_path, monkeypatch):
    good = tmp_path / "good.yaml"
    good.write_text(DEPLOY.split("              lifecycle")[0])
    nameless = tmp_path / "svc.yaml"
    nameless.write_text("apiVersion: v1\nkind: Service\nmetadata: {}\n")
    broken = tmp_path / "cm.yaml"
    broken.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n")
    kustomization = tmp_path / "overlay"
    kustomization.mkdir()
    (kustomization / "kustomization.yaml").write_text("resources: []\n")

    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    profile = make_profile(tmp_path, manifests=[good, nameless, broken])
    profile = dataclasses.replace(profile, manifests=profile.manifests + (ManifestSource(kustomization, "kustomize"),))
    runner = FakeRunner()
    report = run_steps(Context(profile, runner, Silent(), lambda k, c: FakeAPI()), "up", plans.up())

    assert isinstance(report.error, InvalidInput) and report.error.exit_code == 2
    where = {(p.file, p.path) for p in report.error.problems}
    assert (str(nameless), "metadata.name") in where
    assert any(file == str(broken) for file, _ in where)
    assert [(s.name, s.status) for s in report.steps] == [("lint", "failed")]
    assert runner.calls == []  # not even `kubectl kustomize`


def test_a_field_the_oldest_kind_lacks_stops_up_before_any_tool(tmp_path, monkeypatch):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(DEPLOY)

    report, runner = up(tmp_path, monkeypatch, [manifest])

    assert isinstance(report.error, BadInput) and report.error.exit_code == 2
    details = "\n".join(report.error.details)
    assert f"{manifest}:14: error: [K8S016]" in details and "lifecycle.preStop.sleep needs Kubernetes 1.30" in details
    assert "may run 1.27" in details
    assert runner.calls == []


def test_minikube_profiles_are_checked_against_minikubes_oldest_default(tmp_path, monkeypatch):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(DEPLOY)

    report, runner = up(tmp_path, monkeypatch, [manifest], driver="minikube")

    assert "may run 1.26" in "\n".join(report.error.details)
    assert runner.calls == []
