"""`minikube status`, `image load`, `image ls` and `service --url`."""
from __future__ import annotations

import json
import sys
import tarfile
import time
import urllib.parse
from pathlib import Path

from tests.bed.kubelet import nodestatus
from tests.bed.kubelet.docker import Docker as KubeletDocker

from . import apiclient, docker, images, kubeconfig, nodes, proc, releases
from .mkout import Exit, Out, go_json
from .state import Cluster



def _up(cluster: Cluster) -> bool:
    return proc.running(cluster) and nodes.running(cluster)


def node_statuses(cluster: Cluster) -> list[dict]:
    if not _up(cluster):
        host = kubelet = apiserver = config = "Stopped"
    else:
        host = kubelet = "Running"
        apiserver = "Running" if apiclient.healthy(cluster) else "Stopped"
        server = kubeconfig.cluster_server(kubeconfig.minikube_path(), cluster.name)
        config = "Configured" if server == (cluster.apiserver() or {}).get("url") else "Misconfigured"
    nodes = cluster.nodes()
    statuses = [{"Name": nodes[0], "Host": host, "Kubelet": kubelet, "APIServer": apiserver,
                 "Kubeconfig": config, "Worker": False}]
    statuses += [{"Name": n, "Host": host, "Kubelet": kubelet, "APIServer": "Irrelevant",
                  "Kubeconfig": "Irrelevant", "Worker": True} for n in nodes[1:]]
    return statuses


def exit_code(statuses: list[dict]) -> int:
    """The bitmask: 1 host, 2 cluster (kubelet / apiserver), 4 kubeconfig."""
    code = 0 if statuses else 7
    for st in statuses:
        if st["Host"] != "Running":
            code |= 1
        if st["APIServer"] not in ("Running", "Irrelevant") or st["Kubelet"] != "Running":
            code |= 2
        if st["Kubeconfig"] not in ("Configured", "Irrelevant"):
            code |= 4
    return code


def cmd_status(opts, out: Out) -> int:
    cluster = Cluster("minikube", opts["profile"])
    if not cluster.exists():
        raise out.profile_missing(cluster.name)
    statuses = node_statuses(cluster)
    if opts["output"] == "json":
        sys.stdout.write(go_json(statuses[0] if len(statuses) == 1 else statuses))
    else:
        sys.stdout.write("".join(_status_text(st) for st in statuses))
    return exit_code(statuses)


def _status_text(st: dict) -> str:
    if st["Worker"]:
        return f"{st['Name']}\ntype: Worker\nhost: {st['Host']}\nkubelet: {st['Kubelet']}\n\n"
    text = (f"{st['Name']}\ntype: Control Plane\nhost: {st['Host']}\nkubelet: {st['Kubelet']}\n"
            f"apiserver: {st['APIServer']}\nkubeconfig: {st['Kubeconfig']}\n\n")
    if st["Kubeconfig"] == "Misconfigured":
        text += ("\nWARNING: Your kubectl is pointing to stale minikube-vm.\n"
                 "To fix the kubectl context, run `minikube update-context`\n")
    return text


def profile_status(cluster: Cluster) -> str:
    return "OK" if _up(cluster) and apiclient.healthy(cluster) else "Stopped"


def _profile_or_usage(out: Out, name: str) -> Cluster:
    cluster = Cluster("minikube", name)
    if not cluster.exists():
        raise out.fatal("MK_USAGE", 14, f'loading profile: cluster "{name}" does not exist')
    return cluster


def cmd_image_load(opts, out: Out) -> int:
    """Exits 0 even when nothing was loaded, as minikube does (minikube#21393)."""
    if not opts.args:
        raise out.fatal("MK_USAGE", 14, "Please provide an image in your local daemon to load into "
                                        "minikube via <minikube image load IMAGE_NAME>")
    cluster = _profile_or_usage(out, opts["profile"])
    found, from_daemon = {}, []
    for arg in opts.args:
        if arg.startswith(("/", ".")) or Path(arg).is_file():
            found.update(_archive_images(Path(arg)))
            continue
        try:
            found[arg] = docker.image_id(arg)
            from_daemon.append(arg)
        except docker.RunError:
            out.warning(f"The image '{arg}' was not found; unable to add it to cache.")
    if not found or not _up(cluster):
        return 0
    try:
        if from_daemon:
            docker.save_and_discard(from_daemon)  # minikube caches every image it is given
    except docker.RunError:
        return 0
    present = images.loaded(cluster)
    if new := [ref for ref, image_id in found.items() if present.get(images.normalise(ref)) != image_id]:
        images.log_transfer(cluster, "minikube", new)  # needsTransfer: only what the node lacks
    images.record(cluster, found)
    return 0


def _archive_images(path: Path) -> dict[str, str]:
    """RepoTags -> image id from a `docker save` tarball's manifest.json."""
    try:
        with tarfile.open(path) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError, TypeError):
        return {}
    found = {}
    for item in manifest:
        digest = Path(item["Config"]).name.removesuffix(".json")
        for tag in item.get("RepoTags") or []:
            found[tag] = f"sha256:{digest}"
    return found


def _before(version: str, minor: int) -> bool:
    parts = version.lstrip("v").split(".")
    return (int(parts[0]), int(parts[1])) < (1, minor)


def cmd_image_ls(opts, out: Out) -> int:
    """machine.ListImages: the docker runtime lists one row per tag; rows are merged by image ID over
    the running nodes. Before v1.31 the first row of an ID wins (one tag per ID); from v1.31
    `mergeImageLists` keeps every tag. `short` prints the tags reverse-sorted."""
    cluster = _profile_or_usage(out, opts["profile"])
    rows, loaded = [], {}
    if _up(cluster):  # a node that is not running is skipped
        rows = [(ref, image_id.removeprefix("sha256:"), size) for ref, image_id, size in
                nodestatus.system_images("minikube", cluster.record().get("k8sVersion", ""))]
        loaded = images.loaded(cluster)
    sizes = nodestatus.image_sizes(KubeletDocker(), sorted(set(loaded.values())))
    rows += [(ref, image_id.removeprefix("sha256:"), sizes.get(image_id, 0)) for ref, image_id in loaded.items()]
    merged: dict[str, dict] = {}
    for ref, image_id, size in sorted(rows):  # docker lists a repository's tags in order
        entry = merged.setdefault(image_id, {"id": image_id, "repoDigests": [], "repoTags": [],
                                             "size": str(size)})
        if not entry["repoTags"] or not _before(releases.minikube(), 31):
            entry["repoTags"].append(ref)
    listed = [merged[i] for i in sorted(merged)]
    if opts["format"] == "json":
        sys.stdout.write(json.dumps(listed, separators=(",", ":")) + "\n")
    else:
        tags = sorted((t for e in listed for t in e["repoTags"]), reverse=True)
        sys.stdout.write("\n".join(tags) + "\n")
    return 0


def cmd_service(opts, out: Out) -> int:
    cluster = Cluster("minikube", opts["profile"])
    if not cluster.exists():
        raise out.profile_missing(cluster.name)
    if not _up(cluster):
        out.styled("Shrug", f'The control-plane node {cluster.name} host is not running: state=Stopped')
        command = "minikube start" + ("" if cluster.name == "minikube" else f" -p {cluster.name}")
        out.styled("Workaround", f'To start a cluster, run: "{command}"')
        raise Exit(83)
    if not opts.args:
        raise out.fatal("MK_USAGE", 14, "You must specify service name(s) or --all")
    name, namespace = opts.args[0], opts["namespace"]
    service = _get_service(cluster, namespace, name, opts["wait"])
    if service is None:
        raise out.fatal("SVC_NOT_FOUND", 115,
                        f"Service '{name}' was not found in '{namespace}' namespace.\n"
                        f"You may select another namespace by using 'minikube service {name} -n "
                        "<namespace>'. Or list out all the services using 'minikube service list'")
    spec = service.get("spec") or {}
    ports = [p["nodePort"] for p in spec.get("ports") or [] if p.get("nodePort")]
    if not ports:
        out.warning(f'Services [{namespace}/{name}] have type "ClusterIP" not meant to be exposed, '
                    "however for local development minikube allows you to access this !")
        return 0
    scheme = "https" if opts["https"] else "http"
    sys.stdout.write("".join(f"{scheme}://127.0.0.1:{port}\n" for port in ports))
    if spec.get("type") in ("NodePort", "LoadBalancer") and not _has_running_pod(cluster, namespace, spec):
        raise out.fatal("SVC_UNREACHABLE", 115,
                        f"service not available: no running pod for service {name} found")
    return 0


def _get_service(cluster: Cluster, namespace: str, name: str, wait: int) -> dict | None:
    deadline = time.monotonic() + max(wait, 0)
    while True:
        try:
            status, body = apiclient.get(cluster, f"/api/v1/namespaces/{namespace}/services/{name}")
        except apiclient.ApiError:
            status, body = 0, None
        if status == 200 and body:
            return body
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)


def _has_running_pod(cluster: Cluster, namespace: str, spec: dict) -> bool:
    selector = ",".join(f"{k}={v}" for k, v in (spec.get("selector") or {}).items())
    query = urllib.parse.urlencode({"labelSelector": selector})
    try:
        status, body = apiclient.get(cluster, f"/api/v1/namespaces/{namespace}/pods?{query}")
    except apiclient.ApiError:
        return False
    pods = (body or {}).get("items") or [] if status == 200 else []
    return any((p.get("status") or {}).get("phase") == "Running" for p in pods)
