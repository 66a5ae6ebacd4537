"""`${VAR}` and `${VAR:-default}` in profile strings, from the environment at load time; `$$` is `$`."""

from __future__ import annotations

import re
from typing import Callable, Mapping

from clusterctl.profile.tree import SourcedList, SourcedMap
from clusterctl.yamlsrc import key_path

_TOKEN = re.compile(r"\$\$|\$\{(?P<body>[^}]*)(?P<close>\}?)")
_REFERENCE = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>.*))?\Z", re.S)


class InterpolationError(ValueError):
    pass


def has_reference(text: str) -> bool:
    return any(m.group(0) != "$$" for m in _TOKEN.finditer(text))


def references(text: str) -> list[tuple[str, str | None]]:
    """(NAME, default or None) of each well-formed reference in text, before expansion."""
    found = []
    for match in _TOKEN.finditer(text):
        reference = _REFERENCE.match(match.group("body") or "") if match.group("close") else None
        if reference:
            found.append((reference.group("name"), reference.group("default")))
    return found


def written(text: str, defaults: bool = True) -> str:
    """What the profile itself writes: the text without its references, keeping their defaults unless told."""
    def keep(match: re.Match) -> str:
        reference = _REFERENCE.match(match.group("body") or "") if match.group("close") else None
        if match.group(0) == "$$" or not reference:
            return match.group(0)
        return (reference.group("default") or "") if defaults else ""

    return _TOKEN.sub(keep, text)


def expand(text: str, env: Mapping[str, str]) -> str:
    """The string with every reference replaced; InterpolationError names what is wrong."""
    unset: list[str] = []

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        if not match.group("close"):
            raise InterpolationError(f'unclosed "${{" in "{text}"')
        reference = _REFERENCE.match(match.group("body"))
        if not reference or "${" in (reference.group("default") or ""):
            raise InterpolationError(f'invalid reference "{match.group(0)}"; write ${{NAME}} or ${{NAME:-default}}')
        value = env.get(reference.group("name"))
        if value:
            return value
        if reference.group("default") is not None:
            return reference.group("default")
        if value is None:
            unset.append(reference.group("name"))
        return ""

    result = _TOKEN.sub(replace, text)
    if unset:
        names = ", ".join(unset)
        raise InterpolationError(f"environment variable{'s' if len(unset) > 1 else ''} {names} not set; "
                                 f"export {'them' if len(unset) > 1 else 'it'} or give a default: ${{{unset[0]}:-value}}")
    return result


def interpolate(tree: SourcedMap, env: Mapping[str, str], report: Callable[[str, str], None]) -> set[str]:
    """Expand every string value in place; return the key paths whose values held a reference."""
    referenced: set[str] = set()
    _walk(tree, "", env, report, referenced)
    return referenced


def _walk(node: object, path: str, env, report, referenced: set[str]) -> None:
    keys = list(node.keys()) if isinstance(node, SourcedMap) else range(len(node))
    for key in keys:
        value, child_path = node[key], key_path(path, key)
        if isinstance(value, (SourcedMap, SourcedList)):
            _walk(value, child_path, env, report, referenced)
        elif isinstance(value, str) and "$" in value:
            if has_reference(value):
                referenced.add(child_path)
            try:
                node[key] = expand(value, env)
            except InterpolationError as error:
                report(child_path, str(error))
