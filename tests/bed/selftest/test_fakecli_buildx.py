"""The stand-in buildx plugin, driven by the real docker CLI from a private DOCKER_CONFIG."""
from __future__ import annotations

import os
import secrets
import subprocess

import pytest

from tests.bed.fakecli import buildx

pytestmark = pytest.mark.integration


@pytest.fixture
def docker_in(tmp_path, clusterctl_bed):
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile").write_text("FROM scratch\nCOPY f /f\n")
    (tmp_path / "ctx" / "f").write_text(secrets.token_hex(8))
    tag = f"bed-buildx-selftest:{secrets.token_hex(4)}"

    def docker(config, *args, env=None):
        return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "DOCKER_CONFIG": str(config), **(env or {})})

    yield docker, tmp_path / "ctx", tag
    subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=60)


def present(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True, timeout=60).returncode == 0


def test_version_and_inspect_name_the_selected_builder(tmp_path, docker_in):
    docker, _, _ = docker_in
    buildx.install(tmp_path / "dc", "ctr", driver_opts={"default-load": "false"})
    assert docker(tmp_path / "dc", "buildx", "version").stdout == f"github.com/docker/buildx v0.36.1 {buildx.REVISION}\n"
    shown = docker(tmp_path / "dc", "buildx", "inspect").stdout
    assert "Driver:        docker-container\n" in shown and 'Driver Options: default-load="false"' in shown


def test_docker_container_builder_keeps_the_result_out_of_the_engine_unless_load(tmp_path, docker_in):
    docker, context, tag = docker_in
    buildx.install(tmp_path / "dc", "ctr")
    cached = docker(tmp_path / "dc", "build", "-t", tag, str(context))
    assert cached.returncode == 0 and not present(tag)
    assert ("WARNING: No output specified with docker-container driver. Build result will only remain in the "
            "build cache. To push result image into registry use --push or to load image into docker use --load"
            in cached.stderr)
    loaded = docker(tmp_path / "dc", "build", "--load", "-t", tag, str(context))
    assert loaded.returncode == 0 and present(tag) and "No output specified" not in loaded.stderr


def test_without_the_alias_docker_build_uses_the_contexts_docker_driver(tmp_path, docker_in):
    docker, context, tag = docker_in
    buildx.install(tmp_path / "dc", "ctr", alias=False)
    assert docker(tmp_path / "dc", "build", "-t", tag, str(context)).returncode == 0 and present(tag)
    subprocess.run(["docker", "rmi", tag], capture_output=True, timeout=60)
    pinned = docker(tmp_path / "dc", "build", "-t", tag, str(context), env={"BUILDX_BUILDER": "ctr"})
    assert pinned.returncode == 0 and not present(tag)


def test_default_load_driver_option_loads(tmp_path, docker_in):
    docker, context, tag = docker_in
    buildx.install(tmp_path / "dc", "ctr", driver_opts={"default-load": "true"})
    assert docker(tmp_path / "dc", "build", "-t", tag, str(context)).returncode == 0 and present(tag)
