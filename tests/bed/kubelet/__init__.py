"""The stand-in kubelet: runs the pods bound to the bed's nodes as real docker containers."""
from __future__ import annotations

from typing import Callable

from . import logs
from .kubelet import Kubelet


def start_kubelet(store, opts, server) -> Callable[[], None]:
    """Register the nodes, run their pods, and serve `kubectl logs` through server.log_provider.

    The returned callable stops every pod worker and removes every container this cluster ran.
    """
    kubelet = Kubelet(store, opts)
    server.log_provider = logs.provider(store, kubelet.docker)
    kubelet.start()
    return kubelet.stop
