"""The ordered step lists of each verb. Reading this file tells what `up`, `down` and `redeploy` do."""

from __future__ import annotations

from clusterctl.lintcmd import LintPreflight
from clusterctl.orchestrator import Alongside
from clusterctl.steps.apply import ApplyManifests
from clusterctl.steps.build import BuildImages
from clusterctl.steps.cluster import DeleteCluster, EnsureCluster, RequireCluster, VerifyIdentity
from clusterctl.steps.namespace import EnsureNamespace
from clusterctl.steps.preflight import Preflight
from clusterctl.steps.prune import PruneDropped
from clusterctl.steps.secrets import EnsureSecrets
from clusterctl.steps.ship import ShipImages
from clusterctl.steps.teardown import DeleteApplied
from clusterctl.steps.wait import WaitReady


def up(strict: bool = False) -> list:
    return [LintPreflight(strict), Preflight(needs_secrets=True, starts_cluster=True),
            Alongside([[EnsureCluster(), VerifyIdentity(), EnsureNamespace(), EnsureSecrets()], [BuildImages()]]),
            # Prune once the new workloads are ready: a renamed one replaces the old without a gap, and
            # listing every resource type does not eat into the wait's timeout.
            ShipImages(), ApplyManifests(), WaitReady(), PruneDropped()]


def redeploy() -> list:
    # The cluster check waits on the API client's import; let the build run meanwhile.
    return [Preflight(), Alongside([[RequireCluster(), VerifyIdentity()], [BuildImages()]]), ShipImages(),
            ApplyManifests(), WaitReady()]


def down(keep_cluster: bool) -> list:
    return [Preflight(needs_docker=False), DeleteApplied() if keep_cluster else DeleteCluster()]
