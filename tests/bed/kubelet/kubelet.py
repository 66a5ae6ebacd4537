"""The stand-in kubelet: a PodWorker per pod bound to one of our nodes, real docker containers."""
from __future__ import annotations

import itertools
import logging
import threading
import time
from pathlib import Path

from tests.bed.apiserver.errors import NotFound

from .docker import Docker
from .dockerevents import ExitWatcher
from .images import ImageManager, NodeImages
from .nodestatus import NodeImageStatus
from .podworker import PodWorker
from .runspec import CLUSTER_LABEL, STATE_DIR_LABEL
from .starter import Starter

log = logging.getLogger("bed.kubelet")

_STOP = ("STOP", {})


class ReadyLog:
    """<state_dir>/pod-ready.log: `epoch ns/pod` each time a pod's Ready turns True."""

    def __init__(self, path: Path):
        self._path, self._lock = path, threading.Lock()

    def record(self, pod: dict) -> None:
        line = f"{time.time():.6f} {pod['metadata']['namespace']}/{pod['metadata']['name']}\n"
        with self._lock, open(self._path, "a") as f:
            f.write(line)


class Kubelet:
    def __init__(self, store, opts):
        self.store, self.opts = store, opts
        self.docker = Docker()
        self.scheme = "containerd"  # containerStatus IDs read containerd://<docker id>
        node_images = NodeImages(opts.state_dir)
        self.images = ImageManager(self.docker, store, node_images)
        self.image_status = NodeImageStatus(store, opts, self.docker, node_images)
        self.starter = Starter(self)
        self.ready_log = ReadyLog(Path(opts.state_dir) / "pod-ready.log")
        self.allocatable = {"cpu": opts.node_cpu, "memory": opts.node_memory}
        self.label = f"{STATE_DIR_LABEL}={opts.state_dir}"  # not the name: another bed's cluster may share it
        self._pods = (CLUSTER_LABEL, self.label)  # pod containers; the node containers have no CLUSTER_LABEL
        self._workers: dict[str, PodWorker] = {}
        self._lock = threading.Lock()
        self._pod_ips = {n: itertools.cycle(range(2, 255)) for n in opts.nodes}
        self._events = store.subscribe()
        self._exits = ExitWatcher(self.docker, self.label, self._container_exited)
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="bed-kubelet", daemon=True)

    def start(self) -> None:
        self.docker.remove(self.docker.ids_with_label(*self._pods))  # left by a killed run
        self._exits.start()
        self.image_status.start()
        for pod in self.store.list("v1", "Pod"):
            self._consider("ADDED", pod)
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        self._events.put(_STOP)
        self._thread.join(timeout=5)
        with self._lock:
            workers = list(self._workers.values())
        for w in workers:
            w.stop()
        for w in workers:
            w.join(timeout=10)
        self._exits.stop()
        self.image_status.stop()
        self.docker.remove(self.docker.ids_with_label(*self._pods))
        self.store.unsubscribe(self._events)

    def forget(self, worker: PodWorker) -> None:
        with self._lock:
            if self._workers.get(worker.uid) is worker:
                del self._workers[worker.uid]

    def remove_pod(self, pod: dict) -> None:
        """The kubelet's final DELETE (grace 0, this pod's UID only) once its containers are gone."""
        meta = pod["metadata"]
        with self.store.lock:
            try:
                live = self.store.get("v1", "Pod", meta["namespace"], meta["name"])
            except NotFound:
                return
            if live["metadata"]["uid"] == meta["uid"]:
                self.store.delete("v1", "Pod", meta["namespace"], meta["name"], grace_period=0)

    def _run(self) -> None:
        while not self._stopped:
            type_, obj = self._events.get()
            try:
                if obj.get("kind") == "Pod":
                    self._consider(type_, obj)
            except Exception:  # one bad pod must not stop the node
                log.exception("kubelet could not handle a pod event")

    def _consider(self, type_: str, pod: dict) -> None:
        node = (pod.get("spec") or {}).get("nodeName")
        if node not in self.opts.nodes:
            return
        uid = pod["metadata"]["uid"]
        with self._lock:
            worker = self._workers.get(uid)
            if type_ == "DELETED" or pod["metadata"].get("deletionTimestamp"):
                if worker:
                    worker.terminate(pod)
                elif type_ != "DELETED":
                    self.remove_pod(pod)  # nothing of it runs here
                return
            if worker:
                worker.update(pod)
                return
            index = self.opts.nodes.index(node)
            worker = PodWorker(self, pod, f"10.244.{index}.{next(self._pod_ips[node])}",
                               self._host_ip(node))
            self._workers[uid] = worker
        worker.start()

    def _container_exited(self, pod_uid: str, container_id: str) -> None:
        with self._lock:
            worker = self._workers.get(pod_uid)
        if worker:
            worker.container_exited()

    def _host_ip(self, node_name: str) -> str:
        try:
            node = self.store.get("v1", "Node", None, node_name)
        except NotFound:
            return "172.18.0.2"
        addresses = (node.get("status") or {}).get("addresses") or []
        return next((a["address"] for a in addresses if a.get("type") == "InternalIP"),
                    "172.18.0.2")
