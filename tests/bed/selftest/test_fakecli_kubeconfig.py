"""Which kubeconfig file the stand-in kind and minikube write, per each real tool's own rule:
kind@v0.32.0 pkg/cluster/internal/kubeconfig/internal/kubeconfig/paths.go (pathForMerge, paths) and
minikube@v1.38.1 pkg/minikube/kubeconfig/kubeconfig.go (PathFromEnv)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.bed.fakecli import kubeconfig


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    def use(*names: str) -> list[Path]:
        monkeypatch.setenv("KUBECONFIG", os.pathsep.join(str(tmp_path / n) if n else "" for n in names))
        return [tmp_path / n for n in names]

    return use


def test_kind_writes_the_last_entry_when_none_exists(files):
    a, b = files("new-a", "new-b")
    assert kubeconfig.kind_path(None) == b


def test_kind_writes_the_first_existing_entry(files):
    a, b, c = files("a", "b", "c")
    c.write_text("")
    b.write_text("")
    assert kubeconfig.kind_path(None) == b


def test_kind_skips_a_directory_and_empty_or_repeated_entries(files):
    d, _, b, _ = files("dir", "", "b", "dir")
    d.mkdir()
    assert kubeconfig.kind_path(None) == b  # dir is not a file; the last of [dir, b] is b
    assert kubeconfig.kind_paths(None) == [d, b]


def test_kind_with_one_entry_or_explicit_path_uses_it(files, tmp_path):
    (only,) = files("only")
    assert kubeconfig.kind_path(None) == only
    assert kubeconfig.kind_path(str(tmp_path / "x")) == tmp_path / "x"


def test_kind_without_kubeconfig_uses_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    assert kubeconfig.kind_path(None) == tmp_path / ".kube" / "config"


def test_minikube_writes_the_first_non_empty_entry_even_if_missing(files):
    _, a, b = files("", "new-a", "b")
    b.write_text("")
    assert kubeconfig.minikube_path() == a


def test_kind_delete_locks_a_missing_file_creating_its_directory_but_no_file(files, tmp_path):
    (missing,) = files("sub/config")
    kubeconfig.update(missing, lambda cfg: kubeconfig.remove(cfg, "kind-x"), backoff=(0,))
    assert missing.parent.is_dir() and not missing.exists()
    assert list(missing.parent.iterdir()) == []  # the lock is gone again
