"""What `lint PATH ...` looks at: files named, and Dockerfiles and manifests found under directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterctl.errors import BadInput
from clusterctl.lint import lint_paths
from clusterctl.lint.discover import discover, is_dockerfile

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n    - name: c\n      image: busybox\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_dockerfile_names():
    assert all(map(is_dockerfile, ["Dockerfile", "Containerfile", "Dockerfile.dev", "api.Dockerfile", "x.dockerfile"]))
    assert not any(map(is_dockerfile, ["Dockerfile.dockerignore", "docker-compose.yaml", "README.md"]))


def test_directories_are_searched_recursively_skipping_vendored_and_hidden_folders(tmp_path):
    keep = [write(tmp_path / "api" / "Dockerfile", "FROM a:1\n"), write(tmp_path / "k8s" / "deep" / "pod.yml", POD)]
    write(tmp_path / "node_modules" / "pkg" / "Dockerfile", "FROM a:1\n")
    write(tmp_path / ".github" / "workflows" / "ci.yaml", "on: push\n")
    write(tmp_path / "chart" / "Chart.yaml", "apiVersion: v2\nname: x\n")
    write(tmp_path / "chart" / "templates" / "deploy.yaml", "kind: {{ .Values.kind }}\n")
    found = discover([tmp_path])
    assert found.dockerfiles == [keep[0]]
    assert [path for path, _ in found.manifests] == [keep[1]]


def test_yaml_that_is_not_a_manifest_is_skipped_unless_named(tmp_path):
    kind_config = write(tmp_path / "kind.yaml", "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: []\n")
    write(tmp_path / "values.yaml", "replicas: 2\n")
    assert lint_paths([tmp_path], "1.32") == []
    [finding] = lint_paths([kind_config], "1.32")
    assert (finding.rule, finding.severity, finding.line) == ("K8S000", "error", 1)
    assert finding.message.startswith("metadata:")


def test_broken_manifest_is_reported_with_its_line(tmp_path):
    write(tmp_path / "app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n")
    [finding] = lint_paths([tmp_path], "1.32")
    assert (finding.rule, finding.line) == ("K8S000", 5)
    assert "unclosed" in finding.message


def test_list_items_are_linted_with_their_own_lines(tmp_path):
    text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n" \
           "    metadata: {name: s, namespace: x}\n    stringData: {token: abc}\n"
    path = write(tmp_path / "list.json.yaml", text)
    assert [(f.rule, f.line) for f in lint_paths([path], "1.32")] == [("K8S013", 7)]


def test_a_path_that_does_not_exist_is_bad_input(tmp_path):
    with pytest.raises(BadInput):
        lint_paths([tmp_path / "missing"])


def test_dockerfiles_and_manifests_together_sorted_by_file_and_line(tmp_path):
    write(tmp_path / "Dockerfile", "FROM alpine:3.20\nUSER root\n")
    write(tmp_path / "pod.yaml", POD.format(name="p"))
    findings = lint_paths([tmp_path], "1.32")
    files = [Path(f.file).name for f in findings]
    assert files == sorted(files) and {"Dockerfile", "pod.yaml"} == set(files)
    assert ("DF001", 2) in [(f.rule, f.line) for f in findings]
