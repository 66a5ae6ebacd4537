"""Everything a run shares: the profile, the seams (runner, API), the tools, and what earlier steps learnt."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from clusterctl.drivers import ClusterDriver, driver_for
from clusterctl.kubeconfig import file_for
from clusterctl.manifests.render import Batch
from clusterctl.profile.model import Image, Profile
from clusterctl.registryauth import PrivateDockerConfig
from clusterctl.runner import Runner
from clusterctl.tools.docker import Docker
from clusterctl.tools.kubectl import Kubectl


@dataclass
class Context:
    profile: Profile
    runner: Runner
    console: object  # clusterctl.console.Console; kept loose so steps stay importable alone
    api_factory: Callable[[Path, str], object]
    clock: Callable[[], float] = time.monotonic
    only_image: str | None = None  # redeploy: the one image to rebuild and roll out
    adopt: bool = False  # stamp an existing cluster clusterctl did not create
    force: bool = False  # down: delete even a cluster clusterctl did not create
    stamped: bool = False  # this run created (and stamped) the cluster
    verified: bool = False  # the cluster's API answered with the identity clusterctl stamped
    interrupted: bool = False  # Ctrl-C or SIGTERM arrived; steps failing now failed because of it
    kubeconfig: Path = field(init=False)
    driver: ClusterDriver = field(init=False)
    docker: Docker = field(init=False)
    registry_config: PrivateDockerConfig = field(default_factory=PrivateDockerConfig)
    kubectl: Kubectl = field(init=False)
    tags: dict[str, str] = field(default_factory=dict)  # image name -> content tag
    batches: list[Batch] | None = None
    manifest_docs: dict = field(default_factory=dict)  # source path -> parsed documents
    notes: list[str] = field(default_factory=list)
    workloads: list = field(default_factory=list)  # WorkloadReport of the wait step
    diagnoses: list = field(default_factory=list)  # Diagnosis of each failing workload
    _api: object | None = None

    def __post_init__(self) -> None:
        cluster = self.profile.cluster
        self.kubeconfig = cluster.kubeconfig or file_for(os.environ, cluster.context)
        self.driver = driver_for(self.profile.cluster, self.runner, self.kubeconfig)
        self.docker = Docker(self.runner)
        self.kubectl = Kubectl(self.runner, self.kubeconfig, self.driver.context)

    def close(self) -> None:
        """Remove what the run kept only for itself (the registry token's private docker config)."""
        self.registry_config.close()

    def forget_api(self) -> None:
        """After the driver (re)creates the cluster the kubeconfig names a new endpoint: reconnect."""
        self._api = None

    @property
    def api(self):
        if self._api is None:
            self._api = self.api_factory(self.kubeconfig, self.driver.context)
        return self._api

    @property
    def images(self) -> tuple[Image, ...]:
        images = self.profile.images
        return tuple(i for i in images if i.name == self.only_image) if self.only_image else images

    def ref(self, image: Image) -> str:
        from clusterctl.buildinputs import content_tag
        from clusterctl.imageref import ImageRef

        if image.name not in self.tags:
            self.tags[image.name] = content_tag(image)
        return ImageRef.parse(image.repository).with_tag(self.tags[image.name])
