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
_HOST_NOT_RUNNING = 1  # bit 0 of the status bitmask


class MinikubeDriver(CommandDriver):
    tool = "minikube"
    install_hint = "install minikube: https://minikube.sigs.k8s.io/docs/start/"

    @property
    def context(self) -> str:
        return self.cluster.context

    def _command(self, *argv: str) -> Command:
        # minikube has no --kubeconfig flag; it honours KUBECONFIG.
        return Command(("minikube", *argv), env={"KUBECONFIG": str(self.kubeconfig)})

    def version_command(self) -> Command:
        return Command(("minikube", "version", "--short"))

    def state(self) -> ClusterState:
        result = self.runner.run(self._command("status", "-p", self.cluster.name, "-o", "json"))
        if result.returncode == _NOT_FOUND:
            return ClusterState.ABSENT
        if result.returncode & _HOST_NOT_RUNNING or result.stdout.strip() == "null":
            return ClusterState.STOPPED
        return ClusterState.RUNNING if result.returncode == 0 else ClusterState.STOPPED

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
