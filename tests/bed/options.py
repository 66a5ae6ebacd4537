"""Settings of one stand-in control plane, parsed from the argv in tests/bed/README.md."""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BedOptions:
    name: str
    flavor: str  # "kind" | "minikube"
    state_dir: Path
    nodes: list[str]
    k8s_version: str = "v1.32.0"
    ready_after: float = 0.3
    observe_lag: float = 0.2  # seconds before an apps controller acts on a spec change
    backoff_base: float = 0.5
    backoff_cap: float = 5.0
    node_cpu: str = "4"
    node_memory: str = "8Gi"
    tls_dir: Path | None = None
    # The kubelet's image list cache period (image_gc_manager.go: 30 s); Node status.images lags by it.
    image_list_period: float = 30.0
    node_container: str | None = None  # the first node's docker container: the API follows its state

    @classmethod
    def from_argv(cls, argv: list[str]) -> "BedOptions":
        args = _parser().parse_args(argv)
        return cls(
            name=args.name,
            flavor=args.flavor,
            state_dir=Path(args.state_dir),
            nodes=args.node,
            k8s_version=args.k8s_version,
            ready_after=args.ready_after,
            observe_lag=args.observe_lag,
            backoff_base=args.backoff_base,
            backoff_cap=args.backoff_cap,
            node_cpu=args.node_cpu,
            node_memory=args.node_memory,
            tls_dir=Path(args.tls_dir) if args.tls_dir else None,
            image_list_period=args.image_list_period,
            node_container=args.node_container,
        )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tests.bed.controlplane")
    p.add_argument("--name", required=True)
    p.add_argument("--flavor", required=True, choices=["kind", "minikube"])
    p.add_argument("--state-dir", required=True)
    p.add_argument("--node", action="append", required=True, help="node name; repeat per node")
    p.add_argument("--k8s-version", default="v1.32.0")
    p.add_argument("--ready-after", type=float, default=0.3)
    p.add_argument("--observe-lag", type=float, default=0.2)
    p.add_argument("--backoff-base", type=float, default=0.5)
    p.add_argument("--backoff-cap", type=float, default=5.0)
    p.add_argument("--node-cpu", default="4")
    p.add_argument("--node-memory", default="8Gi")
    p.add_argument("--tls-dir", default=None)
    p.add_argument("--image-list-period", type=float, default=30.0)
    p.add_argument("--node-container", default=None)
    return p
