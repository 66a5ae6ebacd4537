"""`kind load docker-image IMAGE...`: checks and messages in kind's order, a real `docker save`."""
from __future__ import annotations

from . import docker, images
from .docker import RunError
from .kindlog import KindError, KindLog
from .state import Cluster


def load(opts, log: KindLog) -> int:
    names = list(dict.fromkeys(opts.args))
    if not names:
        raise KindError("a list of image names is required")
    ids = {}
    for name in names:
        try:
            ids[name] = docker.image_id(name)
        except RunError:
            raise KindError(f'image: "{name}" not present locally') from None
    cluster = Cluster("kind", opts["name"])
    nodes = cluster.nodes() if cluster.exists() else []
    if not nodes:
        raise KindError(f'no nodes found for cluster "{opts["name"]}"')
    for wanted in opts["nodes"]:
        if wanted not in nodes:
            raise KindError(f'unknown node: "{wanted}"')
    candidates = opts["nodes"] or nodes
    if _select(cluster, names, ids, candidates, log):
        try:
            docker.save_and_discard(names)
        except RunError as err:
            raise KindError(str(err), err.output) from None
        images.log_transfer(cluster, "kind", names)
    images.record(cluster, ids)
    return 0


def _select(cluster: Cluster, names: list[str], ids: dict, candidates: list[str], log: KindLog) -> bool:
    """True when some node lacks some image and the tar must be made."""
    present = images.loaded(cluster)
    selected: set[str] = set()
    for name in names:
        image_id, ref = ids[name], images.normalise(name)
        retagged = False
        for node in candidates:
            if present.get(ref) == image_id:
                continue
            if image_id in present.values():
                log.info(f"Image with ID: {image_id} already present on the node {node} "
                         f"but is missing the tag {ref}. re-tagging...")
                retagged = True
                continue
            selected.add(node)
            log.info(f'Image: "{name}" with ID "{image_id}" not yet present on node "{node}", loading...')
        if not selected and not retagged:
            log.info(f'Image: "{name}" with ID "{image_id}" found to be already present on all nodes.')
    return bool(selected)
