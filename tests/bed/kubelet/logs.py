"""`kubectl logs`: which docker container answers, or the API server's/kubelet's refusal."""
from __future__ import annotations

from typing import Iterator


def provider(store, docker):
    def logs(namespace: str, pod: str, container: str | None, previous: bool,
             tail_lines: int | None, follow: bool) -> Iterator[bytes]:
        obj = store.get("v1", "Pod", namespace, pod)
        name = _container(obj, container)
        if not obj["spec"].get("nodeName"):
            return iter(())  # the API server answers an unscheduled pod with no logs
        container_id = _container_id(obj, name, previous)
        if not docker.inspect(container_id):  # replaced by a restart since that status
            raise ValueError(f'container "{name}" in pod "{pod}" is not available')
        return _stream(docker, container_id, tail_lines, follow)

    return logs


def _container(pod: dict, name: str | None) -> str:
    """validateContainer in the API server's pod log REST."""
    spec, pod_name = pod["spec"], pod["metadata"]["name"]
    names = [c["name"] for c in (spec.get("initContainers") or []) + spec["containers"]]
    if not name:
        if len(spec["containers"]) == 1:
            return spec["containers"][0]["name"]
        raise ValueError(f"a container name must be specified for pod {pod_name}, "
                         f"choose one of: [{' '.join(names)}]")
    if name not in names:
        raise ValueError(f"container {name} is not valid for pod {pod_name}")
    return name


def _container_id(pod: dict, name: str, previous: bool) -> str:
    """validateContainerLogStatus in the kubelet."""
    status = pod.get("status") or {}
    pod_name = pod["metadata"]["name"]
    found = next((s for s in (status.get("containerStatuses") or [])
                  + (status.get("initContainerStatuses") or []) if s["name"] == name), None)
    if found is None:
        raise ValueError(f'container "{name}" in pod "{pod_name}" is not available')
    state, last = found.get("state") or {}, (found.get("lastState") or {}).get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise ValueError(
                f'previous terminated container "{name}" in pod "{pod_name}" not found')
        return _docker_id(last["containerID"])
    if "running" in state or "terminated" in state:
        return _docker_id(found["containerID"])
    if last and last.get("containerID"):
        return _docker_id(last["containerID"])
    reason = (state.get("waiting") or {}).get("reason", "")
    if reason == "ErrImagePull":
        reason = "image can't be pulled"
    elif reason == "ImagePullBackOff":
        reason = "trying and failing to pull image"
    raise ValueError(f'container "{name}" in pod "{pod_name}" is waiting to start: {reason}')


def _docker_id(container_id: str) -> str:
    return container_id.split("://", 1)[-1]


def _stream(docker, container_id: str, tail: int | None, follow: bool) -> Iterator[bytes]:
    proc = docker.logs(container_id, tail, follow)
    try:
        while chunk := proc.stdout.read1(65536):
            yield chunk
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait()
        proc.stdout.close()
