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


def test_image_ids_match_each_ref_by_its_tag_and_leave_out_what_the_engine_lacks():
    # `docker image inspect` prints only the images it found (and exits 1), so lines are matched by tag.
    runner = FakeRunner().expect(
        "docker", "image", "inspect", "--format", "{{.Id}} {{json .RepoTags}}", "bff:1", "gone:2", "web:3",
        returncode=1, stdout='sha256:aa ["bff:1","bff:old"]\nsha256:bb ["web:3"]\n',
        stderr="Error response from daemon: No such image: gone:2\n")
    assert Docker(runner).image_ids(["bff:1", "gone:2", "web:3"]) == {"bff:1": "sha256:aa", "web:3": "sha256:bb"}
    runner.assert_done()
