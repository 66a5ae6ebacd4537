"""`clusterctl logs SERVICE`: the logs of the pods behind one image of the profile (the workloads whose
containers use it, as redeploy finds them) or behind one workload named `kind/name`.

The logs are read with `kubectl logs` through the runner, one process per container, rather than from
the API client: kubectl handles every kubeconfig auth flavour and keeps a quiet `--follow` stream open
(our API client gives up on a read after 30 s), Ctrl-C stops the processes like any other command, and
-v shows exactly what runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from clusterctl import guard
from clusterctl.errors import BadInput, ClusterctlError
from clusterctl.imageref import same_repository
from clusterctl.kube import paths
from clusterctl.kube.paths import WORKLOAD_KINDS
from clusterctl.manifests.bundle import render_batches
from clusterctl.manifests.render import uses_image
from clusterctl.podstate import pods_of
from clusterctl.runner import Command
from clusterctl.waiter import Workload

KIND_NAMES = {k.lower(): k for k in WORKLOAD_KINDS} | {
    "deploy": "Deployment", "deployments": "Deployment", "sts": "StatefulSet", "ds": "DaemonSet",
    "rs": "ReplicaSet", "po": "Pod", "pods": "Pod", "jobs": "Job"}


@dataclass(frozen=True)
class Selection:
    workloads: list[Workload]
    repository: str | None  # only the containers running this image; None: every container


@dataclass(frozen=True)
class Target:
    namespace: str
    pod: str
    container: str


@dataclass(frozen=True)
class LogOptions:
    follow: bool = False
    tail: int | None = None
    previous: bool = False


def select(ctx, service: str) -> Selection:
    objects = [o for b in render_batches(ctx) for o in b.objects if o.kind in WORKLOAD_KINDS]
    if "/" in service:
        kind, _, name = service.partition("/")
        canonical = KIND_NAMES.get(kind.lower())
        if canonical is None or not name:
            raise BadInput(f"{service!r} does not name a workload",
                           hint="use kind/name, e.g. deployment/web (kinds: " + ", ".join(WORKLOAD_KINDS) + ")")
        found = [o for o in objects if o.kind == canonical and o.name == name]
        return Selection([Workload(canonical, found[0].namespace if found else ctx.profile.namespace, name)], None)
    image = next((i for i in ctx.profile.images if i.name == service), None)
    if image is None:
        names = ", ".join(i.name for i in ctx.profile.images) or "none"
        raise BadInput(f"profile {ctx.profile.name!r} has no image {service!r}",
                       hint=f"its images: {names}; or name a workload as kind/name, e.g. deployment/web")
    found = [o for o in objects if uses_image(o.obj, image.repository)]
    if not found:
        raise BadInput(f"no workload of profile {ctx.profile.name!r} runs image {service!r} ({image.repository})")
    return Selection([Workload(o.kind, o.namespace, o.name) for o in found], image.repository)


def targets(ctx, selection: Selection) -> list[Target]:
    found: list[Target] = []
    pods_by_namespace: dict[str, list[dict]] = {}
    missing = []
    for w in selection.workloads:
        obj = ctx.api.get(paths.item(w.kind, w.namespace, w.name))
        if obj is None:
            missing.append(f"{w.key} (namespace {w.namespace})")
            continue
        obj.setdefault("kind", w.kind)
        if w.namespace not in pods_by_namespace:
            pods_by_namespace[w.namespace] = (ctx.api.get(paths.collection("Pod", w.namespace)) or {}).get("items") or []
        for pod in sorted(pods_of(obj, pods_by_namespace[w.namespace]), key=_age):
            for container in (pod.get("spec") or {}).get("containers") or []:
                if selection.repository is None or same_repository(container.get("image", ""), selection.repository):
                    found.append(Target(w.namespace, pod["metadata"]["name"], container["name"]))
    if missing and not found:
        raise ClusterctlError(f"not in the cluster: {', '.join(missing)}", hint=f"run `clusterctl up {ctx.profile.name}`")
    if not found:
        raise ClusterctlError(f"no pods yet for {', '.join(w.key for w in selection.workloads)}",
                              hint=f"`clusterctl status {ctx.profile.name}` shows why")
    return found


def _age(pod: dict) -> tuple[str, str]:
    meta = pod.get("metadata") or {}
    return meta.get("creationTimestamp") or "", meta.get("name", "")


def command(ctx, target: Target, options: LogOptions) -> Command:
    args = ["logs", "-n", target.namespace, target.pod, "-c", target.container]
    if options.tail is not None:
        args += ["--tail", str(options.tail)]
    if options.previous:
        args.append("--previous")
    if options.follow:
        args.append("--follow")
    return ctx.kubectl.command(*args)


def show_logs(ctx, service: str, options: LogOptions) -> int:
    guard.verify(ctx)  # before the first request, ours or kubectl's
    found = targets(ctx, select(ctx, service))
    prefix = (lambda t: f"[{t.pod}/{t.container}] ") if len(found) > 1 else (lambda t: "")
    failures = _follow(ctx, found, options, prefix) if options.follow else _read(ctx, found, options, prefix)
    if failures:
        raise ClusterctlError(f"could not read the logs of {len(failures)} of {len(found)} container(s)",
                              details=failures, hint=f"`clusterctl status {ctx.profile.name}` shows why")
    return 0


def _failure(target: Target, result) -> str:
    said = (result.stderr or result.stdout).strip().splitlines()
    return f"{target.pod}/{target.container}: " + (said[-1] if said else f"kubectl exited {result.returncode}")


def _read(ctx, found: list[Target], options: LogOptions, prefix) -> list[str]:
    failures = []
    for target in found:
        result = ctx.runner.run(command(ctx, target, options))
        if not result.ok:
            failures.append(_failure(target, result))
            continue
        for line in result.stdout.splitlines():
            ctx.console.print(prefix(target) + line)
    return failures


def _follow(ctx, found: list[Target], options: LogOptions, prefix) -> list[str]:
    """Stream every container at once until each stream ends; Ctrl-C stops them all and is success."""
    failures: list[str] = []

    def stream(target: Target) -> None:
        try:
            result = ctx.runner.run(command(ctx, target, options), lambda line: ctx.console.print(prefix(target) + line))
        except ClusterctlError as exc:
            failures.append(f"{target.pod}/{target.container}: {exc.message}")
            return
        if not result.ok and result.returncode > 0:
            failures.append(_failure(target, result))

    threads = [threading.Thread(target=stream, args=(t,), daemon=True) for t in found]
    for thread in threads:
        thread.start()
    try:  # Ctrl-C and SIGTERM (the error handler maps it) both arrive as KeyboardInterrupt
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except KeyboardInterrupt:
        if hasattr(ctx.runner, "terminate_all"):
            ctx.runner.terminate_all()
        return []
    return failures
