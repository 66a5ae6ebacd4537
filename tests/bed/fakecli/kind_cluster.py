"""`kind create cluster`, `kind delete cluster` and `kind delete clusters`."""
from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

from . import apiclient, docker, kubeconfig, lifecycle, proc, releases
from .docker import RunError, shell_quote
from .flags import Flag, go_duration, go_format_duration
from .kind_get import KUBECONFIG, kind_entry
from .kindconfig import ConfigError, KindConfig, node_names, parse, validate
from .kindlog import KindError, KindLog, Status
from .state import Cluster, cluster_names, write_json_atomic

CREATE_FLAGS = [Flag("name", "n", "str", ""), Flag("config", None, "str", ""),
                Flag("image", None, "str", ""), Flag("retain", None, "bool", False),
                Flag("wait", None, "str", "0s"), KUBECONFIG]
SALUTATIONS = [
    "Have a nice day! 👋",
    "Thanks for using kind! 😊",
    "Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/",
    "Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂",
]
FAIL_OUTPUT = ("docker: Error response from daemon: driver failed programming external connectivity "
               "on endpoint {node}: Bind for 127.0.0.1:6443 failed: port is already allocated.\n")


def create(opts, log: KindLog) -> int:
    wait = go_duration(opts["wait"], "--wait")
    cfg = _load_config(opts["config"])
    _check_provider(log)
    name = opts["name"] or cfg.name or "kind"
    cfg.name = name
    for node in cfg.nodes:
        node.image = opts["image"] or node.image or releases.kind_default_image()
    _fail_if_exists(name)
    if len(name) > 50:
        log.info(f'cluster name "{name}" is probably too long, this might not work properly on some systems')
    try:
        validate(cfg)
    except ConfigError as err:
        raise KindError(f"failed to create cluster: {err}") from None
    log.info(f'Creating cluster "{name}" ...')
    cluster = Cluster("kind", name)
    _provision(cluster, cfg, opts, log, wait)
    _export(cluster, opts["kubeconfig"])
    context = f"kind-{name}"
    sample = f"kubectl cluster-info --context {context}"
    if opts["kubeconfig"]:
        sample += " --kubeconfig " + shell_quote(opts["kubeconfig"])
    log.info(f'Set kubectl context to "{context}"')
    log.info(f"You can now use your cluster with:\n\n{sample}")
    log.info("")
    log.info(random.choice(SALUTATIONS))
    return 0


def _load_config(path: str) -> KindConfig:
    if not path:
        return KindConfig()
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text()
    except FileNotFoundError:
        raise KindError(f"failed to create cluster: error reading file: open {path}: "
                        "no such file or directory") from None
    try:
        return parse(raw)
    except ConfigError as err:
        raise KindError(f"failed to create cluster: {err}") from None


def _check_provider(log: KindLog) -> None:
    try:
        info = json.loads(docker.info() or "{}")
    except RunError as err:
        raise KindError.wrap("failed to create cluster: failed to get docker info", err) from None
    if info.get("CgroupVersion") != "2":
        log.info("cgroup v1 is deprecated in Kubernetes and will not be supported in a future kind "
                 "release, please upgrade to cgroup v2")


def _fail_if_exists(name: str) -> None:
    try:
        docker.list_kind_nodes(name)
    except RunError as err:
        raise KindError.wrap("failed to create cluster: failed to list nodes", err) from None
    if Cluster("kind", name).exists():
        raise KindError(f'failed to create cluster: node(s) already exist for a cluster with the name "{name}"')


def _provision(cluster: Cluster, cfg: KindConfig, opts, log: KindLog, wait: float) -> None:
    status = Status(log)
    nodes = node_names(cluster.name, cfg)
    for image in dict.fromkeys(n.image.split("@")[0] for n in cfg.nodes):
        status.start(f"Ensuring node image ({image}) 🖼️")
    status.start("Preparing nodes " + "📦 " * len(cfg.nodes))
    if os.environ.get("CLUSTERCTL_BED_FAIL_CREATE") == "1":
        status.end(False)
        raise KindError(f'failed to create cluster: command "docker run --name {nodes[0]} '
                        f'--hostname {nodes[0]} --label io.x-k8s.kind.role={cfg.nodes[0].role} '
                        f'--privileged --detach --publish=127.0.0.1:6443:6443/TCP '
                        f'{cfg.nodes[0].image}" failed with error: exit status 125',
                        FAIL_OUTPUT.format(node=nodes[0]))
    pid = lifecycle.provision(cluster, {
        "flavor": "kind", "name": cluster.name, "nodes": nodes,
        "roles": [n.role for n in cfg.nodes], "image": cfg.nodes[0].image,
        "k8sVersion": lifecycle.served_version(cfg.nodes[0].image.split("@")[0].rsplit(":", 1)[-1])})
    control_planes = sum(n.role == "control-plane" for n in cfg.nodes)
    if control_planes > 1:
        status.start("Configuring the external load balancer ⚖️")
    status.start("Writing configuration 📜")
    write_json_atomic(cluster.dir / "port-mappings.json", [
        {"node": node, **mapping} for node, spec in zip(nodes, cfg.nodes) for mapping in spec.port_mappings])
    status.start("Starting control-plane 🕹️")
    try:
        proc.wait_apiserver(cluster, pid)
    except proc.LaunchError as err:
        status.end(False)
        if not opts["retain"]:
            _delete(cluster, opts["kubeconfig"], log)
        raise KindError(f'failed to create cluster: failed to init node with kubeadm: command "docker exec '
                        f'--privileged {nodes[0]} kubeadm init --config=/kind/kubeadm.conf '
                        f'--skip-token-print --v=6" failed with error: exit status 1', err.output) from None
    if not cfg.disable_default_cni:
        status.start("Installing CNI 🔌")
    status.start("Installing StorageClass 💾")
    if control_planes > 1:
        status.start("Joining more control-plane nodes 🎮")
    if len(cfg.nodes) > control_planes:
        status.start("Joining worker nodes 🚜")
    if wait > 0:
        _wait_ready(cluster, nodes[0], wait, status, log)
    status.end(True)


def _wait_ready(cluster: Cluster, node: str, wait: float, status: Status, log: KindLog) -> None:
    status.start(f"Waiting ≤ {go_format_duration(wait)} for control-plane = Ready ⏳")
    started = time.monotonic()
    if apiclient.wait_nodes_ready(cluster, [node], wait):
        status.end(True)
        log.info(f" • Ready after {go_format_duration(time.monotonic() - started)} 💚")
    else:
        status.end(False)
        log.info(" • WARNING: Timed out waiting for Ready ⚠️")


def _export(cluster: Cluster, explicit: str) -> None:
    entry = kind_entry(cluster, internal=False)
    try:
        kubeconfig.update(kubeconfig.kind_path(explicit),
                          lambda cfg: kubeconfig.merge(cfg, entry, True) or True)
    except kubeconfig.LockError as err:
        raise KindError(f"failed to create cluster: {err}") from None


def delete(opts, log: KindLog) -> int:
    name = opts["name"]
    log.info(f'Deleting cluster "{name}" ...')
    try:
        docker.list_kind_nodes(name)
    except RunError as err:
        raise KindError.wrap(f'failed to delete cluster "{name}": error listing nodes: '
                             "failed to list nodes", err) from None
    err = _delete(Cluster("kind", name), opts["kubeconfig"], log)
    if err:
        raise KindError(f'failed to delete cluster "{name}": {err}')
    return 0


def _delete(cluster: Cluster, explicit: str, log: KindLog) -> Exception | None:
    """kind's delete.Cluster: prune kubeconfigs, remove nodes, report the kubeconfig error last."""
    nodes = cluster.nodes()
    kerr = None
    for path in kubeconfig.kind_paths(explicit):
        try:
            # kind locks every path, missing ones too (creating their directory), and writes only on change.
            kubeconfig.update(path, lambda cfg: kubeconfig.remove(cfg, f"kind-{cluster.name}"), backoff=(0,))
        except kubeconfig.LockError as err:
            kerr = err
            log.info(f"failed to update kubeconfig: {err}")
            break
    if cluster.dir.exists():
        lifecycle.destroy(cluster)
    if nodes:
        log.info("Deleted nodes: [" + " ".join(json.dumps(n) for n in nodes) + "]")
    return kerr


def delete_many(opts, log: KindLog) -> int:
    names = cluster_names("kind") if opts["all"] else list(dict.fromkeys(opts.args))
    if not names and not opts["all"]:
        raise KindError("no cluster names provided")
    deleted = []
    for name in names:
        err = _delete(Cluster("kind", name), opts["kubeconfig"], log)
        if err:
            log.info(f'failed to delete cluster "{name}": {err}')
        else:
            deleted.append(name)
    log.info("Deleted clusters: [" + " ".join(json.dumps(n) for n in deleted) + "]")
    return 0
