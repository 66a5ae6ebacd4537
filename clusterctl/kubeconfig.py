"""Kubeconfig files as kubectl finds them, and what one says about a context: its API server and CA.

kubectl (client-go v0.33.0 tools/clientcmd) reads the merge of every existing file on $KUBECONFIG, the
first file winning per name (loader.go `Load`); it changes an entry in the file that defines it, and
writes a new one into the only entry, else the first existing file, else the LAST entry (config.go
`PathOptions.GetDefaultFilename`). Without $KUBECONFIG it uses ~/.kube/config alone.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml


@dataclass(frozen=True)
class Endpoint:
    server: str
    ca_fingerprint: str  # sha256 of the CA certificate (PEM) or "none" for a plain-HTTP server


def _named(entries, name: str) -> dict:
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry
    return {}


def endpoint(kubeconfig: Path, context: str) -> Endpoint | None:
    """None when the kubeconfig has no such context (or no such file)."""
    config = _load(kubeconfig)
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


def chain(env: Mapping[str, str]) -> list[Path]:
    """The files kubectl merges: the $KUBECONFIG entries (empty and repeated ones dropped), else ~/.kube/config."""
    entries = [Path(e).expanduser().absolute() for e in dict.fromkeys(env.get("KUBECONFIG", "").split(os.pathsep)) if e]
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return entries or [home / ".kube" / "config"]


def write_target(env: Mapping[str, str]) -> Path:
    """Where kubectl writes a new entry: the only file, else the first existing one, else the last."""
    files = chain(env)
    if len(files) == 1:
        return files[0]
    return next((f for f in files if f.exists()), files[-1])


def file_for(env: Mapping[str, str], context: str) -> Path:
    """The file kubectl takes `context` from (the first that defines it), else the one it would write it to.
    kind and minikube are told to write there, so the user's own kubectl sees the entry where they look."""
    return next((f for f in chain(env) if _defines(f, context)), write_target(env))


def shadowed(env: Mapping[str, str], path: Path, context: str) -> list[str]:
    """The cluster and user of `context` in `path` that kubectl takes from an earlier file instead (the first
    file to define a name wins, even when the context itself comes from a later one)."""
    files = chain(env)
    if path not in files:
        return []  # an explicit file kubectl is not merging
    ctx = _named(_load(path).get("contexts"), context).get("context") or {}
    wanted = [(key, ctx.get(key[:-1])) for key in ("clusters", "users")]
    return [f"{key[:-1]} {name!r} from {earlier}" for earlier in files[:files.index(path)]
            for key, name in wanted if name and _named(_load(earlier).get(key), name)]


def _defines(path: Path, context: str) -> bool:
    return bool(_named(_load(path).get("contexts"), context))


def _load(path: Path) -> dict:
    try:
        config = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}
