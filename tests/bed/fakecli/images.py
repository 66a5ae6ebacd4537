"""Node images: what `kind load` / `minikube image load` put on a stand-in node."""
from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager

from .state import Cluster, read_json, write_json_atomic


def normalise(ref: str) -> str:
    """containerd's normalisation: `bff:1` -> `docker.io/library/bff:1`."""
    name, at, digest = ref.partition("@")
    first, slash, rest = name.partition("/")
    if not slash or not ("." in first or ":" in first or first == "localhost"):
        domain, path = "docker.io", name
    else:
        domain, path = first, rest
    if domain in ("index.docker.io", "registry-1.docker.io"):
        domain = "docker.io"
    if domain == "docker.io" and "/" not in path:
        path = f"library/{path}"
    if not at and ":" not in path.rsplit("/", 1)[-1]:
        path += ":latest"
    return f"{domain}/{path}" + (f"@{digest}" if at else "")


def loaded(cluster: Cluster) -> dict[str, str]:
    data = read_json(cluster.dir / "node-images.json") or {}
    return dict(data.get("images", {}))


def record(cluster: Cluster, images: dict[str, str]) -> None:
    """Add `{normalised ref: image id}`; concurrent loads into one cluster both land."""
    with _locked(cluster):
        current = loaded(cluster)
        current.update({normalise(ref): image_id for ref, image_id in images.items()})
        write_json_atomic(cluster.dir / "node-images.json", {"images": current})


def log_transfer(cluster: Cluster, tool: str, refs: list[str]) -> None:
    """`loads.log`: `epoch TOOL REF...` each time a load really copies images into the nodes."""
    with open(cluster.dir / "loads.log", "a") as log:
        log.write(f"{time.time():.6f} {tool} {' '.join(refs)}\n")


@contextmanager
def _locked(cluster: Cluster):
    with open(cluster.dir / "node-images.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
