"""Image references: parse, normalise the way docker and containerd do, and tell what a tag implies."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class ImageRef:
    repository: str  # as written, without tag or digest
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, ref: str) -> "ImageRef":
        digest = None
        match = _DIGEST.search(ref)
        if match:
            digest, ref = match.group(0)[1:], ref[: match.start()]
        name, _, tag = ref.rpartition(":")
        # A colon before the last slash is a registry port, not a tag.
        if not name or "/" in tag:
            name, tag = ref, ""
        return cls(name, tag or None, digest)

    @property
    def pulls_always(self) -> bool:
        """Kubernetes defaults imagePullPolicy to Always for `:latest` and for no tag without a digest."""
        return self.digest is None and self.tag in (None, "latest")

    def with_tag(self, tag: str) -> str:
        return f"{self.repository}:{tag}"


def normalise(ref: str) -> str:
    """`bff:1` -> `docker.io/library/bff:1`, as containerd lists images on a node."""
    parsed = ImageRef.parse(ref)
    repo = parsed.repository
    first, _, rest = repo.partition("/")
    if not rest:
        repo = f"docker.io/library/{repo}"
    elif "." not in first and ":" not in first and first != "localhost":
        repo = f"docker.io/{repo}"
    tail = f":{parsed.tag or 'latest'}" if not parsed.digest or parsed.tag else ""
    return repo + tail + (f"@{parsed.digest}" if parsed.digest else "")


def same_repository(a: str, b: str) -> bool:
    return ImageRef.parse(normalise(a)).repository == ImageRef.parse(normalise(b)).repository
