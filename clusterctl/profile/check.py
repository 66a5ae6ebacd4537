"""Typed reads of profile mappings that record every problem (file, line, key path) instead of stopping."""

from __future__ import annotations

import difflib
import json
import os.path
import re
import stat
from pathlib import Path
from typing import Callable, Iterable

from clusterctl.errors import Problem
from clusterctl.profile.model import parent_path
from clusterctl.profile.rules import env_name
from clusterctl.profile.tree import SourcedList, SourcedMap
from clusterctl.yamlsrc import key_path

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
Rule = Callable[[str], "str | None"]


def describe(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def suggest(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    folded = {c.lower().replace("_", "").replace("-", ""): c for c in choices}
    close = folded.get(word.lower().replace("_", "").replace("-", "")) or next(
        iter(difflib.get_close_matches(word, choices, n=1, cutoff=0.75)), None)
    return f' (did you mean "{close}"?)' if close else ""


class Checker:
    """One validation pass: where things are, what was interpolated, and every problem found."""

    def __init__(self, locations: dict[str, tuple[str, int]], check_files: bool):
        self.locations = locations
        self.check_files = check_files
        self.referenced: set[str] = set()  # key paths whose values held a ${VAR} reference
        self.problems: list[Problem] = []
        self.reported: set[str] = set()  # one problem per key path: the first one found

    def where(self, path: str) -> tuple[str, int | None]:
        probe = path
        while probe not in self.locations and probe:
            probe = parent_path(probe)
        return self.locations.get(probe, self.locations[""])

    def report(self, path: str, message: str) -> None:
        if path in self.reported:
            return
        self.reported.add(path)
        file, line = self.where(path)
        self.problems.append(Problem(file, line, path, message))

    def base_dir(self, path: str) -> Path:
        return Path(self.where(path)[0]).parent

    def section(self, value: object, path: str, keys: Iterable[str] | None) -> "Section | None":
        """The mapping at `path`; keys=None opens a free-form mapping (no unknown-key check)."""
        if not isinstance(value, SourcedMap):
            self.report(path, f"expected a mapping, got {describe(value)}")
            return None
        return Section(self, value, path, None if keys is None else tuple(keys))

    def string(self, value: object, path: str, *, choices: tuple[str, ...] = (), rule: Rule | None = None) -> str | None:
        """The string, or None after reporting it; `rule` returns a message for an invalid value."""
        if not isinstance(value, str):
            self.report(path, f"expected a string, got {describe(value)}{_quote_hint(value)}")
            return None
        if choices and value not in choices:
            self.report(path, f"expected one of {', '.join(choices)}; got {describe(value)}{suggest(value, choices)}")
            return None
        message = rule(value) if rule else None
        if message:
            self.report(path, message)
            return None
        return value

    def items(self, value: object, path: str) -> list[tuple[str, object]]:
        """(path, item) of a list, or [] after reporting a value that is not a list."""
        if not isinstance(value, SourcedList):
            self.report(path, f"expected a list, got {describe(value)}")
            return []
        return [(key_path(path, i), item) for i, item in enumerate(value)]


class Section:
    """One mapping of the profile; unknown keys are reported when it is opened."""

    def __init__(self, checker: Checker, value: SourcedMap, path: str, keys: tuple[str, ...] | None):
        self.checker, self.value, self.prefix = checker, value, path
        for key in value if keys is not None else ():
            if key not in keys:
                checker.report(key_path(path, key), f'unknown key "{key}"{suggest(key, keys)}')

    def at(self, key: str) -> str:
        return key_path(self.prefix, key)

    def has(self, key: str) -> bool:
        return self.value.get(key) is not None

    def raw(self, key: str) -> object:
        return self.value.get(key)

    def report(self, key: str, message: str) -> None:
        self.checker.report(self.at(key), message)

    def text(self, key: str, default: str | None = None, *, required: bool = False,
             choices: tuple[str, ...] = (), rule: Rule | None = None) -> str | None:
        value = self.value.get(key)
        if value is None:
            if required:
                self.report(key, "required key is missing")
            return default
        checked = self.checker.string(value, self.at(key), choices=choices, rule=rule)
        return default if checked is None else checked

    def integer(self, key: str, default: int | None, *, minimum: int | None = None,
                maximum: int | None = None, required: bool = False) -> int | None:
        value = self.value.get(key)
        if value is None:
            if required:
                self.report(key, "required key is missing")
            return default
        if isinstance(value, str) and self.at(key) in self.checker.referenced and _INTEGER.match(value.strip()):
            value = int(value)  # an interpolated "${WORKERS:-1}" is a number by intent
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, f"expected an integer, got {describe(value)}")
            return default
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.report(key, f"must be {bounds}, got {value}")
            return default
        return value

    def parsed(self, key: str, parse, default):
        """`parse(raw)` gives the value, or a message (str) naming what is wrong with it."""
        if not self.has(key):
            return default
        value = parse(self.raw(key))
        if isinstance(value, str):
            self.report(key, value)
            return default
        return value

    def named(self, key: str, read_one, label: str, first_seen: dict[str, str] | None = None) -> tuple:
        """A list of entries read by `read_one(checker, path, value) -> (name, entry)`; a repeated name is
        reported with where it first stood."""
        entries, seen = [], dict(first_seen or {})
        for path, value in self.items(key):
            name, entry = read_one(self.checker, path, value)
            if name and name in seen:
                self.checker.report(f"{path}.name", f'duplicate {label} name "{name}" (first at {seen[name]})')
            elif entry:
                entries.append(entry)
            if name:
                seen.setdefault(name, path)
        return tuple(entries)

    def variable_names(self, key_rule: Rule) -> tuple[tuple[str, str], ...]:
        """This free-form mapping as (key, environment variable NAME) pairs, each key checked by key_rule."""
        found = []
        for key in self.value:
            bad_key = key_rule(key)
            if bad_key:
                self.report(key, bad_key)
            variable = self.text(key, rule=env_name)
            if variable and not bad_key:
                found.append((key, variable))
        return tuple(found)

    def strings(self, key: str, rule: Rule | None = None) -> tuple[str, ...]:
        found = (self.checker.string(item, path, rule=rule) for path, item in self.items(key))
        return tuple(item for item in found if item is not None)

    def section(self, key: str, keys: Iterable[str] | None) -> Section | None:
        if not self.has(key):
            return None
        return self.checker.section(self.value[key], self.at(key), keys)

    def items(self, key: str) -> list[tuple[str, object]]:
        return self.checker.items(self.value[key], self.at(key)) if self.has(key) else []

    def path(self, key: str, want: str | None = None) -> Path | None:
        """An absolute path, relative to the file that wrote it; `want` is "file" or "dir" to check it."""
        raw = self.text(key)
        if raw is None:
            return None
        resolved = absolute(raw, self.checker.base_dir(self.at(key)))
        if want and self.checker.check_files:
            message = path_problem(resolved, want)
            if message:
                self.report(key, message)
        return resolved

    def refuse_with(self, key: str, other: str, reason: str) -> None:
        if self.has(key) and self.has(other):
            self.report(key, f"cannot be used with {other}: {reason}")


def absolute(raw: str, base: Path) -> Path:
    path = Path(raw).expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


def path_problem(path: Path, want: str) -> str | None:
    noun = "directory" if want == "dir" else "file"
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return f"{noun} not found: {path}"
    except (OSError, ValueError) as error:  # too long, NUL bytes, no permission
        return f"cannot use {path}: {getattr(error, 'strerror', None) or error}"
    if want == "dir" and not stat.S_ISDIR(mode):
        return f"expected a directory, found a file: {path}"
    if want == "file" and stat.S_ISDIR(mode):
        return f"expected a file, found a directory: {path}"
    if want == "file" and not stat.S_ISREG(mode):
        return f"expected a regular file: {path}"
    return None


def is_file(path: Path) -> bool:
    return path_problem(path, "file") is None


def is_dir(path: Path) -> bool:
    return path_problem(path, "dir") is None


def _quote_hint(value: object) -> str:
    if isinstance(value, (bool, int, float)):
        return f'; quote it if you mean the text: "{_yaml_text(value)}"'
    return ""


def _yaml_text(value: object) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)
