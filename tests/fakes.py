"""Scripted doubles for unit tests: a runner that asserts the exact argv it receives, in order, and an
API reader that serves canned objects."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from clusterctl.profile.model import Cluster, Image, KindSettings, ManifestSource, MinikubeSettings, Profile
from clusterctl.runner import Command, Result


@dataclass
class Expected:
    argv: tuple[str, ...]
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    stdin: str | None = None  # when set, the command's stdin must equal it
    env: dict[str, str] | None = None  # when set, the command's own env must equal it


@dataclass
class Branches:
    """Command sequences that run alongside each other: each in order, interleaved freely."""

    branches: list[list[Expected]]


class FakeRunner:
    def __init__(self, tools: tuple[str, ...] = ("docker", "kind", "minikube", "kubectl")):
        self.tools = set(tools)
        self.script: list[Expected | Branches] = []
        self.calls: list[Command] = []
        self._lock = threading.Lock()
        self._branch: list[Expected] | None = None  # set while alongside() collects a branch

    def alongside(self, *branches) -> "FakeRunner":
        """alongside(lambda r: r.expect(...).expect(...), lambda r: r.expect(...)): concurrent sequences."""
        collected = []
        for fill in branches:
            self._branch = []
            fill(self)
            collected.append(self._branch)
        self._branch = None
        self.script.append(Branches(collected))
        return self

    def expect(self, *argv: str, returncode: int = 0, stdout: str = "", stderr: str = "",
               stdin: str | None = None, env: dict[str, str] | None = None) -> "FakeRunner":
        entry = Expected(tuple(argv), returncode, stdout, stderr, stdin, env)
        (self._branch if self._branch is not None else self.script).append(entry)
        return self

    def kind_cluster(self, name: str = "dev", state: str = "running") -> "FakeRunner":
        """The kind driver's state(): the cluster is listed, then its node containers are looked at."""
        return (self.expect("kind", "get", "clusters", stdout=f"{name}\n")
                .expect(*kind_nodes_argv(name), stdout=f"{name}-control-plane\t{state}\n"))

    def which(self, tool: str) -> str | None:
        return f"/usr/bin/{tool}" if tool in self.tools else None

    def _next(self, argv: tuple[str, ...]) -> Expected:
        assert self.script, f"unexpected command: {argv}"
        head = self.script[0]
        if isinstance(head, Expected):
            self.script.pop(0)
            return head
        for branch in head.branches:
            if branch and branch[0].argv == argv:
                expected = branch.pop(0)
                break
        else:
            expected = next((b[0] for b in head.branches if b), None)
        if not any(head.branches):
            self.script.pop(0)
        return expected

    def run(self, cmd: Command, on_output=None) -> Result:
        with self._lock:
            expected = self._next(cmd.argv)
        assert expected is not None and cmd.argv == expected.argv, f"expected {expected}\n     got {cmd.argv}"
        if expected.stdin is not None:
            assert cmd.stdin == expected.stdin, f"stdin of {cmd.argv}: {cmd.stdin!r}"
        if expected.env is not None:
            assert dict(cmd.env) == expected.env, f"env of {cmd.argv}: {sorted(cmd.env)}"
        self.calls.append(cmd)
        return Result(cmd.argv, expected.returncode, expected.stdout, expected.stderr, 0.01)

    def assert_done(self) -> None:
        assert not self.script, f"commands expected but not run: {[e.argv for e in self.script]}"


def kind_nodes_argv(name: str = "dev") -> tuple[str, ...]:
    return ("docker", "ps", "-a", "--filter", f"label=io.x-k8s.kind.cluster={name}", "--format", "{{.Names}}\t{{.State}}")


@dataclass
class FakeAPI:
    """GET path -> object, or None for 404; watches see no change."""

    objects: dict[str, dict] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    pod_logs: dict[tuple[str, str, bool], str] = field(default_factory=dict)  # (pod, container, previous)

    def get(self, path: str, query: dict | None = None) -> dict | None:
        self.requests.append(path)
        return self.objects.get(path)

    def logs(self, namespace: str, pod: str, container: str, previous: bool, tail: int) -> str:
        return self.pod_logs.get((pod, container, previous), "")

    def watch(self, path: str, resource_version: str, timeout_s: int):
        # Nothing changes in a unit test; end the stream after a moment, as a server would.
        self.requests.append(f"watch {path}")
        threading.Event().wait(0.2)
        return iter(())


class Silent:
    """A console that records what would be shown."""

    def __init__(self):
        self.lines: list[str] = []

    def __getattr__(self, name):
        def record(*args, **kwargs):
            self.lines.append(f"{name}: {args}")
            return (lambda line: None) if name == "tool_output" else None
        return record


KIND_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: kind-dev, cluster: {server: "https://127.0.0.1:40123", certificate-authority-data: Q0EK}}]
contexts: [{name: kind-dev, context: {cluster: kind-dev, user: kind-dev}}]
users: [{name: kind-dev, user: {}}]
"""  # what kind writes for cluster dev


def make_profile(tmp: Path, driver: str = "kind", images: tuple[str, ...] = ("bff",), manifests=(),
                 **cluster_kwargs) -> Profile:
    built = []
    for name in images:
        context = tmp / name
        context.mkdir(parents=True, exist_ok=True)
        (context / "Dockerfile").write_text("FROM scratch\nCOPY app /app\n")
        (context / "app").write_text(f"{name} v1\n")
        built.append(Image(name=name, context=context, dockerfile=context / "Dockerfile",
                           repository=f"ghcr.io/o/{name}"))
    cluster = Cluster(name="dev", driver=driver, kind=KindSettings(), minikube=MinikubeSettings(),
                      kubeconfig=tmp / "kubeconfig", **cluster_kwargs)
    sources = tuple(ManifestSource(Path(m), "file") for m in manifests)
    return Profile(name="dev", source=tmp / "dev.yaml", cluster=cluster, namespace="shop",
                   images=tuple(built), manifests=sources)


def stamp_as_created(ctx, api: FakeAPI) -> None:
    """What `up` leaves behind: the context's entry, clusterctl's record of it, the stamp in the cluster.
    Set CLUSTERCTL_HOME to a temporary directory first."""
    from clusterctl import identity
    from clusterctl.kubeconfig import endpoint

    ctx.kubeconfig.write_text(KIND_KUBECONFIG.replace("kind-dev", ctx.driver.context))
    stamp = identity.new_stamp(ctx.profile.name, ctx.driver.context, endpoint(ctx.kubeconfig, ctx.driver.context))
    identity.remember(ctx.kubeconfig, stamp)
    api.objects[f"/api/v1/namespaces/{identity.NAMESPACE}/configmaps/{identity.CONFIGMAP}"] = identity.configmap(stamp)
