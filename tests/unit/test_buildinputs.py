"""The content tag changes exactly when a build input changes."""

from clusterctl.buildinputs import content_tag, context_files
from clusterctl.profile.model import Image


def image(tmp_path, **kw):
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY . /\n")
    return Image(name="bff", context=tmp_path, dockerfile=tmp_path / "Dockerfile", repository="bff", **kw)


def test_same_inputs_same_tag_and_each_input_counts(tmp_path):
    (tmp_path / "main.go").write_text("package main\n")
    base = content_tag(image(tmp_path))
    assert content_tag(image(tmp_path)) == base and len(base) == 12
    assert content_tag(image(tmp_path, build_args=(("V", "1"),))) != base
    assert content_tag(image(tmp_path, target="runtime")) != base
    assert content_tag(image(tmp_path, platform="linux/arm64")) != base
    (tmp_path / "main.go").write_text("package main // changed\n")
    assert content_tag(image(tmp_path)) != base


def test_dockerignored_files_do_not_count(tmp_path):
    (tmp_path / ".dockerignore").write_text("*.log\nnode_modules/\n!keep.log\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text("1")
    (tmp_path / "debug.log").write_text("1")
    (tmp_path / "keep.log").write_text("1")
    built = image(tmp_path)
    assert context_files(tmp_path) == [".dockerignore", "Dockerfile", "keep.log"]
    before = content_tag(built)
    (tmp_path / "debug.log").write_text("2")
    assert content_tag(built) == before
