"""Schema validation: which schemas are used, what happens without them, and that nothing loads at import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clusterctl.errors import BadInput
from clusterctl.lint import apiversions, lint_paths, schema

CRD_OBJECT = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: shop}\nspec: {anything: goes}\n"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  retries: 3\n"


def lint_yaml(tmp_path: Path, text: str, version: str | None):
    path = tmp_path / "objects.yaml"
    path.write_text(text)
    return lint_paths([path], version)


@pytest.fixture
def fresh_schemas():
    schema.load.cache_clear()
    yield
    schema.load.cache_clear()


def test_wrong_value_type_is_an_error_at_its_key(tmp_path):
    [error] = lint_yaml(tmp_path, CONFIGMAP, "1.32")
    assert (error.rule, error.severity, error.line) == ("K8S001", "error", 7)
    assert error.message == "ConfigMap settings: data.retries: expected string, got int 3"


def test_objects_of_other_api_groups_are_not_schema_checked(tmp_path):
    assert lint_yaml(tmp_path, CRD_OBJECT, "1.32") == []


def test_newer_kubernetes_uses_the_newest_shipped_schemas(fresh_schemas):
    loaded = schema.load((1, 99))
    newest = schema.shipped_versions(schema.schema_root())[-1]
    assert loaded.version == newest and newest >= (1, 32)
    assert schema.load(None).version == newest
    assert schema.load((1, 30)).version == (1, 30)


def test_versions_without_schemas_are_reported_once_as_info(tmp_path, fresh_schemas):
    findings = lint_yaml(tmp_path, CONFIGMAP + "---\n" + CONFIGMAP.replace("settings", "other"), "1.20")
    assert [(f.rule, f.severity, f.line) for f in findings] == [("K8S015", "info", 1)]
    assert "no schemas for Kubernetes 1.20" in findings[0].message


def test_without_the_package_schema_checks_are_skipped_with_one_info(tmp_path, fresh_schemas, monkeypatch):
    monkeypatch.setattr(schema, "schema_root", lambda: None)
    findings = lint_yaml(tmp_path, CONFIGMAP, "1.32")
    assert [(f.rule, f.message) for f in findings] == [
        ("K8S015", "manifests were not schema-checked: the kubernetes-validate package is not installed"),
    ]


def test_version_strings():
    assert apiversions.parse_version("v1.32.0") == (1, 32)
    assert apiversions.parse_version("1.31") == (1, 31)
    with pytest.raises(BadInput):
        apiversions.parse_version("latest")


def test_every_retired_api_names_a_removal_after_its_deprecation():
    assert all(row.deprecated < row.removed for row in apiversions.RETIRED)
    assert apiversions.lookup("extensions/v1beta1", "Deployment").removed == (1, 16)


def test_importing_and_dockerfile_linting_load_no_schemas(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1\n")
    code = (
        "import sys, pathlib, clusterctl.lint as lint\n"
        f"lint.lint_paths([pathlib.Path({str(tmp_path)!r})])\n"
        "print('jsonschema' in sys.modules, 'clusterctl.lint.schema' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["False", "False"]
