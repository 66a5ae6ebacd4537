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


def test_dockerignore_patterns_are_anchored_at_the_context_root_as_docker_reads_them(tmp_path):
    """moby/patternmatcher (docker/cli v28.2.2 vendor): `.env` matches only the root's .env; `**/.env` any;
    a leading `/` changes nothing; a matched directory takes everything below it."""
    for rel in (".env", "sub/.env", "sub/deeper/.env", "logs/a.log", "sub/b.log"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / ".dockerignore").write_text("# comment\n.env\n/logs\n*.log\n")
    assert context_files(tmp_path) == [".dockerignore", "sub/.env", "sub/b.log", "sub/deeper/.env"]
    (tmp_path / ".dockerignore").write_text("**/.env\n!sub/.env\n")
    assert context_files(tmp_path) == [".dockerignore", "logs/a.log", "sub/.env", "sub/b.log"]
