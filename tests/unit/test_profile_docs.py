"""docs/profile.md stays true: its example profiles load, and it documents every key the loader knows."""

import re
from pathlib import Path

import pytest

from clusterctl import profile
from clusterctl.profile import loader
from clusterctl.profile.sections import cluster, images, runtime, secrets, shipping

DOC = Path(__file__).parents[2] / "docs" / "profile.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
PROFILES = [b for b in BLOCKS if b.startswith("apiVersion:") and "extends:" not in b]


@pytest.mark.parametrize("text", PROFILES)
def test_example_profiles_load(tmp_path, text):
    path = tmp_path / "example.yaml"
    path.write_text(text)
    loaded = profile.load(str(path), env={"GITHUB_ACTOR": "me"}, check_files=False)
    assert loaded.cluster.name and loaded.namespace


KEYS = [*loader.ROOT_KEYS, "extends", *cluster.KEYS, *cluster.KIND_KEYS, *cluster.MINIKUBE_KEYS, *cluster.PORT_KEYS,
        *shipping.KEYS, *shipping.AUTH_KEYS, *images.KEYS, *secrets.KEYS, *runtime.WAIT_KEYS, *runtime.BUILD_KEYS]


@pytest.mark.parametrize("key", sorted(set(KEYS)))
def test_every_key_is_documented(key):
    assert re.search(rf"`(\w+\.)?{key}`", DOC.read_text())
