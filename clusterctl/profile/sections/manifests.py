"""The `manifests` section: files, plain directories and kustomize directories, applied in order."""

from __future__ import annotations

from pathlib import Path

from clusterctl.profile.check import Checker, Section, absolute, is_dir, is_file, path_problem
from clusterctl.profile.model import ManifestSource

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def read_manifests(root: Section) -> tuple[ManifestSource, ...]:
    checker, sources = root.checker, []
    for path, value in root.items("manifests"):
        raw = checker.string(value, path)
        if raw is None:
            continue
        where = absolute(raw, checker.base_dir(path))
        source = ManifestSource(where, source_kind(where))
        if checker.check_files:
            _check(checker, path, source)
        sources.append(source)
    return tuple(sources)


def source_kind(path: Path) -> str:
    """kustomize when the directory holds a kustomization; a path that does not exist yet goes by its suffix."""
    if is_dir(path):
        return "kustomize" if any(is_file(path / name) for name in KUSTOMIZATION_FILES) else "dir"
    return "file" if is_file(path) or path.suffix in MANIFEST_SUFFIXES else "dir"


def _check(checker: Checker, path: str, source: ManifestSource) -> None:
    message = path_problem(source.path, "file" if source.kind == "file" else "dir")
    if message:
        checker.report(path, message.replace("file not found", "manifest file not found", 1)
                       .replace("directory not found", "manifest directory not found", 1))
    elif source.kind == "dir" and not any(is_file(p) and p.suffix in MANIFEST_SUFFIXES for p in source.path.iterdir()):
        checker.report(path, f"directory has no .yaml, .yml or .json files and no kustomization: {source.path}")
