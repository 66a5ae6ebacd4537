"""Rules on the pod spec of a workload: resources, probes, images, privileges, volumes and shutdown timing."""

from __future__ import annotations

import re
from typing import Iterator

from clusterctl.imageref import ImageRef, same_repository
from clusterctl.lint.catalog import finding
from clusterctl.lint.model import Finding
from clusterctl.lint.objects import BATCH_KINDS, Container, containers, items, line_of, mapping, name_of, pod_template

DEFAULT_GRACE_SECONDS = 30
_SLEEP = re.compile(r"\bsleep\s+(\d+(?:\.\d+)?)([smh]?)\b")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


def check(obj: dict, file: str, managed_images: tuple[str, ...] = ()) -> Iterator[Finding]:
    template = pod_template(obj)
    if template is None:
        return
    spec = template.spec
    where = f"{obj.get('kind')} {name_of(obj)}"
    yield from host_path(spec, file, where)
    for container in containers(spec):
        label = f"{where}: {'init container' if container.init else 'container'} {container.name}"
        yield from resources(container, file, label)
        if not container.init and obj.get("kind") not in BATCH_KINDS:
            yield from probes(container, file, label)
        yield from image(container, file, label, managed_images)
        yield from privileged(container, file, label)
        yield from run_as_non_root(spec, container, file, label)
        yield from pre_stop(spec, container, file, label)


def resources(container: Container, file: str, label: str) -> Iterator[Finding]:
    res = mapping(container.data, "resources")
    missing = [part for part in ("requests", "limits") if not mapping(res, part)]
    if missing:
        line = line_of(container.data, "resources", container.line)
        yield finding("K8S004", file, line, f"{label} has no resources.{' or resources.'.join(missing)}")


def probes(container: Container, file: str, label: str) -> Iterator[Finding]:
    missing = [p for p in ("readinessProbe", "livenessProbe") if not mapping(container.data, p)]
    if missing:
        yield finding("K8S005", file, container.line, f"{label} has no {' or '.join(missing)}")


def image(container: Container, file: str, label: str, managed: tuple[str, ...]) -> Iterator[Finding]:
    ref_text = container.data.get("image")
    if not isinstance(ref_text, str) or any(same_repository(ref_text, m) for m in managed):
        return  # images the profile builds are pinned to their content tag by clusterctl
    ref = ImageRef.parse(ref_text)
    if ref.digest is None and ref.tag in (None, "latest"):
        line = line_of(container.data, "image", container.line)
        yield finding("K8S006", file, line, f"{label} uses image {ref_text}, which can change under the same name")


def privileged(container: Container, file: str, label: str) -> Iterator[Finding]:
    context = mapping(container.data, "securityContext")
    if context.get("privileged") is True:
        yield finding("K8S007", file, line_of(context, "privileged", container.line), f"{label} is privileged: root on the node")


def run_as_non_root(spec: dict, container: Container, file: str, label: str) -> Iterator[Finding]:
    own = mapping(container.data, "securityContext").get("runAsNonRoot")
    setting = own if own is not None else mapping(spec, "securityContext").get("runAsNonRoot")
    if setting is not True:
        context = mapping(container.data, "securityContext")
        line = line_of(context, "runAsNonRoot", line_of(container.data, "securityContext", container.line))
        state = "is false" if setting is False else "is not set"
        yield finding("K8S009", file, line, f"{label}: runAsNonRoot {state}, so the image may run as root")


def host_path(spec: dict, file: str, where: str) -> Iterator[Finding]:
    for volume in items(spec, "volumes"):
        source = mapping(volume, "hostPath")
        if source:
            line = line_of(volume, "hostPath")
            yield finding("K8S008", file, line, f"{where}: volume {volume.get('name', '?')} mounts {source.get('path', '?')} from the node")


def pre_stop(spec: dict, container: Container, file: str, label: str) -> Iterator[Finding]:
    hook = mapping(container.data, "lifecycle", "preStop")
    seconds = _sleep_seconds(hook)
    grace = spec.get("terminationGracePeriodSeconds")
    grace = grace if isinstance(grace, (int, float)) and not isinstance(grace, bool) else DEFAULT_GRACE_SECONDS
    if seconds is not None and seconds >= grace:
        line = line_of(mapping(container.data, "lifecycle"), "preStop", container.line)
        yield finding(
            "K8S014", file, line,
            f"{label}: preStop sleeps {seconds:g}s but terminationGracePeriodSeconds is {grace:g}, "
            "so the app is killed without a graceful SIGTERM",
        )


def _sleep_seconds(hook: dict) -> float | None:
    native = mapping(hook, "sleep").get("seconds")
    if isinstance(native, (int, float)) and not isinstance(native, bool):
        return float(native)
    command = items(mapping(hook, "exec"), "command")
    found = _SLEEP.findall(" ".join(str(c) for c in command))
    return sum(float(n) * _UNIT[unit] for n, unit in found) if found else None
