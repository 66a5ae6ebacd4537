"""Know the clusters clusterctl created by identity, not by context name.

At creation clusterctl stamps the cluster (a ConfigMap in kube-public holding a random id and the
profile) and keeps locally the API server URL and CA fingerprint the context pointed at. Before any
request, both must still agree (clusterctl/guard.py owns that order): a `kind-dev` context that now points
at another server is refused and sent nothing.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from clusterctl.errors import WrongCluster
from clusterctl.kubeconfig import Endpoint, endpoint
from clusterctl.statedir import home, write_text

ADOPT = "if this is the cluster you mean, run the verb again with --adopt to stamp it as yours"
CONFIGMAP = "clusterctl-identity"
NAMESPACE = "kube-public"


def key(kubeconfig: Path, context: str) -> str:
    digest = hashlib.sha256(str(kubeconfig.expanduser().resolve()).encode()).hexdigest()[:10]
    return f"{context}-{digest}"


@dataclass(frozen=True)
class Stamp:
    id: str
    profile: str
    context: str
    server: str
    ca_fingerprint: str
    created: float


def _record_path(kubeconfig: Path, context: str) -> Path:
    return home() / "clusters" / f"{key(kubeconfig, context)}.json"


def recorded(kubeconfig: Path, context: str) -> Stamp | None:
    try:
        return Stamp(**json.loads(_record_path(kubeconfig, context).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def forget(kubeconfig: Path, context: str) -> None:
    _record_path(kubeconfig, context).unlink(missing_ok=True)
    _creating_path(kubeconfig, context).unlink(missing_ok=True)


def _creating_path(kubeconfig: Path, context: str) -> Path:
    return home() / "clusters" / f"{key(kubeconfig, context)}.creating"


def begin_create(kubeconfig: Path, context: str) -> None:
    """Mark that clusterctl is creating this cluster: a run stopped before the stamp leaves the mark, so
    the next run knows the unstamped cluster it finds is its own, half made."""
    write_text(_creating_path(kubeconfig, context), f"{time.time()}\n")


def end_create(kubeconfig: Path, context: str) -> None:
    _creating_path(kubeconfig, context).unlink(missing_ok=True)


def half_made(kubeconfig: Path, context: str) -> bool:
    return _creating_path(kubeconfig, context).exists()


def new_stamp(profile: str, context: str, seen: Endpoint) -> Stamp:
    return Stamp(secrets.token_hex(8), profile, context, seen.server, seen.ca_fingerprint, time.time())


def remember(kubeconfig: Path, stamp: Stamp) -> None:
    write_text(_record_path(kubeconfig, stamp.context), json.dumps(asdict(stamp), indent=2))


def configmap(stamp: Stamp) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": CONFIGMAP, "namespace": NAMESPACE,
                         "labels": {"app.kubernetes.io/managed-by": "clusterctl"}},
            "data": {"id": stamp.id, "profile": stamp.profile, "createdBy": "clusterctl"}}


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Comparison:
    """The context's server and CA against the record: made from local files only, before any request."""

    stamp: Stamp | None
    seen: Endpoint | None
    refusal: WrongCluster | None  # set: the context is not the recorded cluster; send it nothing
    moved: bool = False  # same CA, the API's loopback port moved: the driver's word, then the stamp, decide


def port_moved(recorded_server: str, seen_server: str) -> bool:
    """Only the port of a loopback URL changed, as with a driver that publishes on a new port each start."""
    try:
        a, b = urlsplit(recorded_server), urlsplit(seen_server)
        return (a.scheme, a.hostname) == (b.scheme, b.hostname) and a.hostname in LOOPBACK and a.port != b.port
    except ValueError:
        return False


def compare(kubeconfig: Path, context: str, port_moves: bool) -> Comparison:
    stamp = recorded(kubeconfig, context)
    seen = endpoint(kubeconfig, context)
    if stamp is None:
        return Comparison(stamp, seen, WrongCluster(
            f"context {context!r} was not created by clusterctl (no identity record)", hint=ADOPT))
    if seen is None:
        return Comparison(stamp, seen, WrongCluster(
            f"context {context!r} is missing from {kubeconfig}",
            hint="the cluster's kubeconfig entry was removed; recreate it with kind/minikube or --adopt"))
    same_ca = seen.ca_fingerprint == stamp.ca_fingerprint
    moved = seen.server != stamp.server
    if not same_ca or (moved and not (port_moves and port_moved(stamp.server, seen.server))):
        return Comparison(stamp, seen, WrongCluster(
            f"context {context!r} now points at {seen.server} (CA {seen.ca_fingerprint[:12]}), not at the cluster "
            f"clusterctl created ({stamp.server}, CA {stamp.ca_fingerprint[:12]}); nothing was sent to it",
            hint=ADOPT))
    return Comparison(stamp, seen, None, moved)


def verify_live(stamp: Stamp, live_id: str | None) -> None:
    """The cluster behind the context carries the id stamped at creation."""
    if live_id != stamp.id:
        found = "no identity ConfigMap" if live_id is None else f"identity {live_id}"
        raise WrongCluster(f"the cluster behind {stamp.context!r} ({stamp.server}) has {found} in {NAMESPACE}, "
                           f"not {stamp.id}; nothing was applied", hint=ADOPT)
