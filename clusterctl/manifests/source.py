"""Read Kubernetes manifests from the profile's sources, each object with the file and line it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from clusterctl.errors import InvalidInput, Problem
from clusterctl.profile.model import ManifestSource
from clusterctl.yamlsrc import MarkedList, MarkedMap, key_path, load_documents, read_text

SUFFIXES = (".yaml", ".yml", ".json")  # what `kubectl apply -f <dir>` reads


@dataclass(frozen=True)
class ManifestDoc:
    obj: dict  # a MarkedMap: lines of every key are at hand
    file: Path
    line: int  # where the object starts in the whole file


def read_manifests(src: ManifestSource) -> list[ManifestDoc]:
    """The objects of a file, or of a directory's manifest files in lexical order (not recursive)."""
    if src.kind == "kustomize":
        raise ValueError(f"{src.path} is a kustomization: render it with `kubectl kustomize`, then parse_manifest_text")
    files = [src.path] if src.kind == "file" else manifest_files(src.path)
    docs: list[ManifestDoc] = []
    problems: list[Problem] = []
    for file in files:
        try:
            docs += parse_manifest_text(read_text(file), str(file))
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems, hint="fix the manifests and rerun")
    return docs


def manifest_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())


def parse_manifest_text(text: str, source: str) -> list[ManifestDoc]:
    """Every Kubernetes object of a YAML stream; `List` objects are expanded into their items."""
    docs: list[ManifestDoc] = []
    problems: list[Problem] = []
    for document in load_documents(text, source):
        value = document.value
        for path, obj, line in _objects(value, document.line, source, problems):
            if _is_object(obj, path, line, source, problems):
                docs.append(ManifestDoc(obj, Path(source), line))
    if problems:
        raise InvalidInput(problems, hint="each document must be a Kubernetes object with apiVersion, kind and "
                                          "metadata.name")
    return docs


def _objects(value: object, line: int, source: str, problems: list[Problem]):
    """(key path, object, line) of a document, or of each item when it is a List."""
    if not _is_list(value):
        return [("", value, line)]
    items = value["items"]
    if not isinstance(items, MarkedList):
        problems.append(Problem(source, value.key_lines["items"], "items", f"a {value['kind']} needs a list of items"))
        return []
    return [(key_path("items", i), item, items.item_lines[i]) for i, item in enumerate(items)]


def _is_list(value: object) -> bool:
    kind = value.get("kind") if isinstance(value, MarkedMap) else None
    return isinstance(kind, str) and kind.endswith("List") and "items" in value


def _is_object(obj: object, path: str, line: int, source: str, problems: list[Problem]) -> bool:
    def problem(keys: tuple[str, ...], at: int, message: str) -> bool:
        where = path
        for key in keys:
            where = key_path(where, key)
        problems.append(Problem(source, at, where, message))
        return False

    if not isinstance(obj, MarkedMap):
        got = "a list" if isinstance(obj, list) else json.dumps(obj, default=str)
        return problem((), line, f"expected a Kubernetes object (a mapping), got {got}")
    ok = True
    for key in ("apiVersion", "kind"):
        if key not in obj:
            ok = problem((key,), line, "required key is missing")
        elif not isinstance(obj[key], str) or not obj[key]:
            ok = problem((key,), obj.key_lines[key], "expected a non-empty string")
    metadata = obj.get("metadata")
    if not isinstance(metadata, MarkedMap):
        at = obj.key_lines.get("metadata", line)
        return problem(("metadata",), at, "required key is missing" if metadata is None else "expected a mapping")
    if not any(isinstance(metadata.get(k), str) and metadata[k] for k in ("name", "generateName")):
        return problem(("metadata", "name"), obj.key_lines["metadata"], "required (or metadata.generateName)")
    return ok
