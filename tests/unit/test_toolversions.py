"""Preflight refuses tools too old for the flags clusterctl uses, and asks each binary only once."""

import pytest

from clusterctl.errors import MissingTool
from clusterctl.runner import Command
from clusterctl.toolversions import parse, require
from tests.fakes import FakeRunner

KIND_VERSION = Command(("kind", "version"))


class OnDisk(FakeRunner):
    """A fake runner whose tools are real files, so the version cache can key on them."""

    def __init__(self, bin_dir):
        super().__init__()
        self.bin_dir = bin_dir

    def which(self, tool):
        path = self.bin_dir / tool
        if not path.exists():
            path.write_text("#!/bin/sh\n")
        return str(path)


@pytest.mark.parametrize("text,version", [
    ("kind v0.32.0 go1.26.3 linux/amd64\n", (0, 32, 0)),
    ("v1.38.1\n", (1, 38, 1)),
    ('{"clientVersion": {"gitVersion": "v1.32.4-dispatcher"}}', (1, 32, 4)),
    ("kind v0.33.0-alpha.12+abc go1.26 linux/amd64", (0, 33, 0)),
    ("no version here", None),
])
def test_parse(text, version):
    assert parse(text) == version


def test_an_old_kind_is_refused_with_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    runner = OnDisk(tmp_path).expect("kind", "version", stdout="kind v0.17.0 go1.19 linux/amd64\n")
    with pytest.raises(MissingTool, match="kind 0.17.0 is too old; clusterctl needs 0.20.0 or newer") as err:
        require(runner, "kind", KIND_VERSION, "install kind: URL")
    assert err.value.hint == "install kind: URL"


def test_the_version_is_asked_once_per_binary(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    runner = OnDisk(tmp_path).expect("kind", "version", stdout="kind v0.32.0 go1.26.3 linux/amd64\n")
    assert require(runner, "kind", KIND_VERSION, "hint") == "0.32.0"
    assert require(runner, "kind", KIND_VERSION, "hint") == "0.32.0"  # no second command scripted
    runner.assert_done()
    (tmp_path / "kind").write_text("#!/bin/sh\n# a newer kind\n")  # replaced binary: asked again
    runner.expect("kind", "version", stdout="kind v0.33.0 go1.26.3 linux/amd64\n")
    assert require(runner, "kind", KIND_VERSION, "hint") == "0.33.0"


def test_a_tool_that_does_not_say_its_version(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    runner = OnDisk(tmp_path).expect("kind", "version", returncode=1, stderr="segfault\n")
    with pytest.raises(MissingTool, match="did not report its version") as err:
        require(runner, "kind", KIND_VERSION, "hint")
    assert err.value.details == ["segfault"]


def test_the_lint_floor_is_what_the_oldest_accepted_releases_create():
    """Preflight's minimum kind/minikube and lint's oldest Kubernetes describe the same releases (the
    bed's release tables are read from kind's defaults/image.go and minikube's constants.go per tag)."""
    from clusterctl.toolversions import MINIMUM, OLDEST_KUBERNETES
    from tests.bed.fakecli.releases import KIND_DEFAULT_IMAGES, MINIKUBE_KUBERNETES

    oldest_kind = ".".join(map(str, MINIMUM["kind"]))
    assert KIND_DEFAULT_IMAGES[oldest_kind].split("@")[0].endswith(":" + OLDEST_KUBERNETES["kind"])
    oldest_minikube = "v" + ".".join(map(str, MINIMUM["minikube"]))
    assert MINIKUBE_KUBERNETES[oldest_minikube][0] == OLDEST_KUBERNETES["minikube"]
