"""Issue 22 point 2: the profile's Secrets are written so that no message can carry their data, and no
last-applied copy of them is stored.

kubectl's error for a refused client-side apply embeds the patch, whose last-applied annotation holds the
Secret's base64 data: whenever two objects of one call are refused, or a refusal is not a lone 422
(kubernetes/kubectl pkg/cmd/apply/apply.go, pkg/cmd/util/helpers.go @ v0.32.4; the bed reproduces both in
tests/bed/selftest/test_secrets.py)."""
from __future__ import annotations

import json

import pytest

from tests.integration.leaks import plant, private_tmp, sweep, watch_processes
from tests.integration.project import Project, fresh_project, step

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
BASIC_AUTH = "kubernetes.io/basic-auth"


@pytest.fixture
def project(bed_env):
    with fresh_project(bed_env, "secrets") as made:
        made.manifest("settings.yaml", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
                                        "data": {"greeting": "hi"}})
        yield made


def two_secrets(type_: str = "Opaque") -> list[dict]:
    return [{"name": "db", "type": type_, "fromEnv": {"password": "DB_PASSWORD"}},
            {"name": "api", "type": type_, "fromEnv": {"password": "API_PASSWORD"}}]


def live_secret(bed_env, project: Project, name: str) -> dict:
    got = bed_env.kubectl("get", "secret", name, "-n", project.namespace, "-o", "json", "--context", project.context)
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def test_a_changed_secret_type_converges_and_leaks_nothing(bed_env, project):
    planted = plant("DB_PASSWORD", "API_PASSWORD")
    env = {**planted.env, **private_tmp(bed_env)}
    project.profile(images=[], secrets=two_secrets())
    with watch_processes() as seen:
        first = project.run(bed_env, "up", env=env)
        assert first.code == 0, first.output
        # Both change type: the API server refuses each (the type is immutable).
        project.profile(images=[], secrets=two_secrets(BASIC_AUTH))
        second = project.run(bed_env, "up", env=env)

    assert sweep(planted, result=first, processes=seen) == []
    assert sweep(planted, result=second, bed_env=bed_env, processes=seen) == []
    assert second.code == 0, second.output
    detail = step(second.report, "secrets")["detail"]
    assert "db" in detail and "api" in detail and "recreated" in detail and BASIC_AUTH in detail
    for name in ("db", "api"):
        live = live_secret(bed_env, project, name)
        assert live["type"] == BASIC_AUTH
        assert LAST_APPLIED not in (live["metadata"].get("annotations") or {})
        assert live["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "clusterctl"


DENY = [{"name": "deny-secrets.bed.local", "operations": ["UPDATE"], "resources": ["secrets"],
         "status": {"code": 403, "reason": "Forbidden", "message": "secrets are frozen this week"}}]


def test_an_api_denial_names_the_secret_and_passes_on_only_the_apis_message(bed_env, project):
    before = plant("DB_PASSWORD", "API_PASSWORD")
    project.profile(images=[], secrets=two_secrets())
    assert project.run(bed_env, "up", env=before.env).code == 0
    (project.cluster(bed_env).dir / "webhooks.json").write_text(json.dumps(DENY))
    after = plant("DB_PASSWORD")
    env = {**before.env, **after.env, **private_tmp(bed_env)}

    with watch_processes() as seen:
        denied = project.run(bed_env, "up", env=env)
        denied_text = project.run(bed_env, "up", json=False, env=env)

    assert sweep(after, result=denied, bed_env=bed_env, processes=seen) == []
    assert sweep(after, result=denied_text) == []
    assert sweep(before, result=denied, texts={"text run": denied_text.output}) == []
    assert denied.code == 6, denied.output
    error = denied.report["error"]
    assert error["message"] == (f"the API server refused Secret {project.namespace}/db: admission webhook "
                                '"deny-secrets.bed.local" denied the request: secrets are frozen this week')
    assert "'db'" in error["hint"] and "rerun" in error["hint"]
    assert f"Secret {project.namespace}/db" in denied_text.output
    assert '"deny-secrets.bed.local" denied the request' in denied_text.output
    assert "error when applying patch" not in denied.output and LAST_APPLIED not in denied.output
    assert step(denied.report, "secrets")["status"] == "failed"


def test_a_secret_an_older_clusterctl_applied_loses_its_last_applied_copy(bed_env, project):
    planted = plant("DB_PASSWORD", "API_PASSWORD")
    project.profile(images=[], secrets=two_secrets())
    plan = project.run(bed_env, "up", "--dry-run", env=planted.env)
    assert plan.code == 0, plan.output
    assert sweep(planted, result=plan) == []
    assert f"write Secret {project.namespace}/db (Opaque; keys password;" in plan.stdout
    assert project.run(bed_env, "up", env=planted.env).code == 0
    # What clusterctl before this change did: `kubectl apply` of the same Secret, labels and all.
    old = live_secret(bed_env, project, "db")
    old["metadata"] = {k: old["metadata"][k] for k in ("name", "namespace", "labels")}
    applied = bed_env.kubectl("apply", "-f", "-", "--context", project.context, input=json.dumps(old))
    assert applied.returncode == 0, applied.stderr
    assert LAST_APPLIED in live_secret(bed_env, project, "db")["metadata"]["annotations"]

    again = project.run(bed_env, "up", env=planted.env)

    assert again.code == 0, again.output
    assert step(again.report, "secrets")["detail"] == "secret/db updated"
    now = live_secret(bed_env, project, "db")
    assert LAST_APPLIED not in (now["metadata"].get("annotations") or {})
    assert now["data"] == old["data"] and now["metadata"]["labels"] == old["metadata"]["labels"]
    assert step(project.run(bed_env, "up", env=planted.env).report, "secrets")["status"] == "skipped"
