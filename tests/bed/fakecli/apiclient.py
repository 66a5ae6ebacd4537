"""GETs against a stand-in API server on 127.0.0.1, authenticated as kubectl would be."""
from __future__ import annotations

import json
import ssl
import time
import urllib.error
import urllib.request

from .state import Cluster


class ApiError(Exception):
    pass


def get(cluster: Cluster, path: str, timeout: float = 5.0) -> tuple[int, dict | None]:
    """(status, body); raises ApiError when nothing answers."""
    info = cluster.apiserver()
    if not info:
        raise ApiError("no apiserver.json")
    url = info["url"].rstrip("/") + path
    context = None
    if url.startswith("https:"):
        context = ssl.create_default_context(cafile=str(cluster.tls_dir / "ca.crt"))
    request = urllib.request.Request(url, headers={
        "Authorization": f"Bearer {cluster.token()}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, None
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise ApiError(str(err)) from err


def healthy(cluster: Cluster) -> bool:
    try:
        return get(cluster, "/version", timeout=2.0)[0] == 200
    except ApiError:
        return False


def node_ready(cluster: Cluster, node: str) -> bool:
    try:
        status, body = get(cluster, f"/api/v1/nodes/{node}", timeout=2.0)
    except ApiError:
        return False
    if status != 200 or not body:
        return False
    conditions = (body.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def wait_nodes_ready(cluster: Cluster, nodes: list[str], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if all(node_ready(cluster, n) for n in nodes):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
