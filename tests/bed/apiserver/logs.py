"""GET pods/{name}/log, answered by the log provider the kubelet registers on the server.

The provider is `callable(namespace, pod, container, previous, tail_lines, follow)` returning an
iterator of bytes; it may raise LogError (or any ValueError) whose message becomes a 400, as the
real kubelet's refusals do.
"""
from __future__ import annotations

import time

from . import status
from .errors import NotFound
from .resources import BUILTIN

_PODS = next(r for r in BUILTIN if r.kind == "Pod")


class LogError(ValueError):
    pass


def serve(api, req, namespace: str, name: str) -> None:
    try:
        pod = api.store.get("v1", "Pod", namespace, name)
    except NotFound:
        raise status.not_found(_PODS, name) from None
    container = _container(pod, req.query.get("container"))
    previous = _flag(req.query.get("previous"))
    _check_state(pod, container, previous)
    if api.log_provider is None:
        raise status.bad_request(f'container "{container}" in pod "{name}" is waiting to start: '
                                 "ContainerCreating")
    tail = _int(req.query.get("tailLines"), "tailLines")
    follow = _flag(req.query.get("follow"))
    try:
        chunks = iter(api.log_provider(namespace, name, container, previous, tail, follow))
        first = next(chunks, b"")
    except ValueError as exc:
        raise status.bad_request(str(exc)) from None
    stamp = _stamper() if _flag(req.query.get("timestamps")) else (lambda b: b)
    req.start_stream("text/plain")
    req.write_chunk(stamp(first))
    for chunk in chunks:
        if api.stopping.is_set():
            break
        req.write_chunk(stamp(chunk))
    req.end_stream()


def _container(pod: dict, wanted: str | None) -> str:
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    init = [c["name"] for c in spec.get("initContainers") or []]
    pod_name = pod["metadata"]["name"]
    if not wanted:
        if len(names) == 1:
            return names[0]
        raise status.bad_request(f"a container name must be specified for pod {pod_name}, "
                                 f"choose one of: [{' '.join(names)}]")
    if wanted not in names + init:
        raise status.bad_request(f"container {wanted} is not valid for pod {pod_name}")
    return wanted


def _check_state(pod: dict, container: str, previous: bool) -> None:
    pod_name = pod["metadata"]["name"]
    st = pod.get("status") or {}
    statuses = (st.get("containerStatuses") or []) + (st.get("initContainerStatuses") or [])
    cs = next((s for s in statuses if s.get("name") == container), None)
    last = ((cs or {}).get("lastState") or {}).get("terminated")
    if previous and not last:
        raise status.bad_request(f'previous terminated container "{container}" in pod '
                                 f'"{pod_name}" not found')
    waiting = ((cs or {}).get("state") or {}).get("waiting") if cs else {"reason": None}
    if not previous and waiting is not None and not last:
        reason = (waiting or {}).get("reason") or "ContainerCreating"
        if reason in ("ErrImagePull", "ImagePullBackOff"):
            reason = "trying and failing to pull image"
        raise status.bad_request(f'container "{container}" in pod "{pod_name}" is waiting to '
                                 f"start: {reason}")


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("true", "1")


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise status.bad_request(f"invalid {field}: {value}") from None


def _stamper():
    """Prefix lines with the time they are served (RFC3339Nano), kubectl's --timestamps format."""
    pending = {"at_line_start": True}

    def stamp(chunk: bytes) -> bytes:
        out = bytearray()
        for line in chunk.splitlines(keepends=True):
            if pending["at_line_start"]:
                now = time.time()
                out += time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)).encode()
                out += b".%09dZ " % int((now % 1) * 1e9)
            out += line
            pending["at_line_start"] = line.endswith(b"\n")
        return bytes(out)
    return stamp
