"""An in-process cluster for the controllers' and kubelet's self-tests: the Store with its
bootstrap, the controllers and the kubelet, without HTTP."""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from tests.bed.apiserver.bootstrap import bootstrap
from tests.bed.apiserver.errors import NotFound
from tests.bed.apiserver.store import Store
from tests.bed.controllers import start_controllers
from tests.bed.fixtures import build_busybox_image
from tests.bed.options import BedOptions

from . import start_kubelet
from .docker import Docker
from .runspec import CLUSTER_LABEL


@dataclass
class Plane:
    store: Store
    opts: BedOptions
    server: SimpleNamespace

    def create(self, obj: dict) -> dict:
        return self.store.create(obj)

    def get(self, api_version: str, kind: str, namespace: str | None, name: str) -> dict | None:
        try:
            return self.store.get(api_version, kind, namespace, name)
        except NotFound:
            return None

    def wait(self, probe, what: str, timeout: float = 60.0):
        """Poll `probe()` until it returns something truthy; that value is returned. The deadline is
        generous because a loaded 2-core machine can take tens of seconds to start containers; a
        passing probe returns at once."""
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
            time.sleep(0.05)

    def pods(self, namespace: str, **labels: str) -> list[dict]:
        return self.store.list("v1", "Pod", namespace, labels or None)

    def events(self, namespace: str, name: str) -> list[tuple[str, str, str]]:
        return [(e["type"], e["reason"], e["message"])
                for e in self.store.list("v1", "Event", namespace)
                if e["involvedObject"].get("name") == name]

    def logs(self, namespace: str, pod: str, container: str | None = None,
             previous: bool = False, tail: int | None = None) -> str:
        chunks = self.server.log_provider(namespace, pod, container, previous, tail, False)
        return b"".join(chunks).decode()

    def namespace(self, name: str) -> str:
        self.store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        return name

    def containers(self) -> list[str]:
        return Docker().ids_with_label(f"{CLUSTER_LABEL}={self.opts.name}")


SELFTEST_IMAGE = "bed-selftest-busybox:1"


def busybox_image(context: Path) -> tuple[str, str]:
    """The self-tests' `FROM scratch` busybox image (kept between runs for the build cache):
    (normalised ref, image ID)."""
    build_busybox_image(context, SELFTEST_IMAGE, ["sleep", "3600"])
    docker = Docker()
    return f"docker.io/library/{SELFTEST_IMAGE}", docker.image_info(SELFTEST_IMAGE)["Id"]


@contextmanager
def running_plane(state_dir: Path, name: str, nodes: list[str], images: dict[str, str],
                  **settings):
    """Run a cluster whose nodes have `images` ({normalised ref: image id}) loaded."""
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "node-images.json").write_text(json.dumps({"images": images}))
    opts = BedOptions(name=name, flavor="kind", state_dir=state_dir, nodes=nodes, **settings)
    store = Store(gc_delay=0.02, namespace_delay=0.05)
    bootstrap(store, opts)
    stop_controllers = start_controllers(store, opts)
    server = SimpleNamespace(log_provider=None)
    stop_kubelet = start_kubelet(store, opts, server)
    try:
        yield Plane(store, opts, server)
    finally:
        stop_kubelet()
        stop_controllers()
        store.close()
