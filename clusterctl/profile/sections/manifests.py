"""The `manifests` section: files, plain directories and kustomize directories, applied in order."""

from __future__ import annotations

from pathlib import Path

from clusterctl.profile.check import Checker, Section, absolute
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
    if path.is_dir():
        return "kustomize" if any((path / name).is_file() for name in KUSTOMIZATION_FILES) else "dir"
    return "file" if path.exists() or path.suffix in MANIFEST_SUFFIXES else "dir"


def _check(checker: Checker, path: str, source: ManifestSource) -> None:
    where = source.path
    if not where.exists():
        checker.report(path, f"manifest path not found: {where}")
    elif source.kind == "file" and not where.is_file():
        checker.report(path, f"expected a manifest file or directory: {where}")
    elif source.kind == "dir" and not any(p.suffix in MANIFEST_SUFFIXES and p.is_file() for p in where.iterdir()):
        checker.report(path, f"directory has no .yaml, .yml or .json files and no kustomization: {where}")
