"""A build secret reaches `RUN --mount=type=secret` and nothing else: not argv, output, reports, temp files or
the image history (issue 22 point 1).

`docker build --secret id=ID,env=VAR` needs BuildKit. The docker CLI from 23 on has BuildKit only through the
buildx plugin: without it `docker build` is the legacy builder, which has no --secret flag (docker/cli v28.2.2
cmd/docker/builder.go processBuilder; cli/command/image/build.go). The bed's docker (28.2.2) has no buildx, so
the stand-in plugin (tests/bed/fakecli/buildx.py, a real BuildKit build) goes into this test's DOCKER_CONFIG.
"""
from __future__ import annotations

import hashlib
import secrets

import pytest

from tests.bed.fakecli import buildx
from tests.integration.leaks import plant, private_tmp, sweep, watch_processes
from tests.integration.project import deployment, docker, fresh_project, step, workload

DOCKERFILE = """FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY nonce /nonce
RUN --mount=type=secret,id=npm_token,required=true cat /run/secrets/npm_token | sha256sum | cut -c1-64 > /token.sha256
CMD ["/bin/sh", "-c", "sleep 3600"]
"""
# The pattern docs/profile.md used to recommend: the token as a build arg, used by a RUN.
BUILD_ARG_DOCKERFILE = """FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" | wc -c > /npmrc.length
CMD ["/bin/sh", "-c", "sleep 3600"]
"""


@pytest.fixture
def app(bed_env):
    with fresh_project(bed_env, "bsec") as project:
        context = project.image("web")
        (context / "Dockerfile").write_text(DOCKERFILE)
        # BuildKit leaves secrets out of its cache key: a fresh input, so the secret step runs in this test.
        (context / "nonce").write_text(secrets.token_hex(8))
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        project.profile(images=[{"name": "web", "context": "images/web", "secrets": {"npm_token": "NPM_TOKEN"}}])
        yield project


def _with_buildx(bed_env) -> dict[str, str]:
    config = bed_env.root / "docker-config"
    buildx.install(config, "ctr", driver="docker-container")
    return {"DOCKER_CONFIG": str(config)}


def _docker_20_10(bed_env) -> dict[str, str]:
    """The 20.10 client first on PATH: no buildx; it runs BuildKit itself when DOCKER_BUILDKIT=1."""
    bin_dir = bed_env.root / "docker-20.10"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "docker").symlink_to("/usr/bin/docker")
    return {"PATH": f"{bin_dir}:{bed_env.env['PATH']}"}


@pytest.mark.parametrize("builder", ["buildx", "docker 20.10"])
def test_a_build_secret_reaches_run_mount_and_no_output_argv_file_or_history(bed_env, app, builder):
    planted = plant("NPM_TOKEN")
    docker_env = _with_buildx(bed_env) if builder == "buildx" else _docker_20_10(bed_env)
    env = {**planted.env, **private_tmp(bed_env), **docker_env}

    with watch_processes() as seen:
        result = app.run(bed_env, "up", "-v", env=env)
    assert result.code == 0, (result.report or {}).get("error") or result.stderr
    assert step(result.report, "build")["status"] == "done"
    ref = workload(result.report, "web")["image"]
    written = docker("run", "--rm", "--network", "none", ref, "cat", "/token.sha256").stdout.strip()
    assert written == hashlib.sha256(planted.env["NPM_TOKEN"].encode()).hexdigest()  # the value arrived
    assert any("--secret id=npm_token,env=NPM_TOKEN" in argv for argv in seen.argv.values())

    plan_text = app.run(bed_env, "up", "--dry-run", json=False, env=env)
    plan_json = app.run(bed_env, "up", "--dry-run", env=env)
    assert plan_text.code == 0 and plan_json.code == 0, plan_text.stderr + plan_json.stderr
    assert "--secret id=npm_token,env=NPM_TOKEN" in plan_text.stdout
    leaks = sweep(planted, result=result, bed_env=bed_env, processes=seen, images=[ref],
                  texts={"up --dry-run": plan_text.output, "up --dry-run --output json": plan_json.output})
    assert leaks == []


def test_without_buildkit_up_stops_in_preflight_and_says_to_install_buildx(bed_env, app):
    """docker 28.2.2 without the buildx plugin: `docker build --secret` is "unknown flag: --secret"."""
    planted = plant("NPM_TOKEN")
    result = app.run(bed_env, "up", env={**planted.env, **private_tmp(bed_env)})
    assert result.code == 3, result.stderr
    assert [(s["name"], s["status"]) for s in result.report["steps"]] == [("lint", "done"), ("preflight", "failed")]
    error = result.report["error"]
    assert error["message"] == ("image 'web' has build secrets, which need BuildKit, and docker 28.2.2 builds "
                                "with BuildKit only through the buildx plugin, which is missing"), error
    assert "https://docs.docker.com/go/buildx/" in error["hint"]
    assert sweep(planted, result=result, bed_env=bed_env) == []


def test_an_unset_build_secret_variable_is_named_before_anything_starts(bed_env, app):
    """BuildKit would mount an empty secret for an unset variable and say nothing (selftest
    test_an_unset_secret_variable_fails_nothing_and_the_run_reads_no_value)."""
    env = {**private_tmp(bed_env), **_with_buildx(bed_env)}
    result = app.run(bed_env, "up", env={k: v for k, v in env.items() if k != "NPM_TOKEN"})
    assert result.code == 2, result.stderr
    assert "NPM_TOKEN (image 'web' build secret 'npm_token')" in result.report["error"]["message"]
    assert step(result.report, "preflight")["status"] == "failed" and app.local_images() == {}


def test_the_old_secret_build_arg_pattern_is_refused_with_the_build_secret_fix(bed_env, app):
    """`buildArgs: {NPM_TOKEN: ${NPM_TOKEN}}` put the token on the docker command line and in the image
    history (a RUN records the build args it sees); it is now refused when the profile is read."""
    (app.root / "images" / "web" / "Dockerfile").write_text(BUILD_ARG_DOCKERFILE)
    app.profile(images=[{"name": "web", "context": "images/web", "buildArgs": {"NPM_TOKEN": "${NPM_TOKEN}"}}])
    planted = plant("NPM_TOKEN")

    with watch_processes() as seen:
        result = app.run(bed_env, "up", env={**planted.env, **private_tmp(bed_env)})
    built = list(app.local_images())
    assert sweep(planted, result=result, bed_env=bed_env, processes=seen, images=built) == []
    assert result.code == 2 and built == [], result.stderr
    [problem] = result.report["error"]["details"]
    assert problem.endswith("images[0].buildArgs.NPM_TOKEN: a secret build arg stays in the image history and "
                            "on the docker command line; move it to images[0].secrets: {npm_token: NPM_TOKEN} "
                            "and read it with RUN --mount=type=secret,id=npm_token"), problem
