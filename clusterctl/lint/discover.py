"""Find the Dockerfiles and manifests under the paths given to `clusterctl lint`, and read the manifests."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from clusterctl.errors import BadInput, InvalidInput
from clusterctl.lint.catalog import finding
from clusterctl.lint.model import Finding
from clusterctl.manifests.source import ManifestDoc, parse_manifest_text
from clusterctl.yamlsrc import load_documents, read_text

_API_VERSION = re.compile(r"^\s*apiVersion:", re.MULTILINE)
_KIND = re.compile(r"^\s*kind:", re.MULTILINE)
_SKIP_DIRS = {"node_modules", "vendor", "__pycache__", "venv"}
_MANIFEST_SUFFIXES = (".yaml", ".yml")  # JSON only when named: a tree is full of package.json


@dataclass
class Discovered:
    dockerfiles: list[Path] = field(default_factory=list)
    manifests: list[tuple[Path, bool]] = field(default_factory=list)  # (path, named on the command line)
    problems: list[Finding] = field(default_factory=list)


def is_dockerfile(name: str) -> bool:
    if name.endswith(".dockerignore"):
        return False
    lower = name.lower()
    return lower in ("dockerfile", "containerfile") or lower.startswith("dockerfile.") or lower.endswith(".dockerfile")


def discover(paths: Sequence[Path]) -> Discovered:
    found = Discovered()
    for path in paths:
        if path.is_dir():
            _walk(path, found)
        elif path.is_file():
            if path.name.endswith((*_MANIFEST_SUFFIXES, ".json")):
                found.manifests.append((path, True))
            else:
                found.dockerfiles.append(path)
        else:
            raise BadInput(f"{path}: no such file or directory", hint="name a profile, a file or a directory")
    return found


def _walk(root: Path, found: Discovered) -> None:
    for folder, dirs, files in os.walk(root):
        if "Chart.yaml" in files:
            dirs.clear()  # Helm templates are not YAML until rendered
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            path = Path(folder) / name
            if is_dockerfile(name):
                found.dockerfiles.append(path)
            elif name.endswith(_MANIFEST_SUFFIXES):
                found.manifests.append((path, False))


def load_manifest_file(path: Path, explicit: bool) -> tuple[list[ManifestDoc], list[Finding]]:
    """The Kubernetes objects of a YAML file, read as `up` reads them. Other YAML (configs, CI files)
    found in a directory is skipped; a file named on the command line must be a manifest."""
    source = str(path)
    try:
        text = read_text(path)
        if not explicit and not _looks_like_manifest(text, source):
            return [], []
        return parse_manifest_text(text, source), []
    except InvalidInput as error:
        return [], [finding("K8S000", source, p.line or 1, _problem_text(p)) for p in error.problems]


def _looks_like_manifest(text: str, source: str) -> bool:
    try:
        return any(_is_object(d.value) for d in load_documents(text, source))
    except InvalidInput:
        return bool(_API_VERSION.search(text) and _KIND.search(text))  # broken, but meant as a manifest


def _is_object(value: object) -> bool:
    """Looks like a Kubernetes object; tool configs (kind's Cluster, our profiles) have no metadata."""
    return isinstance(value, dict) and "apiVersion" in value and "kind" in value and isinstance(value.get("metadata"), dict)


def _problem_text(problem) -> str:
    return f"{problem.path}: {problem.message}" if problem.path else problem.message
