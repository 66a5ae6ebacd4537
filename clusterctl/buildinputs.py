"""The immutable tag of an image: a hash of everything that goes into its build.

Context files (honouring .dockerignore through pathspec, whose gitignore rules are the closest
maintained match to Docker's), the Dockerfile, build args, build secret ids (never their values), target
and platform. Unchanged inputs give the same tag, so nothing is rebuilt or shipped again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from clusterctl.profile.model import Image

TAG_LENGTH = 12


def _ignore_spec(context: Path):
    import pathspec  # deferred: only builds need it

    lines: list[str] = []
    ignore = context / ".dockerignore"
    if ignore.is_file():
        lines = [ln.strip() for ln in ignore.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [ln for ln in lines if ln and not ln.startswith("#")]
    return pathspec.GitIgnoreSpec.from_lines(lines)


def context_files(context: Path) -> list[str]:
    """Files docker would send as the build context, relative and sorted."""
    spec = _ignore_spec(context)
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
    return not _ignore_spec(context).match_file(path.relative_to(context).as_posix())


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
