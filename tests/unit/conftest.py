"""Unit tests see none of the developer's state: clusterctl's state folder (identity records, locks, the
tool-version and lint caches) is a new one per test, and the variables clusterctl reads from the
environment are unset unless a test sets them."""
from __future__ import annotations

import pytest

# Read by clusterctl (statedir, kubeconfig, registryauth, tools/docker, errorhandler); the bed's
# `scripts/bed.sh env` sets some of them in the shell the tests run from.
_READ = ("KUBECONFIG", "DOCKER_CONFIG", "DOCKER_BUILDKIT", "DOCKER_HOST", "DOCKER_CONTEXT", "BUILDX_BUILDER",
         "CLUSTERCTL_DEBUG")


@pytest.fixture(autouse=True)
def own_state_folder(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path_factory.mktemp("clusterctl-home")))
    for name in _READ:
        monkeypatch.delenv(name, raising=False)
