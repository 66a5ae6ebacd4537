"""Image references normalised as containerd does, and rejected as the kubelet does."""
from __future__ import annotations

import re

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_DOMAIN = rf"(?:{_LABEL}(?:\.{_LABEL})*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)"
_REFERENCE = re.compile(rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
                        r"(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")


class InvalidImageName(ValueError):
    """Carries the kubelet's message for a reference it cannot parse."""


def normalise(ref: str) -> str:
    """`bff:1` -> `docker.io/library/bff:1`, `u/bff` -> `docker.io/u/bff:latest`."""
    if not _REFERENCE.match(ref):
        raise InvalidImageName(_invalid_message(ref))
    name, digest = (ref.split("@", 1) + [""])[:2]
    domain, _, rest = name.partition("/")
    if not rest or not ("." in domain or ":" in domain or domain == "localhost"):
        domain, rest = "docker.io", name
    if domain == "docker.io" and "/" not in rest:
        rest = "library/" + rest
    if digest:
        return f"{domain}/{rest}@{digest}"
    last = rest.rsplit("/", 1)[-1]
    return f"{domain}/{rest}" if ":" in last else f"{domain}/{rest}:latest"


def _invalid_message(ref: str) -> str:
    reason = "invalid reference format"
    if ref.lower() != ref and _REFERENCE.match(ref.lower()):
        repo = ref.split("@")[0].rsplit(":", 1)[0] if ":" in ref.rsplit("/", 1)[-1] else ref
        reason += f": repository name ({repo}) must be lowercase"
    return (f'Failed to apply default image tag "{ref}": '
            f'couldn\'t parse image name "{ref}": {reason}')
