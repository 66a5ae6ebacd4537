"""`minikube start -p NAME`: new, restarted and already-running profiles."""
from __future__ import annotations

import os
import re
from pathlib import Path

from . import apiclient, docker, kubeconfig, lifecycle, proc, releases
from . import nodes as node_containers
from .flags import Flag, FlagError, go_duration
from .mkout import Out
from .state import Cluster, minikube_home

NODE_DOCKER = "28.4.0"  # the docker inside kicbase v0.0.50
FLAGS = [Flag("driver", "d", "str", ""), Flag("vm-driver", None, "str", ""),
         Flag("kubernetes-version", None, "str", ""), Flag("nodes", "n", "int", 1),
         Flag("cpus", None, "str", "2"), Flag("memory", None, "str", ""),
         Flag("keep-context", None, "bool", False), Flag("wait", None, "list"),
         Flag("wait-timeout", None, "str", "6m0s"), Flag("output", "o", "str", "text"),
         Flag("force", None, "bool", False), Flag("delete-on-failure", None, "bool", False),
         Flag("container-runtime", "c", "str", "")]
_NAME = re.compile(r"^[a-zA-Z0-9][\w.-]+$")
_DOCKER_DOCS = "https://minikube.sigs.k8s.io/docs/drivers/docker/"


def cmd_start(opts, out: Out) -> int:
    name = opts["profile"]
    if not _NAME.match(name):
        raise out.fatal("MK_USAGE", 14, "Only alphanumeric and dashes '-' are permitted. "
                                        "Minimum 2 characters, starting with alphanumeric.")
    cluster = Cluster("minikube", name)
    existing = cluster.record() if cluster.exists() else None
    prefix = "" if name == "minikube" else f"[{name}] "
    out.step("Happy", f"{prefix}minikube {releases.minikube()} on {_platform()}", "Initial Minikube Setup")
    _check_driver(opts, out, existing)
    try:
        timeout = go_duration(opts["wait-timeout"], "--wait-timeout")
    except FlagError as err:
        raise out.fatal("MK_USAGE", 14, str(err)) from None
    if existing is None:
        _create(cluster, opts, out)
    else:
        _restart(cluster, existing, out)
    _verify(cluster, opts, out, timeout)
    return 0


def _check_driver(opts, out: Out, existing: dict | None) -> None:
    driver = opts["driver"] or opts["vm-driver"] or (existing or {}).get("driver") or "docker"
    if existing and driver != existing.get("driver"):
        raise out.fatal("GUEST_DRIVER_MISMATCH", 81,
                        f'The existing "{opts["profile"]}" cluster was created using the '
                        f'"{existing["driver"]}" driver, which is incompatible with requested '
                        f'"{driver}" driver.')
    if driver != "docker":
        raise out.fatal(f"PROVIDER_{driver.upper()}_NOT_FOUND", 65,
                        f"The '{driver}' provider was not found: exec: \"{driver}\": "
                        "executable file not found in $PATH",
                        advice=f"Install {driver}", style="Shrug",
                        url=f"https://minikube.sigs.k8s.io/docs/drivers/{driver}/")
    how = "existing profile" if existing else "user configuration"
    out.step("Sparkle", f"Using the docker driver based on {how}", "Selecting Driver")
    try:
        docker.server_version()
    except docker.RunError as err:
        raise out.fatal("PROVIDER_DOCKER_NOT_RUNNING", 63,
                        f'"docker version --format <no value>-<no value>:<no value>" '
                        f"{err.inner}: {err.output.strip()}",
                        advice="Start the Docker service", url=_DOCKER_DOCS, style="Fatal") from None
    _refuse_root(opts, out, driver, existing)


def _refuse_root(opts, out: Out, driver: str, existing: dict | None) -> None:
    """start.go validateUser (v1.32.0 and v1.38.1): user.Current() is uid 0 and the driver is not none."""
    if os.getuid() != 0:
        return
    out.error("Stopped", f'The "{driver}" driver should not be used with root privileges. '
                         "If you wish to continue as root, use --force.")
    out.error("Tip", "If you are running minikube within a VM, consider using --driver=none:")
    out.error("Documentation", "  https://minikube.sigs.k8s.io/docs/reference/drivers/none/")
    if existing is not None:
        name = opts["profile"]
        delete = "minikube delete" + ("" if name == "minikube" else f" -p {name}")
        out.error("Tip", f"Tip: To remove this root owned cluster, run: sudo {delete}")
    if not opts["force"]:
        raise out.fatal("DRV_AS_ROOT", 57, f'The "{driver}" driver should not be used with root privileges.')


def _create(cluster: Cluster, opts, out: Out) -> None:
    cpus, memory = opts["cpus"], _memory_mb(opts["memory"])
    version = lifecycle.served_version(releases.minikube_kubernetes(opts["kubernetes-version"]))
    nodes = [cluster.name] + [f"{cluster.name}-m{i:02d}" for i in range(2, opts["nodes"] + 1)]
    out.step("ThumbsUp", f'Starting "{cluster.name}" primary control-plane node in '
                         f'"{cluster.name}" cluster', "Starting Node")
    out.step("Pulling", "Pulling base image v0.0.50 ...", "Pulling Base Image")
    out.step("StartingVM", f"Creating docker container (CPUs={cpus}, Memory={memory}MB) ...",
             "Creating Container")
    if os.environ.get("CLUSTERCTL_BED_FAIL_CREATE") == "1":
        raise _provision_failure(cluster, out)
    pid = lifecycle.provision(cluster, {
        "flavor": "minikube", "name": cluster.name, "nodes": nodes, "k8sVersion": version,
        "driver": "docker", "cpus": cpus, "memory": memory,
        "containerRuntime": opts["container-runtime"] or "docker",
        "keepContext": opts["keep-context"], "nodeCpu": cpus, "nodeMemory": f"{memory}Mi"},
        ca_dir=minikube_home())  # localpath.CACert(): one CA for every profile of this MINIKUBE_HOME
    out.step("Docker", f"Preparing Kubernetes {version} on Docker {NODE_DOCKER} ...",
             "Preparing Kubernetes")
    out.step("SubStep", "Generating certificates and keys ...", "Generating certificates")
    out.step("SubStep", "Booting up control plane ...", "Booting control plane")
    _await(cluster, pid, out)
    out.step("SubStep", "Configuring RBAC rules ...", "Configuring RBAC rules")
    cni = "bridge CNI" if len(nodes) == 1 else "CNI"
    out.step("CNI", f"Configuring {cni} (Container Networking Interface) ...", "Configuring CNI")


def _restart(cluster: Cluster, record: dict, out: Out) -> None:
    out.step("ThumbsUp", f'Starting "{cluster.name}" primary control-plane node in '
                         f'"{cluster.name}" cluster', "Starting Node")
    out.step("Pulling", "Pulling base image v0.0.50 ...", "Pulling Base Image")
    if proc.running(cluster) and node_containers.running(cluster):
        out.step("Running", f'Updating the running docker "{cluster.name}" container ...',
                 "Running on Localhost")
    else:
        out.step("Restarting", f'Restarting existing docker container for "{cluster.name}" ...',
                 "Running on Localhost")
        if not node_containers.running(cluster):
            node_containers.start(cluster)  # `127.0.0.1::8443`: docker publishes the API on a new host port
        _await(cluster, proc.recorded_pid(cluster) if proc.running(cluster) else lifecycle.start(cluster), out)
    out.step("Docker", f"Preparing Kubernetes {record['k8sVersion']} on Docker {NODE_DOCKER} ...",
             "Preparing Kubernetes")


def _await(cluster: Cluster, pid: int, out: Out) -> None:
    try:
        proc.wait_apiserver(cluster, pid)
    except proc.LaunchError as err:
        raise out.fatal("K8S_APISERVER_MISSING", 102,
                        f"wait 6m0s for node: wait for apiserver proc: apiserver process never "
                        f"appeared\n{err.output}",
                        advice="Check that the provided apiserver flags are valid, and that SELinux "
                               "is disabled") from None


def _verify(cluster: Cluster, opts, out: Out, timeout: float) -> None:
    keep = opts["keep-context"]
    entry = lifecycle.entry(cluster, cluster.name, namespace="default")
    kubeconfig.update(kubeconfig.minikube_path(),
                      lambda cfg: kubeconfig.merge(cfg, entry, set_current=not keep) or True,
                      backoff=kubeconfig.MINIKUBE_LOCK_BACKOFF)
    out.step("HealthCheck", "Verifying Kubernetes components...", "Verifying Kubernetes")
    out.option("Using image gcr.io/k8s-minikube/storage-provisioner:v5")
    for node in cluster.nodes()[1:]:
        out.step("ThumbsUp", f'Starting "{node}" worker node in "{cluster.name}" cluster',
                 "Starting Node")
    out.step("AddonEnable", "Enabled addons: storage-provisioner, default-storageclass",
             "Enabling Addons")
    wait = set(opts["wait"]) or {"apiserver", "system_pods"}
    if wait & {"all", "true", "node_ready"}:
        if not apiclient.wait_nodes_ready(cluster, cluster.nodes(), timeout):
            raise out.fatal("GUEST_START", 80, f"failed to start node: wait {opts['wait-timeout']} "
                                               "for node: waiting for node to be ready: timed out")
    if keep:
        out.step("Kubectl", f"To connect to this cluster, use:  --context={cluster.name}", "Done")
    else:
        out.step("Ready", f'Done! kubectl is now configured to use "{cluster.name}" cluster and '
                          '"default" namespace by default', "Done")


def _provision_failure(cluster: Cluster, out: Out):
    detail = (f"creating host: create: creating: create kic node: create container: docker run -d -t "
              f"--privileged --name {cluster.name} --hostname {cluster.name} "
              f"--label name.minikube.sigs.k8s.io={cluster.name} "
              "gcr.io/k8s-minikube/kicbase:v0.0.50: exit status 125\nstdout:\n\nstderr:\n"
              "docker: Error response from daemon: failed to create task for container: "
              "failed to create shim task: OCI runtime create failed.")
    out.warning(f"StartHost failed, but will try again: {detail}")
    return out.fatal("GUEST_PROVISION", 80, f"error provisioning guest: Failed to start host: {detail}")


def _memory_mb(raw: str) -> int:
    """--memory as minikube reads it: plain numbers are MB; b, k, m, g suffixes allowed."""
    if not raw or raw in ("max", "no-limit"):
        return 3072
    match = re.fullmatch(r"(\d+)\s*([bkmg]?)b?", raw.strip().lower())
    if not match:
        return 3072
    number, unit = int(match.group(1)), match.group(2) or "m"
    return {"b": number // 2**20, "k": number // 1024, "m": number, "g": number * 1024}[unit]


def _platform() -> str:
    try:
        version = Path("/etc/debian_version").read_text().strip()
        return f"Debian {version} (amd64)"
    except FileNotFoundError:
        return "Linux (amd64)"


def cluster_config(record: dict) -> dict:
    """The ClusterConfig fields `profile list -o json` carries (a subset, in Go field order)."""
    version, runtime = record.get("k8sVersion", ""), record.get("containerRuntime", "docker")
    nodes = [{"Name": "" if i == 0 else n.rsplit("-", 1)[-1], "IP": "127.0.0.1", "Port": 8443,
              "KubernetesVersion": version, "ContainerRuntime": runtime, "ControlPlane": i == 0,
              "Worker": True} for i, n in enumerate(record.get("nodes", []))]
    return {"Name": record.get("name", ""), "KeepContext": record.get("keepContext", False),
            "EmbedCerts": False, "MinikubeISO": "",
            "KicBaseImage": "gcr.io/k8s-minikube/kicbase:v0.0.50", "Memory": record.get("memory", 0),
            "CPUs": int(record.get("cpus") or 0) if str(record.get("cpus", "")).isdigit() else 0,
            "DiskSize": 20000, "Driver": record.get("driver", "docker"),
            "KubernetesConfig": {"KubernetesVersion": version, "ClusterName": record.get("name", ""),
                                 "Namespace": "default", "APIServerName": "minikubeCA",
                                 "DNSDomain": "cluster.local", "ContainerRuntime": runtime,
                                 "NetworkPlugin": "cni", "ServiceCIDR": "10.96.0.0/12"},
            "Nodes": nodes, "Addons": {"default-storageclass": True, "storage-provisioner": True},
            "VerifyComponents": {"apiserver": True, "system_pods": True},
            "MultiNodeRequested": len(nodes) > 1}
