"""A throwaway clusterctl project on disk for integration tests, and ways to look at what a run did.

    project = Project(bed_env.root / "app", name="life")
    project.image("web", cmd="httpd -f -p 8080")
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()                    # every context under images/, every k8s/*.yaml
    code, report, out, err = project.run(bed_env, "up")
    project.remove_images()              # what the runs built, and nothing of anyone else's
"""
from __future__ import annotations

import json
import json as _json  # `run` has a `json` flag
import secrets
import shutil
import subprocess
import contextlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.bed.fixtures import AS_ROOT_FORCE, BedEnv, cleanup_clusters
from tests.bed.fakecli.state import REPO_ROOT, Cluster

FAST = {"CLUSTERCTL_BED_READY_AFTER": "0.2", "CLUSTERCTL_BED_BACKOFF_BASE": "0.2"}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Result:
    code: int
    report: dict | None
    stdout: str
    stderr: str

    def __iter__(self):  # code, report, out, err = project.run(...)
        return iter((self.code, self.report, self.stdout, self.stderr))

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Project:
    """Files under `root`: images/<name>/ contexts, k8s/ manifests and profile.yaml."""

    def __init__(self, root: Path, name: str = "itest", driver: str = "kind", namespace: str = "demo",
                 registry: str | None = None):
        self.root = Path(root)
        self.name, self.driver, self.namespace = name, driver, namespace
        # A prefix of our own, so removing our images never touches another test's.
        self.registry = registry or f"bed.local/t{secrets.token_hex(4)}"
        self.root.mkdir(parents=True, exist_ok=True)
        self.profile_path = self.root / "profile.yaml"

    def image(self, name: str, cmd: list[str] | str = "sleep 3600", user: str | None = None,
              files: dict[str, str | bytes] | None = None, entrypoint: list[str] | None = None,
              dockerignore: str = "*.log\n") -> Path:
        """A `FROM scratch` busybox context; `files` are copied to `/` (relative names)."""
        context = self.root / "images" / name
        context.mkdir(parents=True, exist_ok=True)
        shutil.copy2("/usr/bin/busybox", context / "busybox")
        lines = ["FROM scratch", "COPY busybox /bin/busybox",
                 'RUN ["/bin/busybox", "--install", "-s", "/bin"]']
        for rel, content in (files or {}).items():
            self.write(context / "files" / rel, content)
            lines.append(f"COPY files/{rel} /{rel}")
        if user:
            lines.append(f"USER {user}")
        if entrypoint:
            lines.append(f"ENTRYPOINT {json.dumps(entrypoint)}")
        argv = cmd if isinstance(cmd, list) else ["/bin/sh", "-c", cmd]
        lines.append(f"CMD {json.dumps(argv)}")
        (context / "Dockerfile").write_text("\n".join(lines) + "\n")
        (context / ".dockerignore").write_text(dockerignore)
        return context

    def manifest(self, filename: str, *docs: dict | str) -> str:
        """k8s/<filename> from dicts or YAML text; returns the path relative to the profile."""
        text = "---\n".join(d if isinstance(d, str) else yaml.safe_dump(d, sort_keys=False) for d in docs)
        self.write(self.root / "k8s" / filename, text)
        return f"k8s/{filename}"

    def profile(self, images: list[dict] | None = None, manifests: list[str] | None = None,
                timeout: str = "60s", **overrides) -> Path:
        """profile.yaml; `overrides` replace top-level keys (`cluster`, `shipping`, `secrets`, ...)."""
        cluster = {"name": self.name, "driver": self.driver}
        if self.driver == "minikube" and AS_ROOT_FORCE:
            # clusterctl passes --force only when the profile says so (tests/integration/test_minikube_root.py).
            cluster["minikube"] = {"extraArgs": list(AS_ROOT_FORCE)}
        body = {
            "apiVersion": "clusterctl.dev/v1alpha1",
            "kind": "Profile",
            "cluster": cluster,
            "namespace": self.namespace,
            "shipping": {"mode": "load", "registry": self.registry},
            "images": images if images is not None else [
                {"name": p.name, "context": f"images/{p.name}"}
                for p in sorted((self.root / "images").glob("*"))],
            "manifests": manifests if manifests is not None else sorted(
                f"k8s/{p.name}" for p in (self.root / "k8s").glob("*.yaml")),
            "wait": {"timeout": timeout},
            **overrides,
        }
        self.profile_path.write_text(yaml.safe_dump(body, sort_keys=False))
        return self.profile_path

    @staticmethod
    def write(path: Path, content: str | bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)

    def run(self, bed_env: BedEnv, *args: str, json: bool = True, profile: bool = True,
            env: dict[str, str] | None = None, timeout: float = 240) -> Result:
        """`python -m clusterctl VERB [profile.yaml] ARGS... [--output json]` in the bed_env."""
        verb, rest = args[0], list(args[1:])
        argv = ["python", "-m", "clusterctl", verb]
        if profile:
            argv += (["-p"] if verb == "redeploy" else []) + [str(self.profile_path)]
        argv += rest + (["--output", "json"] if json else [])
        done = bed_env.run(argv, timeout=timeout,
                           env={**FAST, "PYTHONPATH": str(REPO_ROOT), **(env or {})})
        report = None
        if json and done.stdout.strip():
            try:
                report = _json.loads(done.stdout)
            except ValueError:
                report = None
        return Result(done.returncode, report, done.stdout, done.stderr)

    def repo(self, image: str) -> str:
        """The repository clusterctl gives image `image` (what manifests name)."""
        return f"{self.registry}/{image}"

    def local_images(self) -> dict[str, str]:
        """{repo:tag: image id} of every local image under our registry prefix."""
        listed = docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout.splitlines()
        return dict(line.split() for line in listed if line.startswith(self.registry + "/"))

    def remove_images(self) -> None:
        if tags := list(self.local_images()):
            docker("rmi", "-f", *tags)

    def cluster(self, bed_env: BedEnv) -> Cluster:
        return bed_env.cluster(self.driver, self.name)

    @property
    def context(self) -> str:
        return f"kind-{self.name}" if self.driver == "kind" else self.name


def deployment(name: str, image: str, replicas: int = 1, container: dict | None = None,
               pod: dict | None = None) -> dict:
    """A Deployment of one container `name` running `image`; `container`/`pod` add fields."""
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": name, "image": image, **(container or {})}],
                                       **(pod or {})}}},
    }


def job(name: str, image: str, backoff_limit: int = 1, container: dict | None = None) -> dict:
    return {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
        "spec": {"backoffLimit": backoff_limit,
                 "template": {"spec": {"restartPolicy": "Never",
                                       "containers": [{"name": name, "image": image, **(container or {})}]}}},
    }


# --- what a run did, seen from outside ---------------------------------------------------------

def requests_mark(cluster: Cluster) -> int:
    """How many lines requests.log has now; pass it to `requests_since`."""
    path = cluster.dir / "requests.log"
    return len(path.read_text().splitlines()) if path.exists() else 0


def requests_since(cluster: Cluster, mark: int) -> list[str]:
    """requests.log lines (`epoch METHOD PATH?QUERY STATUS`) appended after `mark`."""
    path = cluster.dir / "requests.log"
    return path.read_text().splitlines()[mark:] if path.exists() else []


def writes(lines: list[str]) -> list[str]:
    return [line for line in lines if len(line.split()) > 1 and line.split()[1] in WRITES]


def node_images(cluster: Cluster) -> dict[str, str]:
    path = cluster.dir / "node-images.json"
    return json.loads(path.read_text()).get("images", {}) if path.exists() else {}


def pods(bed_env: BedEnv, namespace: str, context: str | None = None) -> list[dict]:
    """[{name, uid, image, restarts, phase, labels, terminating}] from `kubectl get pods -o json`."""
    argv = ["get", "pods", "-n", namespace, "-o", "json"] + (["--context", context] if context else [])
    done = bed_env.kubectl(*argv, timeout=60)
    assert done.returncode == 0, done.stderr
    out = []
    for item in json.loads(done.stdout)["items"]:
        statuses = item.get("status", {}).get("containerStatuses") or [{}]
        out.append({"name": item["metadata"]["name"], "uid": item["metadata"]["uid"],
                    "labels": item["metadata"].get("labels", {}),
                    "image": item["spec"]["containers"][0]["image"],
                    "restarts": sum(s.get("restartCount", 0) for s in statuses),
                    "phase": item.get("status", {}).get("phase"),
                    "terminating": bool(item["metadata"].get("deletionTimestamp"))})
    return out


def docker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def step(report: dict, name: str) -> dict:
    return next(s for s in report["steps"] if s["name"] == name)


def workload(report: dict, name: str) -> dict:
    return next(w for w in report["workloads"] if w["name"] == name)


@contextlib.contextmanager
def fresh_project(bed_env: BedEnv, name: str):
    """A Project under the test's world; afterwards its clusters go first (docker only untags an image a
    pod container still uses), then its images."""
    made = Project(bed_env.root / "app", name=name)
    try:
        yield made
    finally:
        cleanup_clusters(bed_env.bed_home)
        made.remove_images()
