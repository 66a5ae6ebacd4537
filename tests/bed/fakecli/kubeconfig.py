"""Kubeconfig files as kind and minikube find, lock, merge and prune them."""
from __future__ import annotations

import os
import stat
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# kind retries its export on lock failures with these pauses (seconds).
KIND_LOCK_BACKOFF = (0, 0.001, 0.05, 0.1)
# minikube waits on a named mutex; a longer retry stands in for it.
MINIKUBE_LOCK_BACKOFF = (0,) + (0.05,) * 100


class LockError(Exception):
    pass


@dataclass
class Entry:
    name: str  # cluster, user and context all share it
    server: str
    ca_data: str
    token: str | None = field(default=None, repr=False)  # minikube's entry; kind's carries the admin's client certificate instead
    client_cert_data: str | None = None
    client_key_data: str | None = field(default=None, repr=False)
    namespace: str | None = None

    def user(self) -> dict:
        if self.client_cert_data:
            return {"client-certificate-data": self.client_cert_data, "client-key-data": self.client_key_data}
        return {"token": self.token}


def _env_files() -> list[str]:
    """$KUBECONFIG split as Go's filepath.SplitList does (empty entries kept)."""
    value = os.environ.get("KUBECONFIG", "")
    return value.split(os.pathsep) if value else []


def _home_file() -> Path:
    # client-go's RecommendedHomeFile and kind's homeDir both read $HOME on Linux.
    return Path(os.environ.get("HOME", "")) / ".kube" / "config"


def kind_paths(explicit: str | None) -> list[Path]:
    """kind's paths(): --kubeconfig alone, else $KUBECONFIG without empties and repeats, else ~/.kube/config.
    Delete prunes each of them."""
    if explicit:
        return [Path(explicit)]
    files = [f for f in dict.fromkeys(_env_files()) if f]
    return [Path(f) for f in files] or [_home_file()]


def kind_path(explicit: str | None) -> Path:
    """kind's pathForMerge(): the only path; else the first that is an existing non-directory; else the last."""
    paths = kind_paths(explicit)
    if len(paths) == 1:
        return paths[0]
    return next((p for p in paths if _file_exists(p)), paths[-1])


def _file_exists(path: Path) -> bool:
    try:
        return not stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


def minikube_path() -> Path:
    """minikube's PathFromEnv: the first non-empty $KUBECONFIG entry, existing or not, else ~/.kube/config."""
    return next((Path(f) for f in _env_files() if f), _home_file())


def empty() -> dict:
    return {"apiVersion": "v1", "clusters": [], "contexts": [], "current-context": "",
            "kind": "Config", "preferences": {}, "users": []}


def load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        data = {}
    cfg = empty()
    cfg.update({k: v for k, v in data.items() if v is not None})
    return cfg


def dump(cfg: dict) -> str:
    return yaml.safe_dump(cfg, default_flow_style=False, sort_keys=False)


def save(path: Path, cfg: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(dump(cfg))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@contextmanager
def locked(path: Path, backoff=KIND_LOCK_BACKOFF):
    """`<kubeconfig>.lock`, created with O_EXCL as kind does."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    lock = path.with_name(path.name + ".lock")
    for delay in backoff:
        time.sleep(delay)
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            break
        except FileExistsError:
            continue
    else:
        raise LockError(f"failed to lock config file: open {lock}: file exists")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def render(entry: Entry) -> dict:
    """A kubeconfig holding only `entry`, current-context set to it."""
    cfg = empty()
    merge(cfg, entry, set_current=True)
    return cfg


def merge(cfg: dict, entry: Entry, set_current: bool) -> None:
    cluster = {"certificate-authority-data": entry.ca_data, "server": entry.server}
    context = {"cluster": entry.name}
    if entry.namespace:
        context["namespace"] = entry.namespace
    context["user"] = entry.name
    _upsert(cfg, "clusters", {"cluster": cluster, "name": entry.name})
    _upsert(cfg, "contexts", {"context": context, "name": entry.name})
    _upsert(cfg, "users", {"name": entry.name, "user": entry.user()})
    if set_current:
        cfg["current-context"] = entry.name


def remove(cfg: dict, name: str) -> bool:
    """Drop cluster, user and context `name`; clear current-context if it was `name`."""
    changed = False
    for key in ("clusters", "contexts", "users"):
        kept = [item for item in cfg.get(key) or [] if item.get("name") != name]
        changed |= len(kept) != len(cfg.get(key) or [])
        cfg[key] = kept
    if cfg.get("current-context") == name:
        cfg["current-context"] = ""
        changed = True
    return changed


def has_entry(path: Path, name: str) -> bool:
    cfg = load(path)
    return any(c.get("name") == name for c in cfg["contexts"])


def cluster_server(path: Path, name: str) -> str | None:
    for item in load(path)["clusters"]:
        if item.get("name") == name:
            return (item.get("cluster") or {}).get("server")
    return None


def update(path: Path, change, backoff=KIND_LOCK_BACKOFF, create: bool = True) -> None:
    """Apply `change(cfg) -> bool` under the lock; write only when it changed something."""
    if not create and not path.exists():
        return  # minikube reads a missing file as empty and stops there
    with locked(path, backoff):
        cfg = load(path)
        if change(cfg):
            save(path, cfg)


def _upsert(cfg: dict, key: str, item: dict) -> None:
    items = cfg.setdefault(key, []) or []
    for i, existing in enumerate(items):
        if existing.get("name") == item["name"]:
            items[i] = item
            break
    else:
        items.append(item)
    cfg[key] = items
