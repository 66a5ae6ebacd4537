"""Refuse secrets written into a profile: profiles are committed, secrets come from the environment.

Read before `${VAR}` expansion, so a `${VAR:-default}` default counts as written in the profile."""

from __future__ import annotations

import re

from clusterctl.profile.check import Checker
from clusterctl.profile.interpolate import references, written
from clusterctl.profile.tree import SourcedList, SourcedMap
from clusterctl.secretnames import build_secret_fix, is_secret_name
from clusterctl.yamlsrc import key_path

_NAMES_NOT_VALUES = {"pullsecret", "passwordenv", "pullpasswordenv"}  # keys whose value names a Secret object or a variable
_BUILD_ARGS = re.compile(r"images\[[0-9]+\]\.buildArgs\Z")
_VARIABLE_NAMES = re.compile(r"secrets\[[0-9]+\]\.fromEnv\Z|images\[[0-9]+\]\.secrets\Z")  # values are names


def refuse_literal_secrets(tree: SourcedMap, checker: Checker) -> None:
    """Report secret-looking keys with a written value anywhere, and every build arg that carries a secret."""
    _walk(tree, "", checker)


def _walk(node: object, path: str, checker: Checker) -> None:
    if _VARIABLE_NAMES.match(path):
        return
    keys = list(node.keys()) if isinstance(node, SourcedMap) else range(len(node))
    for key in keys:
        value, child = node[key], key_path(path, key)
        if isinstance(value, (SourcedMap, SourcedList)):
            _walk(value, child, checker)
        elif isinstance(key, str) and _BUILD_ARGS.match(path):
            _build_arg(key, value, child, checker)
        elif isinstance(key, str) and _secret_looking(key) and _written(value):
            checker.report(child, f"literal secret value{_in_default(value)}; {_fix(path)}")


def _build_arg(key: str, value: object, path: str, checker: Checker) -> None:
    """A build arg is on the docker command line and in the image history (a RUN records the args it sees):
    one named like a secret, or read from a variable named like one, must be a build secret instead."""
    variables = [name for name, _ in references(value)] if isinstance(value, str) else []
    secret_variable = next((name for name in variables if is_secret_name(name)), None)
    if not (is_secret_name(key) or secret_variable):
        return
    variable = secret_variable or (variables[0] if variables else key)
    secret_id = (key if is_secret_name(key) else variable).lower()
    image = path.split(".buildArgs", 1)[0]
    checker.report(path, "a secret build arg stays in the image history and on the docker command line; move it to "
                         + build_secret_fix(secret_id, variable, f"{image}.secrets"))


def _secret_looking(key: str) -> bool:
    return re.sub(r"[-_.]", "", key.lower()) not in _NAMES_NOT_VALUES and is_secret_name(key)


def _written(value: object) -> bool:
    if isinstance(value, str):
        return bool(written(value).strip())
    return value is not None


def _in_default(value: object) -> str:
    """Where the written value is when all of it is a reference's default."""
    if not isinstance(value, str) or written(value, defaults=False).strip():
        return ""
    name = next((name for name, default in references(value) if default), None)
    return f" in the default of ${{{name}}}" if name else ""


def _fix(path: str) -> str:
    if path.startswith("shipping"):
        return "put it in the environment and name it: passwordEnv: GHCR_TOKEN"
    if path.startswith("secrets"):
        return "put it in the environment and name the variable under fromEnv, e.g. fromEnv: {password: DB_PASSWORD}"
    return "put it in the environment and reference it as ${NAME}"
