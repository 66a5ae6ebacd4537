"""The stand-in buildx plugin, driven by the real docker CLI from a private DOCKER_CONFIG."""
from __future__ import annotations

import hashlib
import os
import secrets
import shutil
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


SECRET_DOCKERFILE = """FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY f /f
RUN --mount=type=secret,id=tok,required=true cat /run/secrets/tok | sha256sum | cut -c1-64 > /tok.sha256
"""


def _secret_context(context):
    shutil.copy2("/usr/bin/busybox", context / "busybox")
    (context / "Dockerfile").write_text(SECRET_DOCKERFILE)


def _read(tag: str, path: str) -> str:
    return subprocess.run(["docker", "run", "--rm", "--network", "none", tag, "cat", path], capture_output=True,
                          text=True, timeout=60).stdout.strip()


def test_a_build_secret_reaches_run_mount_and_stays_out_of_the_history(tmp_path, docker_in):
    """buildx hands `--secret id=tok,env=VAR` to BuildKit, which mounts VAR's value at /run/secrets/tok for
    that RUN only (a real BuildKit build: the 20.10 client against the engine's embedded BuildKit)."""
    docker, context, tag = docker_in
    _secret_context(context)
    buildx.install(tmp_path / "dc", "ctr")
    value = f"selftest-{secrets.token_hex(8)}"
    built = docker(tmp_path / "dc", "build", "--load", "-t", tag, "--secret", "id=tok,env=PLANTED", str(context),
                   env={"PLANTED": value})
    assert built.returncode == 0, built.stderr
    assert _read(tag, "/tok.sha256") == hashlib.sha256(value.encode()).hexdigest()
    history = subprocess.run(["docker", "history", "--no-trunc", tag], capture_output=True, text=True,
                             timeout=60).stdout
    assert "/run/secrets/tok" in history and value not in history + built.stderr
    # The secret is not part of BuildKit's cache key: another value reuses the cached step.
    again = docker(tmp_path / "dc", "build", "--load", "-t", tag, "--secret", "id=tok,env=PLANTED", str(context),
                   env={"PLANTED": value + "-rotated"})
    assert again.returncode == 0 and _read(tag, "/tok.sha256") == hashlib.sha256(value.encode()).hexdigest()


def test_an_unset_secret_variable_fails_nothing_and_the_run_reads_no_value(tmp_path, docker_in):
    """BuildKit's env secret source reads os.Getenv when the step runs, so an unset variable is "" and not an
    error (secretsprovider/store.go GetSecret), even with required=true."""
    docker, context, tag = docker_in
    _secret_context(context)
    buildx.install(tmp_path / "dc", "ctr")
    env = {k: v for k, v in os.environ.items() if k != "PLANTED"}
    built = subprocess.run(["docker", "build", "--load", "-t", tag, "--secret", "id=tok,env=PLANTED", str(context)],
                           capture_output=True, text=True, timeout=120,
                           env={**env, "DOCKER_CONFIG": str(tmp_path / "dc")})
    assert built.returncode == 0, built.stderr
    assert _read(tag, "/tok.sha256") == hashlib.sha256(b"").hexdigest()
