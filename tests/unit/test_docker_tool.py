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
