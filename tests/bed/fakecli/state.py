"""Where one stand-in cluster keeps its state: `$CLUSTERCTL_BED_HOME/<flavor>/<name>/`."""
from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def bed_home() -> Path:
    # Resolved, because the control plane's argv carries it and is matched on later.
    return Path(os.environ.get("CLUSTERCTL_BED_HOME") or REPO_ROOT / ".bed" / "home").resolve()


def minikube_home() -> Path:
    """localpath.MiniPath: $MINIKUBE_HOME (its .minikube), else ~/.minikube."""
    home = os.environ.get("MINIKUBE_HOME")
    if not home:
        return Path.home() / ".minikube"
    return Path(home) if Path(home).name == ".minikube" else Path(home) / ".minikube"


def read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_json_atomic(path: Path, data) -> None:
    """Readers (the kubelet, other CLI runs) never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


@dataclass(frozen=True)
class Cluster:
    flavor: str  # "kind" | "minikube"
    name: str
    home: Path | None = None  # default: bed_home() from the environment

    @property
    def dir(self) -> Path:
        return (self.home or bed_home()) / self.flavor / self.name

    @property
    def tls_dir(self) -> Path:
        return self.dir / "tls"

    @property
    def record_path(self) -> Path:
        return self.dir / "cluster.json"

    @property
    def apiserver_path(self) -> Path:
        return self.dir / "apiserver.json"

    def exists(self) -> bool:
        return self.record_path.exists()

    def record(self) -> dict:
        return read_json(self.record_path) or {}

    def save_record(self, record: dict) -> None:
        write_json_atomic(self.record_path, record)

    def nodes(self) -> list[str]:
        return list(self.record().get("nodes", []))

    def apiserver(self) -> dict | None:
        return read_json(self.apiserver_path)

    def token(self) -> str:
        return (self.tls_dir / "token").read_text().strip()

    def ca_data(self) -> str:
        return self._data("ca.crt")

    def client_cert_data(self) -> str:
        return self._data("client.crt")

    def client_key_data(self) -> str:
        return self._data("client.key")

    def _data(self, name: str) -> str:
        return base64.b64encode((self.tls_dir / name).read_bytes()).decode()


def cluster_names(flavor: str, home: Path | None = None) -> list[str]:
    root = (home or bed_home()) / flavor
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "cluster.json").exists())
