"""kind: `kind get clusters` / `create cluster` / `delete cluster` / `load docker-image`."""

from __future__ import annotations

import yaml

from clusterctl.drivers.base import ClusterState, CommandDriver
from clusterctl.errors import ClusterFailed, ShipFailed
from clusterctl.parallel import run_bounded
from clusterctl.runner import Command

# What `kind load docker-image` logs (stderr) when every node's runtime already has the image's ID under
# its name; it then copies nothing (pkg/cmd/kind/load/docker-image/docker-image.go, v0.17 to v0.32).
_ALREADY_PRESENT = "found to be already present on all nodes"


NODE_LABEL = "io.x-k8s.kind.cluster"  # on every node container (kind: providers/docker/constants.go)


class KindDriver(CommandDriver):
    tool = "kind"
    install_hint = "install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
    api_port_moves = False  # `--publish=127.0.0.1:PORT:6443`, PORT chosen once at creation

    @property
    def context(self) -> str:
        return self.cluster.context

    def version_command(self) -> Command:
        return Command(("kind", "version"))

    def state(self) -> ClusterState:
        # "No kind clusters found." goes to stderr with exit 0; stdout holds only names.
        result = self.runner.run(Command(("kind", "get", "clusters"))).check()
        if self.cluster.name not in result.stdout.split():
            return ClusterState.ABSENT
        # kind lists a cluster whose node containers are stopped (`docker ps -a`), so look at them.
        nodes = self.nodes()
        return ClusterState.RUNNING if all(state == "running" for state in nodes.values()) else ClusterState.STOPPED

    def nodes(self) -> dict[str, str]:
        """Node container name -> docker state, found by kind's own label, stopped ones included."""
        argv = ("docker", "ps", "-a", "--filter", f"label={NODE_LABEL}={self.cluster.name}",
                "--format", "{{.Names}}\t{{.State}}")
        result = self.runner.run(Command(argv)).check(ClusterFailed)
        return dict(line.split("\t", 1) for line in result.stdout.splitlines() if "\t" in line)

    def start(self) -> None:
        """`docker start` the stopped nodes: their API host port was fixed at creation, so the context holds."""
        stopped = sorted(name for name, state in self.nodes().items() if state != "running")
        if stopped:
            self.runner.run(Command(("docker", "start", *stopped))).check(
                ClusterFailed, hint=f"see docker's output above; `docker start {' '.join(stopped)}` by hand")

    def node_image(self) -> str | None:
        if self.cluster.node_image:
            return self.cluster.node_image
        if self.cluster.kubernetes_version:
            return f"kindest/node:{self.cluster.kubernetes_version}"
        return None

    def config(self) -> str:
        settings = self.cluster.kind
        node = {"role": "control-plane"}
        if settings.extra_port_mappings:
            node["extraPortMappings"] = [
                {"containerPort": m.container_port, "hostPort": m.host_port,
                 "listenAddress": m.listen_address, "protocol": m.protocol}
                for m in settings.extra_port_mappings
            ]
        # One dict per node: a shared one would come out as a YAML anchor and alias.
        nodes = [node] + [{"role": "control-plane"} for _ in range(settings.control_planes - 1)]
        nodes += [{"role": "worker"} for _ in range(settings.workers)]
        doc = {"kind": "Cluster", "apiVersion": "kind.x-k8s.io/v1alpha4", "nodes": nodes}
        return yaml.safe_dump(doc, sort_keys=False)

    def create_command(self) -> Command:
        argv = ["kind", "create", "cluster", "--name", self.cluster.name, "--kubeconfig", str(self.kubeconfig)]
        image = self.node_image()
        if image:
            argv += ["--image", image]
        if self.cluster.kind.config:
            return Command((*argv, "--config", str(self.cluster.kind.config)))
        return Command((*argv, "--config", "-"), stdin=self.config())

    def create(self) -> None:
        self.runner.run(self.create_command()).check(ClusterFailed, hint="see kind's output above; `kind delete cluster "
                                                          f"--name {self.cluster.name}` clears a half-made cluster")

    def delete_command(self) -> Command:
        return Command(("kind", "delete", "cluster", "--name", self.cluster.name, "--kubeconfig", str(self.kubeconfig)))

    def load_commands(self, refs: list[str]) -> list[Command]:
        # One image per command: once any node lacks any named image, kind `docker save`s every image
        # named on its command line.
        return [Command(("kind", "load", "docker-image", "--name", self.cluster.name, ref)) for ref in refs]

    def unloaded(self, refs: list[str]) -> list[str]:
        # Only `kind load` itself asks every node's runtime (crictl) for the image ID before it copies.
        return list(refs)

    def load(self, refs: list[str], parallelism: int) -> list[str]:
        changed: set[str] = set()

        def one(command: Command) -> None:
            result = self.runner.run(command).check(ShipFailed, hint="build the image first, and check the cluster name")
            if _ALREADY_PRESENT not in result.stderr:
                changed.add(command.argv[-1])

        run_bounded(self.load_commands(refs), one, parallelism, lambda c: c.argv[-1], ShipFailed)
        return [ref for ref in refs if ref in changed]
