"""Offline schema validation with the Kubernetes OpenAPI schemas that the kubernetes-validate package ships.

Only its data is used: its own `validate()` re-reads the 1.3 MB definitions file on every call (about
14 ms a document); loading them once per version and reusing the validators costs about 0.5 ms a document.
Nothing here is imported until a manifest is validated, so `import clusterctl.lint` stays cheap.
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from clusterctl.lint.apiversions import Version, show

PACKAGE = "kubernetes_validate"
_DIR = re.compile(r"^v(\d+)\.(\d+)\.\d+-local-strict$")


@dataclass
class SchemaSet:
    version: Version
    definitions: dict
    kinds: dict[tuple[str, str, str], str]  # (group, version, kind) -> definition name
    groups: set[str]
    _validators: dict[str, object] = field(default_factory=dict)
    _registry: object = None

    def knows_group(self, group: str) -> bool:
        return group in self.groups

    def errors(self, obj: dict) -> list | None:
        """Schema errors of a built-in object; None when its group/version/kind has no schema."""
        name = self.kinds.get(gvk(obj))
        if name is None:
            return None
        return sorted(self._validator(name).iter_errors(_plain(obj)), key=lambda e: list(map(str, e.absolute_path)))

    def _validator(self, name: str):
        if name not in self._validators:
            import jsonschema
            from referencing import Registry, Resource

            if self._registry is None:
                self._registry = Resource.from_contents(self.definitions) @ Registry()
            schema = {"$ref": f"{self.definitions['$id']}#/$defs/{name}"}
            self._validators[name] = jsonschema.Draft202012Validator(schema, registry=self._registry)
        return self._validators[name]


def gvk(obj: dict) -> tuple[str, str, str]:
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    return group, version, str(obj.get("kind", ""))


def schema_root() -> Path | None:
    """The package's schema folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
    return root if root.is_dir() else None


def shipped_versions(root: Path) -> list[Version]:
    found = (_DIR.match(p.name) for p in root.iterdir())
    return sorted((int(m.group(1)), int(m.group(2))) for m in found if m)


@functools.lru_cache(maxsize=4)
def load(target: Version | None) -> SchemaSet | str:
    """The schemas for a version (the newest shipped one not newer than it), or why there are none."""
    root = schema_root()
    if root is None:
        return "the kubernetes-validate package is not installed"
    versions = shipped_versions(root)
    usable = [v for v in versions if target is None or v <= target]
    if not usable:
        shipped = f"{show(versions[0])} to {show(versions[-1])}" if versions else "none"
        return f"kubernetes-validate ships no schemas for Kubernetes {show(target)} (it has {shipped})"
    version = usable[-1]
    folder = root / f"v{version[0]}.{version[1]}.0-local-strict"
    definitions = json.loads((folder / "_definitions.json").read_text(encoding="utf-8"))
    kinds = {
        (k["group"], k["version"], k["kind"]): name
        for name, schema in definitions["$defs"].items()
        for k in schema.get("x-kubernetes-group-version-kind", [])
    }
    return SchemaSet(version, definitions, kinds, {group for group, _, _ in kinds})


def _plain(value: object) -> object:
    """What kubectl sends: YAML timestamps are strings once converted to JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
