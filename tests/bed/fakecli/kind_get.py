"""`kind get clusters|nodes|kubeconfig` and `kind export kubeconfig`."""
from __future__ import annotations

from . import docker, kubeconfig, lifecycle
from .flags import Flag
from .kindlog import KindError, KindLog
from .state import Cluster, cluster_names

NAME = Flag("name", "n", "str", "kind")
KUBECONFIG = Flag("kubeconfig", None, "str", "")


def cmd_get_clusters(opts, log: KindLog) -> int:
    try:
        docker.list_kind_clusters()
    except docker.RunError as err:
        raise KindError.wrap("failed to list clusters", err) from None
    names = cluster_names("kind")
    if not names:
        log.info("No kind clusters found.")
    log.out("".join(f"{n}\n" for n in names))
    return 0


def cmd_get_nodes(opts, log: KindLog) -> int:
    names = cluster_names("kind") if opts["all-clusters"] else [opts["name"]]
    nodes = [n for name in names for n in Cluster("kind", name).nodes()]
    if not nodes:
        log.info("No kind nodes for any cluster." if opts["all-clusters"]
                 else f'No kind nodes found for cluster "{opts["name"]}".')
    log.out("".join(f"{n}\n" for n in nodes))
    return 0


def _existing(name: str) -> Cluster:
    cluster = Cluster("kind", name)
    if not cluster.exists() or not cluster.apiserver():
        raise KindError(f"could not locate any control plane nodes for cluster named '{name}'. "
                        "Use the --name option to select a different cluster")
    return cluster


def kind_entry(cluster: Cluster, internal: bool) -> kubeconfig.Entry:
    server = f"https://{cluster.name}-control-plane:6443" if internal else None
    return lifecycle.entry(cluster, f"kind-{cluster.name}", server=server)


def cmd_get_kubeconfig(opts, log: KindLog) -> int:
    cluster = _existing(opts["name"])
    log.out(kubeconfig.dump(kubeconfig.render(kind_entry(cluster, opts["internal"]))) + "\n")
    return 0


def cmd_export_kubeconfig(opts, log: KindLog) -> int:
    cluster = _existing(opts["name"])
    entry = kind_entry(cluster, opts["internal"])
    path = kubeconfig.kind_path(opts["kubeconfig"])
    try:
        kubeconfig.update(path, lambda cfg: kubeconfig.merge(cfg, entry, True) or True)
    except kubeconfig.LockError as err:
        raise KindError(str(err)) from None
    log.info(f'Set kubectl context to "kind-{cluster.name}"')
    return 0
