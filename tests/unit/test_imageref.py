import pytest

from clusterctl.imageref import ImageRef, normalise, same_repository


@pytest.mark.parametrize("ref,repo,tag,digest", [
    ("bff", "bff", None, None),
    ("bff:1", "bff", "1", None),
    ("localhost:5000/bff", "localhost:5000/bff", None, None),
    ("localhost:5000/bff:2", "localhost:5000/bff", "2", None),
    ("ghcr.io/o/bff@sha256:" + "b" * 64, "ghcr.io/o/bff", None, "sha256:" + "b" * 64),
])
def test_parse(ref, repo, tag, digest):
    assert ImageRef.parse(ref) == ImageRef(repo, tag, digest)


@pytest.mark.parametrize("ref,expected", [
    ("bff:1", "docker.io/library/bff:1"),
    ("u/bff", "docker.io/u/bff:latest"),
    ("ghcr.io/o/bff:1", "ghcr.io/o/bff:1"),
    ("127.0.0.1:5555/bff:1", "127.0.0.1:5555/bff:1"),
])
def test_normalise_like_containerd(ref, expected):
    assert normalise(ref) == expected


def test_latest_or_no_tag_pulls_always():
    assert ImageRef.parse("bff").pulls_always and ImageRef.parse("bff:latest").pulls_always
    assert not ImageRef.parse("bff:1").pulls_always
    assert same_repository("bff:1", "docker.io/library/bff")
