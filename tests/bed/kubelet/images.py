"""Images on the node: loaded ones from node-images.json, others pulled with the pod's secrets."""
from __future__ import annotations

import base64
import ipaddress
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bed.apiserver.defaults import image_pull_policy
from tests.bed.apiserver.errors import NotFound

from .backoff import Backoff, go_duration
from .docker import Result
from .imageref import InvalidImageName, normalise


@dataclass(frozen=True)
class Image:
    ref: str       # normalised reference, what containerStatus.image shows
    run_as: str    # what `docker run` gets: the image ID
    image_id: str  # containerStatus.imageID


class ImageError(Exception):
    """A container cannot start for want of its image; reason is the waiting reason."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


class NodeImages:
    """What `kind load` / `minikube image load` put on the node, re-read when the file changes."""

    def __init__(self, state_dir: Path):
        self._path = Path(state_dir) / "node-images.json"
        self._stamp: tuple[int, int] | None = None
        self._images: dict[str, str] = {}
        self._lock = threading.Lock()

    def current(self) -> dict[str, str]:
        with self._lock:
            try:
                st = self._path.stat()
            except FileNotFoundError:
                self._stamp, self._images = None, {}
                return {}
            if (st.st_mtime_ns, st.st_size) != self._stamp:
                self._stamp = (st.st_mtime_ns, st.st_size)
                self._images = json.loads(self._path.read_text() or "{}").get("images") or {}
            return dict(self._images)


class ImageManager:
    def __init__(self, docker, store, node_images: NodeImages):
        self._docker, self._store, self._node = docker, store, node_images
        self._pulled: dict[str, Image] = {}

    def ensure(self, pod: dict, container: dict, backoff: Backoff, event) -> Image:
        """EnsureImageExists: the image to run, or ImageError; `event(type, reason, message)`."""
        image = container["image"]
        try:
            ref = normalise(image)
        except InvalidImageName as e:
            event("Warning", "InspectFailed", str(e))
            raise ImageError("InvalidImageName", str(e)) from None
        policy = container.get("imagePullPolicy") or image_pull_policy(image)
        present = self._present(ref)
        if present and policy != "Always":
            event("Normal", "Pulled", f'Container image "{image}" already present on machine')
            return present
        if policy == "Never":
            message = f'Container image "{image}" is not present with pull policy of Never'
            event("Warning", "ErrImageNeverPull", message)
            raise ImageError("ErrImageNeverPull", message)
        if backoff.in_backoff():
            message = f'Back-off pulling image "{image}"'
            event("Normal", "BackOff", message)
            raise ImageError("ImagePullBackOff", message)
        return self._pull(pod, image, ref, backoff, event)

    def _present(self, ref: str) -> Image | None:
        loaded = self._node.current().get(ref)
        if loaded:
            return Image(ref, loaded, loaded)
        return self._pulled.get(ref)

    def _pull(self, pod: dict, image: str, ref: str, backoff: Backoff, event) -> Image:
        event("Normal", "Pulling", f'Pulling image "{image}"')
        started = time.monotonic()
        auths, missing = self._pull_secrets(pod)
        if missing:
            event("Warning", "FailedToRetrieveImagePullSecret",
                  f"Unable to retrieve some image pull secrets ({', '.join(missing)}); "
                  "attempting to pull the image may not succeed.")
        res = self._docker_pull(ref, auths)
        info = self._docker.image_info(ref) if res.code == 0 else None
        if info is None:
            backoff.next()
            message = _pull_failure(ref, res.message)
            event("Warning", "Failed", f'Failed to pull image "{image}": {message}')
            raise ImageError("ErrImagePull", message)
        took = go_duration(round(time.monotonic() - started, 3))
        event("Normal", "Pulled", f'Successfully pulled image "{image}" in {took} ({took} '
                                  f'including waiting). Image size: {info.get("Size", 0)} bytes.')
        digests = info.get("RepoDigests") or []
        pulled = Image(ref, info["Id"], digests[0] if digests else info["Id"])
        self._pulled[ref] = pulled
        return pulled

    def _docker_pull(self, ref: str, auths: dict) -> Result:
        """`docker pull` with a private DOCKER_CONFIG; registries off this host are never asked
        (the bed is loopback-only), they fail the way an offline node reports."""
        host = ref.split("/", 1)[0]
        if not _is_loopback(host):
            path = ref.partition("/")[2]
            name, _, tag = path.partition("@") if "@" in path else path.rpartition(":")
            server = "registry-1.docker.io" if host == "docker.io" else host
            return Result(1, "", f'failed to do request: Head "https://{server}/v2/{name}/'
                                 f'manifests/{tag}": dial tcp: lookup {server}: no such host')
        with tempfile.TemporaryDirectory(prefix="bed-pull-") as config_dir:
            config = Path(config_dir) / "config.json"
            config.write_text(json.dumps({"auths": auths}))
            os.chmod(config, 0o600)
            return self._docker.run("pull", ref, env={"DOCKER_CONFIG": config_dir}, timeout=300)

    def _pull_secrets(self, pod: dict) -> tuple[dict, list[str]]:
        auths: dict = {}
        missing: list[str] = []
        for ref in pod["spec"].get("imagePullSecrets") or []:
            try:
                secret = self._store.get("v1", "Secret", pod["metadata"]["namespace"], ref["name"])
            except NotFound:
                missing.append(ref["name"])
                continue
            auths.update(_auths_of(secret))
        return auths, missing


def _is_loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name in ("localhost", "[::1]"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _auths_of(secret: dict) -> dict:
    data = secret.get("data") or {}
    try:
        if ".dockerconfigjson" in data:
            return json.loads(base64.b64decode(data[".dockerconfigjson"])).get("auths") or {}
        if ".dockercfg" in data:
            return json.loads(base64.b64decode(data[".dockercfg"]))
    except ValueError:
        pass  # a malformed secret gives no credentials, as on a real node
    return {}


def _pull_failure(ref: str, detail: str) -> str:
    """containerd's wording around the daemon's reason."""
    head = f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
    lowered = detail.lower()
    if any(s in lowered for s in ("unauthorized", "no basic auth", "denied",
                                  "authentication required")):
        return head + "pull access denied, repository does not exist or may require " \
                      f"authorization: {detail}"
    if "not found" in lowered or "manifest unknown" in lowered:
        return head + f"{ref}: not found"
    return head + detail
