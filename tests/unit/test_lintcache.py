"""Lint results are reused only while nothing lint reads has changed."""

from clusterctl import lintcache
from clusterctl.lint import Finding
from clusterctl.manifests.source import parse_manifest_text
from tests.fakes import make_profile

DOC = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"


def test_round_trip_and_every_input_changes_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    profile = make_profile(tmp_path)
    docs = parse_manifest_text(DOC, "m.yaml")
    key = lintcache.key(profile, docs)
    found = [Finding("DF007", "warning", "Dockerfile", 1, "m", "h")]
    assert lintcache.load(key) is None
    lintcache.store(key, found)
    assert lintcache.load(key) == found

    (profile.images[0].dockerfile).write_text("FROM scratch\nUSER 1\n")
    assert lintcache.key(profile, docs) != key
    key = lintcache.key(profile, docs)
    (profile.images[0].context / ".dockerignore").write_text(".git\n")
    assert lintcache.key(profile, docs) != key
    key = lintcache.key(profile, docs)
    (profile.images[0].context / "node_modules").mkdir()
    assert lintcache.key(profile, docs) != key
    key = lintcache.key(profile, docs)
    assert lintcache.key(profile, parse_manifest_text(DOC.replace("c}", "d}"), "m.yaml")) != key
