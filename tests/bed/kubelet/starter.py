"""Starting one container: its image, its environment, `docker run`, and the events around them."""
from __future__ import annotations

import time

from . import env, runspec
from .images import ImageError
from .slot import Instance, Slot, now_rfc3339


class Starter:
    def __init__(self, kubelet):
        self.k = kubelet

    def start(self, worker, slot: Slot) -> None:
        pod, docker = worker.pod, self.k.docker
        try:
            image = self.k.images.ensure(pod, slot.spec, slot.pull, worker.event)
        except ImageError as e:
            self._image_failed(worker, slot, e)
            return
        try:
            variables = env.resolve(self.k.store, pod, slot.spec, self.k.allocatable)
        except env.ConfigError as e:
            self._failed(worker, slot, "CreateContainerConfigError", str(e))
            return
        docker.remove([i.id for i in slot.instances[:-1]])  # keep one for `logs --previous`
        slot.instances = slot.instances[-1:]
        attempt = slot.starts
        res = runspec.start(docker, self.k.opts, pod, slot.spec, image, attempt, variables)
        if res.code == 0:
            self._started(worker, slot, Instance(res.out.strip(), attempt, image, now_rfc3339()))
            return
        created = docker.inspect(runspec.container_name(pod, slot.name, attempt))
        if not created:
            self._failed(worker, slot, "CreateContainerError", res.message)
            return
        slot.starts += 1  # it exists but did not start: a StartError exit, then back-off
        slot.instances.append(self._start_error(created[0]["Id"], attempt, image, res.message))
        slot.waiting = None
        worker.event("Warning", "Failed", f"Error: {res.message}")

    def _started(self, worker, slot: Slot, instance: Instance) -> None:
        slot.starts += 1
        slot.instances.append(instance)
        slot.waiting, slot.ready, slot.retry_at = None, False, 0.0
        worker.arm_probes(slot)
        worker.event("Normal", "Created", f"Created container: {slot.name}")
        worker.event("Normal", "Started", f"Started container {slot.name}")

    def _start_error(self, container_id: str, attempt: int, image, message: str) -> Instance:
        now = now_rfc3339()
        instance = Instance(container_id, attempt, image, now)
        instance.exit = {"exitCode": 128, "reason": "StartError", "message": message,
                         "startedAt": "1970-01-01T00:00:00Z", "finishedAt": now,
                         "containerID": f"{self.k.scheme}://{container_id}"}
        instance.finished = time.monotonic()
        return instance

    def _image_failed(self, worker, slot: Slot, e: ImageError) -> None:
        worker.event("Warning", "Failed", f"Error: {e.reason}")
        slot.waiting = (e.reason, e.message)
        if e.reason == "ErrImagePull":
            wait = slot.pull.remaining() / 2  # show ErrImagePull, then ImagePullBackOff
        elif e.reason == "ImagePullBackOff":
            wait = slot.pull.remaining()
        else:
            wait = self.k.opts.backoff_cap
        slot.retry_at = time.monotonic() + wait

    def _failed(self, worker, slot: Slot, reason: str, message: str) -> None:
        if slot.waiting != (reason, message):
            worker.event("Warning", "Failed", f"Error: {message}")
        slot.waiting = (reason, message)
        slot.retry_at = time.monotonic() + self.k.opts.backoff_base
