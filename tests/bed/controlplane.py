"""One stand-in cluster in one process: store, API server, controllers and kubelet.

    python -m tests.bed.controlplane --name NAME --flavor kind|minikube --state-dir DIR --node N ...

Writes DIR/apiserver.json once serving; SIGTERM or SIGINT stops everything and exits 0.
"""
from __future__ import annotations

import signal
import sys
import threading
from typing import Callable

from tests.bed.apiserver import admission
from tests.bed.apiserver.bootstrap import bootstrap
from tests.bed.apiserver.server import ApiServer
from tests.bed.apiserver.store import Store
from tests.bed.controllers import start_controllers
from tests.bed.kubelet import start_kubelet
from tests.bed.nodefollow import NodeFollower, write_apiserver_json
from tests.bed.options import BedOptions


def main(argv: list[str] | None = None) -> int:
    opts = BedOptions.from_argv(sys.argv[1:] if argv is None else argv)
    stop_requested = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop_requested.set())
    store = Store(admit=admission.with_webhooks(opts.state_dir))
    bootstrap(store, opts)
    server = ApiServer(store, opts)
    server.start()
    stops: list[Callable[[], None]] = [server.stop, store.close]
    try:
        stops.insert(0, start_controllers(store, opts))
        stops.insert(0, start_kubelet(store, opts, server))
        if opts.node_container:
            follower = NodeFollower(opts.node_container, server, keep_port=opts.flavor == "kind",
                                    on_change=lambda: write_apiserver_json(opts.state_dir, server, follower.serving))
            stops.insert(0, follower.start().stop)
        else:
            write_apiserver_json(opts.state_dir, server, True)
        stop_requested.wait()
    finally:
        for stop in stops:
            stop()
        (opts.state_dir / "apiserver.json").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
