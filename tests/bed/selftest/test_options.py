"""BedOptions parses the control-plane argv documented in tests/bed/README.md."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.bed.options import BedOptions

pytestmark = pytest.mark.integration


def test_defaults_and_repeated_nodes():
    opts = BedOptions.from_argv(["--name", "dev", "--flavor", "kind", "--state-dir", "/tmp/s",
                                 "--node", "dev-control-plane", "--node", "dev-worker"])
    assert opts == BedOptions(name="dev", flavor="kind", state_dir=Path("/tmp/s"),
                              nodes=["dev-control-plane", "dev-worker"])


def test_every_flag():
    opts = BedOptions.from_argv([
        "--name", "m", "--flavor", "minikube", "--state-dir", "s", "--node", "m",
        "--k8s-version", "v1.31.2", "--ready-after", "1.5", "--backoff-base", "0.1",
        "--observe-lag", "2", "--backoff-cap", "2", "--node-cpu", "2", "--node-memory", "4Gi", "--tls-dir", "t"])
    assert (opts.k8s_version, opts.ready_after, opts.backoff_base, opts.backoff_cap) == \
        ("v1.31.2", 1.5, 0.1, 2.0)
    assert (opts.node_cpu, opts.node_memory, opts.tls_dir) == ("2", "4Gi", Path("t"))
    assert opts.observe_lag == 2.0


def test_flavor_is_checked():
    with pytest.raises(SystemExit):
        BedOptions.from_argv(["--name", "x", "--flavor", "k3d", "--state-dir", "s", "--node", "n"])
