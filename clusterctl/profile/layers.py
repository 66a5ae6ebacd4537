"""Read a profile and the chain of profiles it extends, each checked for apiVersion and kind."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from clusterctl.errors import BadInput, InvalidInput, Problem
from clusterctl.profile.check import absolute, describe, path_problem
from clusterctl.profile.interpolate import InterpolationError, expand
from clusterctl.profile.model import API_VERSION, KIND
from clusterctl.profile.resolve import is_path, resolve
from clusterctl.profile.tree import SourcedMap, sourced
from clusterctl.yamlsrc import MarkedMap, load_one, read_text


def read_chain(path: Path, env: Mapping[str, str]) -> tuple[list[SourcedMap], list[Problem]]:
    """The trees of the profile and its bases, base first, and the header problems found on the way.

    A file that cannot be read or parsed, or an `extends` that leads nowhere or in a circle, stops the
    chain: the InvalidInput then holds every problem found so far.
    """
    chain: list[Path] = []
    trees: list[SourcedMap] = []
    problems: list[Problem] = []
    current, origin = path, None
    while current is not None:
        if current in chain:
            loop = " -> ".join(p.name for p in [*chain[chain.index(current):], current])
            raise InvalidInput([*problems, Problem(*origin, "extends", f"extends forms a cycle: {loop}")])
        try:
            document = load_one(read_text(current), str(current))
        except InvalidInput as error:
            raise InvalidInput([*problems, *error.problems]) from None
        if not isinstance(document.value, MarkedMap):
            got = describe(document.value)
            raise InvalidInput([*problems, Problem(str(current), document.line, "",
                                                   f"expected a mapping (a Profile), got {got}")])
        chain.append(current)
        problems += _header_problems(document.value, str(current))
        tree = sourced(document.value, str(current))
        extends = tree.pop("extends", None)
        trees.append(tree)
        if extends is None:
            break
        origin = (str(current), document.value.key_lines["extends"])
        current = _base(extends, current, env, origin, problems)
    return trees[::-1], problems


def _header_problems(tree: MarkedMap, file: str) -> list[Problem]:
    problems = []
    for key, expected in (("apiVersion", API_VERSION), ("kind", KIND)):
        value = tree.get(key)
        if value is None:
            problems.append(Problem(file, tree.line, key, f'required key is missing; expected "{expected}"'))
        elif value != expected:
            problems.append(Problem(file, tree.key_lines[key], key, f'expected "{expected}", got {describe(value)}'))
    return problems


def _base(extends: object, current: Path, env: Mapping[str, str], origin: tuple[str, int],
          problems: list[Problem]) -> Path:
    """The file `extends` names; anything else stops the chain with every problem so far."""
    def fail(message: str) -> InvalidInput:
        return InvalidInput([*problems, Problem(*origin, "extends", message)])

    if not isinstance(extends, str):
        raise fail(f"expected a profile name or a path, got {describe(extends)}")
    try:
        target = expand(extends, env)
    except InterpolationError as error:
        raise fail(str(error)) from None
    if not is_path(target):
        try:
            return resolve(target, current.parent)
        except BadInput as error:
            raise fail(f"{error.message} ({error.hint})" if error.hint else error.message) from None
    base = absolute(target, current.parent)
    problem = path_problem(base, "file")
    if problem:
        raise fail(f"cannot read the extended profile: {problem}")
    return base.resolve()
