"""The immutable tag of an image: a hash of everything that goes into its build.

Context files (honouring .dockerignore, read as docker reads it, through pathspec), the Dockerfile, build args, build secret ids (never their values), target
and platform. Unchanged inputs give the same tag, so nothing is rebuilt or shipped again.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from pathlib import Path

from clusterctl.profile.model import Image

TAG_LENGTH = 12


def ignore_spec(context: Path):
    """The context's .dockerignore as docker reads it (moby/patternmatcher ignorefile.ReadAll, vendored in
    docker/cli v28.2.2): every pattern is cleaned and anchored at the context root, so `.env` is only the
    root's, where a .gitignore would match it at any depth; `**/` reaches into directories."""
    import pathspec  # deferred: only builds need it

    patterns: list[str] = []
    ignore = context / ".dockerignore"
    lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines() if ignore.is_file() else []
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        pattern = line.strip()
        invert = pattern.startswith("!")
        pattern = posixpath.normpath(pattern[1:].strip() if invert else pattern).lstrip("/")
        patterns.append(("!" if invert else "") + "/" + pattern)
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def context_files(context: Path) -> list[str]:
    """Files docker would send as the build context, relative and sorted."""
    spec = ignore_spec(context)
    found: list[str] = []
    for root, dirs, files in os.walk(context):
        rel_root = os.path.relpath(root, context)
        dirs.sort()
        for name in files:
            rel = name if rel_root == "." else f"{rel_root}/{name}"
            if not spec.match_file(rel):
                found.append(rel)
    return sorted(found)


def sent_to_builder(context: Path, path: Path) -> bool:
    """Whether docker would send `path` to the builder as part of `context`."""
    if not path.is_relative_to(context):
        return False
    return not ignore_spec(context).match_file(path.relative_to(context).as_posix())


def content_tag(image: Image) -> str:
    digest = hashlib.sha256()

    def feed(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    for rel in context_files(image.context):
        path = image.context / rel
        feed("file:" + rel, path.read_bytes())
        feed("mode:" + rel, str(os.stat(path).st_mode & 0o111).encode())
    feed("dockerfile", image.dockerfile.read_bytes())
    for key, value in image.build_args:
        feed("arg:" + key, value.encode())
    for secret_id, _ in sorted(image.build_secrets):
        # The ids the Dockerfile can mount, never the values: BuildKit leaves secrets out of its cache key too.
        feed("secret", secret_id.encode())
    feed("target", (image.target or "").encode())
    feed("platform", (image.platform or "").encode())
    return digest.hexdigest()[:TAG_LENGTH]
