"""Fields whose API server drops or refuses them before a feature gate turns on by default.

The schema check (K8S001) finds a field a version lacks altogether; a gated field is in the schema of the
version that introduced it as alpha, yet that server strips it (pkg/api/pod/util.go `dropDisabledFields`)
and then refuses what is left. One row per field clusterctl's users meet, from kubernetes/kubernetes
pkg/features/kube_features.go (the version each gate turns on by default).
"""

from __future__ import annotations

from typing import Iterator

from clusterctl.lint.apiversions import Version, show
from clusterctl.lint.catalog import finding
from clusterctl.lint.model import Finding
from clusterctl.lint.objects import containers, line_of, mapping, name_of, pod_template

# PodLifecycleSleepAction: alpha (off) in 1.29, beta (on) from 1.30.
SLEEP_ACTION_FROM: Version = (1, 30)
_HOOKS = ("preStop", "postStart")


def check(obj: dict, file: str, version: Version | None) -> Iterator[Finding]:
    template = pod_template(obj)
    if template is None or version is None or version >= SLEEP_ACTION_FROM:
        return
    where = f"{obj.get('kind')} {name_of(obj)}"
    for container in containers(template.spec):
        lifecycle = mapping(container.data, "lifecycle")
        for hook in _HOOKS:
            handler = mapping(lifecycle, hook)
            if "sleep" in handler:
                yield finding(
                    "K8S016", file, line_of(handler, "sleep", container.line),
                    f"{where}: container {container.name}: lifecycle.{hook}.sleep needs Kubernetes "
                    f"{show(SLEEP_ACTION_FROM)} or newer (feature gate PodLifecycleSleepAction); "
                    f"the cluster may run {show(version)}",
                    hint="let the app wait a few seconds after SIGTERM before it stops serving, or pin "
                         f"cluster.kubernetesVersion (or cluster.nodeImage) to v{show(SLEEP_ACTION_FROM)}.0 or newer")
