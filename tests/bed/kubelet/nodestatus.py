"""Node `status.images` as the real kubelet publishes it, lag and cap included.

kubernetes/kubernetes pkg/kubelet/images/image_gc_manager.go: the image list is a cache the kubelet
refreshes from the runtime every 30 s (`wait.Until(..., 30*time.Second)`), sorted by size, largest
first. pkg/kubelet/nodestatus/setters.go (`Images`): at most `nodeStatusMaxImages` (50) images, each
with at most `MaxNamesPerImageInNodeStatus` (5) names, RepoDigests before RepoTags.
"""
from __future__ import annotations

import hashlib
import logging
import threading

from tests.bed.apiserver.errors import NotFound

from .images import NodeImages

log = logging.getLogger("bed.kubelet")

MAX_IMAGES = 50
MAX_NAMES = 5

# What a fresh node's runtime already holds besides what is loaded: (ref, size in bytes).
_SYSTEM = {
    "kind": [("docker.io/kindest/kindnetd:v20250512-df8de77b", 44_375_501),
             ("docker.io/kindest/local-path-helper:v20241212-8ac705d0", 3_084_671),
             ("docker.io/kindest/local-path-provisioner:v20250214-acbabc1a", 22_541_737),
             ("registry.k8s.io/coredns/coredns:v1.11.3", 18_562_039),
             ("registry.k8s.io/etcd:3.5.16-0", 57_680_541),
             ("registry.k8s.io/pause:3.10", 320_368)],
    "minikube": [("gcr.io/k8s-minikube/storage-provisioner:v5", 31_465_472),
                 ("registry.k8s.io/coredns/coredns:v1.11.3", 61_800_000),
                 ("registry.k8s.io/etcd:3.5.16-0", 148_000_000),
                 ("registry.k8s.io/pause:3.10", 736_000)],
}
_COMPONENTS = [("kube-apiserver", 28_000_000), ("kube-controller-manager", 26_000_000),
               ("kube-proxy", 30_000_000), ("kube-scheduler", 20_000_000)]


def system_images(flavor: str, k8s_version: str) -> list[tuple[str, str, int]]:
    """(ref, image id, size) of the images a node starts with; ids are stable per ref."""
    refs = _SYSTEM[flavor] + [(f"registry.k8s.io/{c}:{k8s_version}", s) for c, s in _COMPONENTS]
    return [(ref, "sha256:" + hashlib.sha256(ref.encode()).hexdigest(), size) for ref, size in refs]


def image_sizes(docker, ids: list[str]) -> dict[str, int]:
    """{image id: bytes} from the engine the loads came from; an id it lost counts as 0."""
    if not ids:
        return {}
    res = docker.run("image", "inspect", "--format", "{{.Id}} {{.Size}}", *ids)
    sizes = {}
    for line in res.out.splitlines():
        image_id, _, size = line.partition(" ")
        if size.isdigit():
            sizes[image_id] = int(size)
    return sizes


def image_list(flavor: str, k8s_version: str, loaded: dict[str, str], docker) -> list[dict]:
    """status.images for `loaded` ({normalised ref: id}): one entry per id, largest first, capped."""
    by_id: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for ref, image_id, size in system_images(flavor, k8s_version):
        by_id.setdefault(image_id, []).append(ref)
        sizes[image_id] = size
    for ref, image_id in sorted(loaded.items()):
        by_id.setdefault(image_id, []).append(ref)
    sizes.update(image_sizes(docker, [i for i in by_id if i not in sizes]))
    ordered = sorted(by_id, key=lambda i: (-sizes.get(i, 0), i))[:MAX_IMAGES]
    return [{"names": by_id[i][:MAX_NAMES], "sizeBytes": sizes.get(i, 0)} for i in ordered]


class NodeImageStatus:
    """Lists the node's images every `period` seconds (at once on start) and writes status.images
    of every node when the list changed; a load in between stays invisible until the next tick."""

    def __init__(self, store, opts, docker, node_images: NodeImages):
        self._store, self._opts, self._docker, self._node = store, opts, docker, node_images
        self._published: list[dict] | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bed-image-list", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh()
            except Exception:  # a failed listing keeps the old list, as the kubelet does
                log.exception("kubelet could not list the node's images")
            self._stop.wait(self._opts.image_list_period)

    def refresh(self) -> None:
        images = image_list(self._opts.flavor, self._opts.k8s_version, self._node.current(), self._docker)
        if images == self._published:
            return
        with self._store.lock:
            for name in self._opts.nodes:
                try:
                    node = self._store.get("v1", "Node", None, name)
                except NotFound:
                    continue
                node.setdefault("status", {})["images"] = images
                self._store.update_status(node)
        self._published = images
