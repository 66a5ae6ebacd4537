"""The docker wrapper's argv: a loopback registry is asked with --insecure, any other one is not."""

import pytest

from clusterctl.tools.docker import Docker, loopback_registry
from tests.fakes import FakeRunner


@pytest.mark.parametrize("ref,loopback", [
    ("127.0.0.1:5555/team/web:abc", True),
    ("localhost:5000/web:abc", True),
    ("[::1]:5000/web:abc", True),
    ("ghcr.io/o/web:abc", False),
    ("registry.internal:5000/web:abc", False),
    ("web:abc", False),
    ("library/web:abc", False),
])
def test_loopback_registry(ref, loopback):
    assert loopback_registry(ref) is loopback


def test_manifest_exists_asks_a_loopback_registry_over_http_too():
    runner = FakeRunner().expect("docker", "manifest", "inspect", "--insecure", "127.0.0.1:5555/team/web:abc")
    runner.expect("docker", "manifest", "inspect", "ghcr.io/o/web:abc", returncode=1, stderr="no such manifest")
    docker = Docker(runner)
    assert docker.manifest_exists("127.0.0.1:5555/team/web:abc") is True
    assert docker.manifest_exists("ghcr.io/o/web:abc") is False
    runner.assert_done()


# What buildx v0.36.1 prints for `docker buildx version` (commands/version.go), and what docker/cli v28.2.2
# says without the plugin (the engine the bed runs on).
BUILDX_VERSION = "github.com/docker/buildx v0.36.1 1d8dde89b8aba914e05e45366770736fea1fd690\n"
NO_BUILDX = "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n"


def _image(tmp_path):
    from clusterctl.profile.model import Image
    return Image(name="web", context=tmp_path, dockerfile=tmp_path / "Dockerfile", repository="ghcr.io/o/web")


def _build_argv(tmp_path, *extra):
    return ("docker", "build", "--force-rm", "-t", "ghcr.io/o/web:abc", "-f", str(tmp_path / "Dockerfile"),
            "--label", "dev.clusterctl.inputs=abc", *extra, str(tmp_path))


def test_a_build_that_goes_to_buildx_asks_for_load(tmp_path, monkeypatch):
    """Only the docker driver exports to the engine by default; a docker-container builder selected after
    `docker buildx install` would keep the image in its cache (build/build.go warnOnNoOutput)."""
    monkeypatch.delenv("DOCKER_BUILDKIT", raising=False)
    runner = FakeRunner().expect("docker", "buildx", "version", stdout=BUILDX_VERSION)
    runner.expect(*_build_argv(tmp_path, "--load"))
    docker = Docker(runner)
    docker.build(_image(tmp_path), "ghcr.io/o/web:abc", "abc", load=docker.builds_with_buildx())
    runner.assert_done()


def test_the_legacy_builder_gets_no_load_flag(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKER_BUILDKIT", raising=False)
    runner = FakeRunner().expect("docker", "buildx", "version", returncode=1, stderr=NO_BUILDX)
    runner.expect(*_build_argv(tmp_path))
    docker = Docker(runner)
    docker.build(_image(tmp_path), "ghcr.io/o/web:abc", "abc", load=docker.builds_with_buildx())
    runner.assert_done()


@pytest.mark.parametrize("value", ["0", "false", "F"])
def test_docker_buildkit_false_means_the_legacy_builder_without_asking(value):
    runner = FakeRunner()
    assert Docker(runner).builds_with_buildx({"DOCKER_BUILDKIT": value}) is False
    assert runner.calls == []


def test_image_ids_match_each_ref_by_its_tag_and_leave_out_what_the_engine_lacks():
    # `docker image inspect` prints only the images it found (and exits 1), so lines are matched by tag.
    runner = FakeRunner().expect(
        "docker", "image", "inspect", "--format", "{{.Id}} {{json .RepoTags}}", "bff:1", "gone:2", "web:3",
        returncode=1, stdout='sha256:aa ["bff:1","bff:old"]\nsha256:bb ["web:3"]\n',
        stderr="Error response from daemon: No such image: gone:2\n")
    assert Docker(runner).image_ids(["bff:1", "gone:2", "web:3"]) == {"bff:1": "sha256:aa", "web:3": "sha256:bb"}
    runner.assert_done()
