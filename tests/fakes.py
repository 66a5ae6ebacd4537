"""Scripted doubles for unit tests: a runner that asserts the exact argv it receives, in order, and an
API reader that serves canned objects."""

from __future__ import annotations

import copy
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
    env: dict | None = None  # when set, the command's own environment (Command.env) must equal it


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
               stdin: str | None = None, env: dict | None = None) -> "FakeRunner":
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
            assert dict(cmd.env) == expected.env, f"environment of {cmd.argv}: {dict(cmd.env)!r}"
        self.calls.append(cmd)
        return Result(cmd.argv, expected.returncode, expected.stdout, expected.stderr, 0.01)

    def assert_done(self) -> None:
        assert not self.script, f"commands expected but not run: {[e.argv for e in self.script]}"


def kind_nodes_argv(name: str = "dev") -> tuple[str, ...]:
    return ("docker", "ps", "-a", "--filter", f"label=io.x-k8s.kind.cluster={name}", "--format", "{{.Names}}\t{{.State}}")


@dataclass
class FakeAPI:
    """GET path -> object, or None for 404; watches see no change; writes are recorded, and those listed in
    `refuse` raise that refusal as the real client does."""

    objects: dict[str, dict] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    pod_logs: dict[tuple[str, str, bool], str] = field(default_factory=dict)  # (pod, container, previous)
    writes: list[tuple[str, str, dict | None]] = field(default_factory=list)  # (method, path, body)
    refuse: dict[tuple[str, str], Exception] = field(default_factory=dict)  # (method, path) -> Refused

    def get(self, path: str, query: dict | None = None) -> dict | None:
        """A LIST answered as the API server does: only the items its labelSelector and fieldSelector
        match. A query the fake does not understand fails the test rather than being ignored."""
        self.requests.append(path)
        found = self.objects.get(path)
        unknown = set(query or {}) - {"labelSelector", "fieldSelector"}
        assert not unknown, f"FakeAPI does not answer the query parameters {sorted(unknown)} of {path}"
        if not query or found is None:
            return found
        assert "items" in found, f"a selector on {path}, which is not a collection"
        labels = _requirements(query.get("labelSelector", ""))
        fields = _requirements(query.get("fieldSelector", ""))
        return {**found, "items": [item for item in found["items"]
                                   if all(r(item.get("metadata", {}).get("labels") or {}) for r in labels)
                                   and all(r(_fields(item)) for r in fields)]}

    def write(self, method: str, path: str, body: dict | None = None) -> dict:
        self.writes.append((method, path, copy.deepcopy(body)))
        if (method, path) in self.refuse:
            raise self.refuse[(method, path)]
        return copy.deepcopy(body) or {}

    def logs(self, namespace: str, pod: str, container: str, previous: bool, tail: int) -> str:
        return self.pod_logs.get((pod, container, previous), "")

    def watch(self, path: str, resource_version: str, timeout_s: int):
        # Nothing changes in a unit test; end the stream after a moment, as a server would.
        self.requests.append(f"watch {path}")
        threading.Event().wait(0.2)
        return iter(())


def _requirements(selector: str) -> list:
    """The requirements of an equality-based selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated),
    each a test of a {key: value} map. As kubernetes/apimachinery pkg/labels/selector.go (Requirement.Matches)
    `k!=v` also matches where k is absent. Set-based requirements (`in`, `notin`) are refused: clusterctl
    sends none."""
    found = []
    for part in filter(None, (p.strip() for p in selector.split(","))):
        assert " in " not in part and " notin " not in part, f"FakeAPI does not answer set-based selectors: {part}"
        if "!=" in part:
            key, value = part.split("!=", 1)
            found.append(lambda m, k=key.strip(), v=value.strip(): m.get(k) != v)
        elif "=" in part:
            key, value = part.replace("==", "=", 1).split("=", 1)
            found.append(lambda m, k=key.strip(), v=value.strip(): k in m and m[k] == v)
        elif part.startswith("!"):
            found.append(lambda m, k=part[1:].strip(): k not in m)
        else:
            found.append(lambda m, k=part: k in m)
    return found


def _fields(item: dict) -> dict:
    """An object's fields by dotted path (`metadata.name`, `involvedObject.name`), as field selectors name
    them."""
    flat = {}

    def walk(node, prefix):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, (str, int, bool)):
                flat[f"{prefix}{key}"] = str(value)
    walk(item, "")
    return flat


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
