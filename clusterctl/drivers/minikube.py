"""minikube: `status -o json` (a bitmask exit code), `start`, `delete`, `image load` (checked afterwards by
image ID in `image ls --format json`)."""

from __future__ import annotations

import json

from clusterctl.drivers.base import ClusterState, CommandDriver
from clusterctl.errors import ClusterFailed, ShipFailed
from clusterctl.imageref import normalise
from clusterctl.runner import Command
from clusterctl.tools.docker import Docker

_NOT_FOUND = 85  # ExGuestNotFound: the profile does not exist
# The status bitmask (cmd/minikube/cmd/status.go exitCode): host, cluster, and kubeconfig not as expected.
_HOST_NOT_RUNNING, _CLUSTER_NOT_RUNNING, _KUBECONFIG_MISCONFIGURED = 1, 2, 4


class MinikubeDriver(CommandDriver):
    tool = "minikube"
    install_hint = "install minikube: https://minikube.sigs.k8s.io/docs/start/"
    api_port_moves = True  # docker driver: `--publish=127.0.0.1::8443`, a new host port at each start

    @property
    def context(self) -> str:
        return self.cluster.context

    def _command(self, *argv: str) -> Command:
        # minikube has no --kubeconfig flag; it honours KUBECONFIG.
        return Command(("minikube", *argv), env={"KUBECONFIG": str(self.kubeconfig)})

    def version_command(self) -> Command:
        return Command(("minikube", "version", "--short"))

    def _status(self):
        return self.runner.run(self._command("status", "-p", self.cluster.name, "-o", "json"))

    def state(self) -> ClusterState:
        result = self._status()
        if result.returncode == _NOT_FOUND:
            return ClusterState.ABSENT
        if result.returncode & (_HOST_NOT_RUNNING | _CLUSTER_NOT_RUNNING) or result.stdout.strip() == "null":
            return ClusterState.STOPPED
        return ClusterState.RUNNING  # a misconfigured context alone is the identity guard's business

    def context_is_current(self) -> bool:
        """minikube compares the context's host:port with where the profile's API is published now
        (Kubeconfig: Configured) from its own config and docker: no request goes through the context."""
        result = self._status()
        return result.returncode != _NOT_FOUND and not result.returncode & (_HOST_NOT_RUNNING
                                                                              | _KUBECONFIG_MISCONFIGURED)

    def create_command(self) -> Command:
        settings = self.cluster.minikube
        argv = ["start", "-p", self.cluster.name, f"--driver={settings.driver}"]
        if self.cluster.kubernetes_version:
            argv.append(f"--kubernetes-version={self.cluster.kubernetes_version}")
        if settings.nodes != 1:
            argv.append(f"--nodes={settings.nodes}")
        if settings.cpus:
            argv.append(f"--cpus={settings.cpus}")
        if settings.memory_mb:
            argv.append(f"--memory={settings.memory_mb}mb")
        return self._command(*argv, *settings.extra_args)

    def create(self) -> None:
        self.runner.run(self.create_command()).check(ClusterFailed, hint="see minikube's output above")

    def start(self) -> None:
        self.create()  # `minikube start` restarts an existing profile and writes its context again

    def delete_command(self) -> Command:
        return self._command("delete", "-p", self.cluster.name)

    def load_commands(self, refs: list[str]) -> list[Command]:
        return [self._command("image", "load", ref, "-p", self.cluster.name) for ref in refs]

    def unloaded(self, refs: list[str]) -> list[str]:
        ids, listed = Docker(self.runner).image_ids(refs), self._listed()
        return [ref for ref in refs if normalise(ref) not in listed.get(_bare(ids.get(ref, "")), set())]

    def load(self, refs: list[str], parallelism: int) -> list[str]:
        for command in self.load_commands(refs):
            self.runner.run(command).check(ShipFailed)
        # `image load` exits 0 even when nothing was loaded, so look for the images, by ID: before v1.31
        # `image ls` shows one tag per image ID, hiding a second tag of an image already there.
        ids, listed = Docker(self.runner).image_ids(refs), self._listed()
        missing = [ref for ref in refs if _bare(ids.get(ref, "")) not in listed]
        if missing:
            raise ShipFailed(
                f"minikube did not load {', '.join(missing)} into profile {self.cluster.name!r}",
                hint="check that the image exists locally (`docker image ls`) and the cluster is running",
            )
        return list(refs)

    def _listed(self) -> dict[str, set[str]]:
        """{image ID: its normalised tags} over the profile's running nodes."""
        result = self.runner.run(self._command("image", "ls", "--format", "json", "-p", self.cluster.name))
        listed: dict[str, set[str]] = {}
        for entry in json.loads(result.check(ShipFailed).stdout or "[]") or []:
            tags = listed.setdefault(_bare(entry.get("id") or ""), set())
            tags.update(normalise(tag) for tag in entry.get("repoTags") or [])
        return listed


def _bare(image_id: str) -> str:
    """The docker runtime lists IDs without their `sha256:` prefix."""
    return image_id.removeprefix("sha256:")
