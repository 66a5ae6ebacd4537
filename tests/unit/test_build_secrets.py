"""Build secrets: `docker build --secret id=ID,env=VAR`, the value only in that build's own environment, and
BuildKit required before anything starts (docker/cli v28.2.2 cmd/docker/builder.go processBuilder;
v20.10.24 cli/command/image/build.go runBuild)."""
from dataclasses import replace

import pytest

from clusterctl import redact
from clusterctl.buildinputs import content_tag
from clusterctl.errors import BadInput, CommandFailed, MissingTool
from clusterctl.buildsecrets import require_build_secrets
from clusterctl.secrets import register_profile_secrets
from clusterctl.tools.docker import Docker
from tests.fakes import FakeRunner, make_profile

TOKEN = "npm_planted-0f3a9c"
BUILDX_VERSION = "github.com/docker/buildx v0.36.1 1d8dde89b8aba914e05e45366770736fea1fd690\n"
NO_BUILDX = "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n"
CLIENT_VERSION = ("docker", "version", "--format", "{{.Client.Version}}")


def profile(tmp_path, secrets=(("npm_token", "NPM_TOKEN"),)):
    base = make_profile(tmp_path, images=("web", "api"))
    web, api = base.images
    return replace(base, images=(replace(web, build_secrets=secrets), api))


def _argv(image, *extra):
    return ("docker", "build", "--force-rm", "-t", "ghcr.io/o/web:abc", "-f", str(image.dockerfile),
            "--label", "dev.clusterctl.inputs=abc", *extra, str(image.context))


def test_a_build_gets_secret_flags_and_only_its_own_variables_in_its_environment(tmp_path):
    web = profile(tmp_path).images[0]
    runner = FakeRunner().expect(*_argv(web, "--secret", "id=npm_token,env=NPM_TOKEN"),
                                 env={"DOCKER_BUILDKIT": "1", "NPM_TOKEN": TOKEN})
    Docker(runner).build(web, "ghcr.io/o/web:abc", "abc", env={"NPM_TOKEN": TOKEN, "DB_PASSWORD": "other"})
    runner.assert_done()
    assert TOKEN not in runner.calls[0].display() and TOKEN not in " ".join(runner.calls[0].argv)


def test_a_build_secret_is_registered_for_masking_when_the_profile_is_loaded(tmp_path):
    register_profile_secrets(profile(tmp_path), {"NPM_TOKEN": TOKEN})
    assert redact.redact(f"echo {TOKEN}") == "echo ******"


def test_a_failed_build_shows_neither_the_value_nor_more_than_the_variable_name(tmp_path):
    web = profile(tmp_path).images[0]
    runner = FakeRunner().expect(*_argv(web, "--secret", "id=npm_token,env=NPM_TOKEN"), returncode=1,
                                 stderr=f"#5 ERROR: npm ERR! 401 for token {TOKEN}\n")
    register_profile_secrets(profile(tmp_path), {"NPM_TOKEN": TOKEN})  # as every verb does first
    with pytest.raises(CommandFailed) as err:
        Docker(runner).build(web, "ghcr.io/o/web:abc", "abc", env={"NPM_TOKEN": TOKEN})
    shown = "\n".join([err.value.message, *err.value.details])
    assert "id=npm_token,env=NPM_TOKEN" in shown and TOKEN not in shown


def test_an_image_without_secrets_gets_no_secret_flag_and_no_environment(tmp_path):
    api = profile(tmp_path).images[1]
    command = Docker(FakeRunner()).build_command(api, "ghcr.io/o/api:abc", "abc", env={"NPM_TOKEN": TOKEN})
    assert "--secret" not in command.argv and dict(command.env) == {}


def test_the_content_tag_counts_secret_ids_and_never_values(tmp_path):
    web = profile(tmp_path).images[0]
    base = content_tag(web)
    assert content_tag(replace(web, build_secrets=(("npm_token", "OTHER_VAR"),))) == base
    assert content_tag(replace(web, build_secrets=(("pip_token", "NPM_TOKEN"),))) != base
    assert content_tag(replace(web, build_secrets=())) != base


@pytest.mark.parametrize("env", [{}, {"NPM_TOKEN": TOKEN, "DOCKER_BUILDKIT": "1"}])
def test_a_missing_variable_is_named_before_any_command(tmp_path, env):
    runner = FakeRunner()
    with pytest.raises(BadInput) as err:
        require_build_secrets(Docker(runner), profile(tmp_path).images, {k: v for k, v in env.items()
                                                                          if k != "NPM_TOKEN"})
    assert err.value.message == "environment variables not set: NPM_TOKEN (image 'web' build secret 'npm_token')"
    assert runner.calls == []


def test_docker_buildkit_false_is_refused_for_an_image_with_secrets(tmp_path):
    runner = FakeRunner()
    with pytest.raises(BadInput) as err:
        require_build_secrets(Docker(runner), profile(tmp_path).images, {"NPM_TOKEN": TOKEN, "DOCKER_BUILDKIT": "0"})
    assert err.value.message == ("DOCKER_BUILDKIT=0 turns BuildKit off, and image 'web' has build secrets, which "
                                 "only BuildKit mounts")
    assert err.value.hint == "unset DOCKER_BUILDKIT: only BuildKit mounts build secrets"
    assert runner.calls == []


def test_docker_23_and_later_without_buildx_is_refused_with_the_install_fix(tmp_path):
    runner = FakeRunner().expect("docker", "buildx", "version", returncode=1, stderr=NO_BUILDX)
    runner.expect(*CLIENT_VERSION, stdout="28.2.2\n")
    with pytest.raises(MissingTool) as err:
        require_build_secrets(Docker(runner), profile(tmp_path).images, {"NPM_TOKEN": TOKEN})
    assert err.value.message == ("image 'web' has build secrets, which need BuildKit, and docker 28.2.2 builds with "
                                 "BuildKit only through the buildx plugin, which is missing")
    assert "https://docs.docker.com/go/buildx/" in err.value.hint
    runner.assert_done()


@pytest.mark.parametrize("buildx, client", [(True, None), (False, "20.10.24+dfsg1")])
def test_buildx_or_a_client_with_its_own_buildkit_passes(tmp_path, buildx, client):
    """Before 23 the client runs BuildKit itself when DOCKER_BUILDKIT=1, which the build's env sets."""
    runner = FakeRunner().expect("docker", "buildx", "version", returncode=0 if buildx else 1,
                                 stdout=BUILDX_VERSION if buildx else "", stderr="" if buildx else NO_BUILDX)
    if client:
        runner.expect(*CLIENT_VERSION, stdout=client + "\n")
    docker = Docker(runner)
    require_build_secrets(docker, profile(tmp_path).images, {"NPM_TOKEN": TOKEN})
    assert docker.builds_with_buildx({}) is buildx  # asked once
    runner.assert_done()


def test_images_without_secrets_ask_nothing(tmp_path):
    runner = FakeRunner()
    require_build_secrets(Docker(runner), make_profile(tmp_path).images, {})
    assert runner.calls == []
