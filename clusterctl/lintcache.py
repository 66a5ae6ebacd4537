"""Lint results keyed by a hash of everything lint reads, so unchanged inputs are not linted again."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from clusterctl import __version__
from clusterctl.lint import Finding
from clusterctl.statedir import home, write_text


def key(profile, manifest_docs) -> str:
    cluster = profile.cluster  # the driver sets the oldest version checked when none is pinned
    digest = hashlib.sha256(f"{__version__}\0{cluster.driver}\0{cluster.kubernetes_version}\0{cluster.node_image}"
                            f"\0{profile.namespace}".encode())
    for image in profile.images:
        digest.update(f"\0{image.repository}\0{image.dockerfile}\0".encode())
        for path in (image.dockerfile, image.context / ".dockerignore"):
            digest.update(path.read_bytes() if path.is_file() else b"-")
        # The context rules look at the context's top-level entries (.git, node_modules, *.log).
        digest.update("\0".join(sorted(p.name for p in image.context.iterdir())).encode())
    for doc in manifest_docs:
        digest.update(f"\0{doc.file}:{doc.line}\0".encode())
        digest.update(json.dumps(doc.obj, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _path(digest: str):
    return home() / "cache" / "lint" / f"{digest}.json"


def load(digest: str) -> list[Finding] | None:
    try:
        return [Finding(**f) for f in json.loads(_path(digest).read_text())]
    except (OSError, ValueError, TypeError):
        return None


def store(digest: str, findings: list[Finding]) -> None:
    write_text(_path(digest), json.dumps([dataclasses.asdict(f) for f in findings]))
