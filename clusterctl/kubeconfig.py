"""Read what a kubeconfig says about a context: its API server and the CA that vouches for it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Endpoint:
    server: str
    ca_fingerprint: str  # sha256 of the CA certificate (PEM) or "none" for a plain-HTTP server


def _named(entries, name: str) -> dict:
    for entry in entries or []:
        if entry.get("name") == name:
            return entry
    return {}


def endpoint(kubeconfig: Path, context: str) -> Endpoint | None:
    """None when the kubeconfig has no such context (or no such file)."""
    try:
        config = yaml.safe_load(kubeconfig.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return None
    ctx = _named(config.get("contexts"), context).get("context")
    if not ctx:
        return None
    cluster = _named(config.get("clusters"), ctx.get("cluster", "")).get("cluster") or {}
    if cluster.get("certificate-authority-data"):
        ca = base64.b64decode(cluster["certificate-authority-data"])
    elif cluster.get("certificate-authority"):
        path = Path(cluster["certificate-authority"]).expanduser()
        ca = path.read_bytes() if path.is_file() else b""
    else:
        ca = b""
    fingerprint = hashlib.sha256(ca).hexdigest() if ca else "none"
    return Endpoint(cluster.get("server", ""), fingerprint)
