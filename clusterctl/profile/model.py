"""The loaded profile: frozen, defaulted, validated, with absolute paths (docs/profile.md describes each key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Mapping

API_VERSION = "clusterctl.dev/v1alpha1"
KIND = "Profile"


@dataclass(frozen=True)
class PortMapping:
    container_port: int
    host_port: int
    listen_address: str = "127.0.0.1"
    protocol: str = "TCP"


@dataclass(frozen=True)
class KindSettings:
    control_planes: int = 1
    workers: int = 0
    extra_port_mappings: tuple[PortMapping, ...] = ()
    config: Path | None = None  # pass-through kind config file


@dataclass(frozen=True)
class MinikubeSettings:
    nodes: int = 1
    cpus: int | None = None
    memory_mb: int | None = None
    driver: str = "docker"
    extra_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cluster:
    name: str
    driver: Literal["kind", "minikube"]
    kubernetes_version: str | None = None
    node_image: str | None = None
    kubeconfig: Path | None = None
    kind: KindSettings = field(default_factory=KindSettings)
    minikube: MinikubeSettings = field(default_factory=MinikubeSettings)

    @property
    def context(self) -> str:
        """The kube context the driver writes: kind names it `kind-NAME`, minikube `NAME`."""
        return f"kind-{self.name}" if self.driver == "kind" else self.name


@dataclass(frozen=True)
class RegistryAuth:
    username: str
    password_env: str  # the NAME of the variable that holds the password
    # The pull secret's own credential (a read-only token); without it the pull secret gets the push token.
    pull_username: str | None = None
    pull_password_env: str | None = None

    @property
    def pull_user(self) -> str:
        return self.pull_username or self.username


@dataclass(frozen=True)
class Shipping:
    mode: Literal["load", "push"] = "load"
    registry: str | None = None
    auth: RegistryAuth | None = None
    pull_secret: str | None = None


@dataclass(frozen=True)
class Image:
    name: str
    context: Path
    dockerfile: Path
    build_args: tuple[tuple[str, str], ...] = ()
    target: str | None = None
    platform: str | None = None
    repository: str = ""  # "<registry>/<name>" or "<name>" when the profile does not set it
    build_secrets: tuple[tuple[str, str], ...] = ()  # (BuildKit secret id, env var NAME)


@dataclass(frozen=True)
class ManifestSource:
    path: Path
    kind: Literal["file", "dir", "kustomize"]


@dataclass(frozen=True)
class SecretSpec:
    name: str
    type: str = "Opaque"
    env_file: Path | None = None
    from_env: tuple[tuple[str, str], ...] = ()  # (secret key, env var NAME)


@dataclass(frozen=True)
class Wait:
    timeout_s: float = 300.0
    workloads: tuple[str, ...] | None = None  # None: all; else "deployment/bff", ...
    restart_tolerance: int = 2


@dataclass(frozen=True)
class Build:
    parallelism: int = 4


@dataclass(frozen=True)
class Profile:
    name: str
    source: Path
    cluster: Cluster
    namespace: str
    shipping: Shipping = field(default_factory=Shipping)
    images: tuple[Image, ...] = ()
    manifests: tuple[ManifestSource, ...] = ()
    secrets: tuple[SecretSpec, ...] = ()
    wait: Wait = field(default_factory=Wait)
    build: Build = field(default_factory=Build)
    # key path -> (file, line) of every key the profile files wrote; see locate()
    locations: Mapping[str, tuple[str, int]] = field(default_factory=lambda: MappingProxyType({}),
                                                     repr=False, compare=False)

    def locate(self, key_path: str) -> tuple[str, int | None]:
        """File and line of a key path such as `images[1].context`, or of its nearest written parent."""
        path = key_path
        while path:
            if path in self.locations:
                return self.locations[path]
            path = parent_path(path)
        return self.locations.get("", (str(self.source), None))


def parent_path(key_path: str) -> str:
    """`images[1].context` -> `images[1]` -> `images` -> ``."""
    if key_path.endswith('"]'):
        cut = key_path.rfind('["')
    else:
        cut = max(key_path.rfind("."), key_path.rfind("["))
    return key_path[:cut] if cut > 0 else ""
