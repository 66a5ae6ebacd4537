"""Are kind, minikube and kubectl new enough? Each tool's version is asked once per installed binary
(cached by its path, size and mtime), so a no-op `up` does not pay for three more processes."""

from __future__ import annotations

import json
import os
import re

from clusterctl.errors import MissingTool
from clusterctl.runner import Command, Runner
from clusterctl.statedir import home, write_text

# The oldest releases whose flags and output clusterctl relies on (../shared/reference/cli-contract.md).
MINIMUM = {"kind": (0, 20, 0), "minikube": (1, 30, 0), "kubectl": (1, 27, 0)}
# The Kubernetes those oldest releases create when the profile pins none: kind v0.20.0's default node
# image (pkg/apis/config/defaults/image.go) and minikube v1.30.0's DefaultKubernetesVersion
# (pkg/minikube/constants/constants.go). Manifests are checked against it (docs/lint.md).
OLDEST_KUBERNETES = {"kind": "v1.27.3", "minikube": "v1.26.3"}
_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def parse(text: str) -> tuple[int, int, int] | None:
    match = _VERSION.search(text)
    return tuple(int(part) for part in match.groups()) if match else None


def _cache_path():
    return home() / "cache" / "tools.json"


def _stamp(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size]


def _cached(path: str, stamp: list[int] | None) -> str | None:
    try:
        entry = json.loads(_cache_path().read_text()).get(path) or {}
    except (OSError, ValueError):
        return None
    return entry.get("version") if stamp and entry.get("stamp") == stamp else None


def _remember(path: str, stamp: list[int] | None, version: str) -> None:
    if not stamp:
        return
    cache = _cache_path()
    try:
        known = json.loads(cache.read_text())
    except (OSError, ValueError):
        known = {}
    known[path] = {"stamp": stamp, "version": version}
    write_text(cache, json.dumps(known))


def require(runner: Runner, tool: str, command: Command, install_hint: str) -> str:
    """The tool's version ("0.32.0"), or MissingTool when it is too old or does not say."""
    path = runner.which(tool) or tool
    stamp = _stamp(path)
    version = _cached(path, stamp)
    if version is None:
        result = runner.run(command)
        found = parse(result.stdout) if result.ok else None
        if found is None:
            raise MissingTool(f"{tool} did not report its version (`{command.display()}`)", hint=install_hint,
                              details=(result.stderr or result.stdout).strip().splitlines()[-5:])
        version = ".".join(map(str, found))
        _remember(path, stamp, version)
    minimum = MINIMUM[tool]
    if parse(version) < minimum:
        raise MissingTool(f"{tool} {version} is too old; clusterctl needs {'.'.join(map(str, minimum))} or newer",
                          hint=install_hint)
    return version
