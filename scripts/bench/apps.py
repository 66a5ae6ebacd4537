"""The projects the benchmark runs: the seeds' 3-service app and a generated 50-service profile.

Each service is a busybox-from-scratch image. Its first layer is the service's VERSION file, so a
fresh VERSION (`stamp`) makes every later step miss the build cache: that is how a run starts cold
even though other builds on the engine share the busybox layers.
"""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import yaml

# The 3-service app of seed 000, and how many MiB each one's build step checksums (~1-2 s of CPU).
SERVICES = {"bff": 160, "catalogue": 200, "frontend": 240}
PULL_SECRET = "regcred"
TAG = "0.1"  # the seeds' hand-written tag; clusterctl replaces it with its own

HEAVY_DOCKERFILE = """\
FROM scratch
COPY VERSION /app/VERSION
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
# the service's compile step: checksum a generated {mib} MiB stream
RUN dd if=/dev/zero bs=1M count={mib} 2>/dev/null | sha256sum > /app/checksum
USER 10001
CMD ["/bin/sh", "-c", "cat /app/VERSION /app/checksum; exec sleep 3600"]
"""

# The 50 services share their busybox layers (built once), so only the VERSION layer is new.
LIGHT_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY VERSION /app/VERSION
USER 10001
CMD ["/bin/sh", "-c", "cat /app/VERSION; exec sleep 3600"]
"""


def stamp(context: Path) -> str:
    """Write a new VERSION into a build context: its image must be built again."""
    version = uuid.uuid4().hex
    (context / "VERSION").write_text(version + "\n")
    return version


def write_context(context: Path, dockerfile: str) -> Path:
    context.mkdir(parents=True, exist_ok=True)
    shutil.copy2("/usr/bin/busybox", context / "busybox")
    (context / "Dockerfile").write_text(dockerfile)
    (context / ".dockerignore").write_text("*.log\n")
    stamp(context)
    return context


def manifest(name: str, image: str) -> str:
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "imagePullSecrets": [{"name": PULL_SECRET}],
                    "securityContext": {"runAsNonRoot": True},
                    "containers": [{
                        "name": name, "image": image,
                        "resources": {"requests": {"cpu": "10m", "memory": "16Mi"},
                                      "limits": {"memory": "32Mi"}},
                    }],
                },
            },
        },
    }
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
               "spec": {"selector": {"app": name}, "ports": [{"port": 8080}]}}
    return yaml.safe_dump(deployment, sort_keys=False) + "---\n" + yaml.safe_dump(service, sort_keys=False)


def write_app(root: Path, repository_prefix: str) -> Path:
    """The seed's layout: <service>/ build contexts and k8s/<service>.yaml using `<prefix>/<service>:0.1`."""
    for name, mib in SERVICES.items():
        write_context(root / name, HEAVY_DOCKERFILE.format(mib=mib))
        path = root / "k8s" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(manifest(name, f"{repository_prefix}/{name}:{TAG}"))
    return root


def write_profile(root: Path, cluster: str, registry_prefix: str, names: list[str],
                  manifests: list[str] | None = None) -> Path:
    """profile.yaml pushing to the bed registry, with the pull secret made from the bed's credentials."""
    body = {
        "apiVersion": "clusterctl.dev/v1alpha1",
        "kind": "Profile",
        "cluster": {"name": cluster, "driver": "kind"},
        "namespace": "shop",
        "shipping": {
            "mode": "push",
            "registry": registry_prefix,
            "auth": {"username": "${BED_REGISTRY_USER}", "passwordEnv": "BED_REGISTRY_PASSWORD"},
            "pullSecret": PULL_SECRET,
        },
        "images": [{"name": n, "context": n} for n in names],
        "manifests": manifests or [f"k8s/{n}.yaml" for n in names],
        "wait": {"timeout": "180s"},
    }
    path = root / "profile.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False))
    return path


def write_app3_project(root: Path, cluster: str, registry_prefix: str) -> Path:
    write_app(root, registry_prefix)
    return write_profile(root, cluster, registry_prefix, list(SERVICES))


def service_names(count: int) -> list[str]:
    return [f"svc{i:02d}" for i in range(count)]


def write_many_project(root: Path, cluster: str, registry_prefix: str, count: int = 50) -> Path:
    """`count` services, each its own image, Deployment and Service; the manifests as one directory."""
    names = service_names(count)
    for name in names:
        write_context(root / name, LIGHT_DOCKERFILE)
        path = root / "k8s" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(manifest(name, f"{registry_prefix}/{name}:{TAG}"))
    return write_profile(root, cluster, registry_prefix, names, manifests=["k8s/"])
