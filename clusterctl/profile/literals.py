"""Refuse secret values written into a profile: profiles are committed, secrets come from the environment."""

from __future__ import annotations

import re

from clusterctl.profile.check import Checker
from clusterctl.profile.tree import SourcedList, SourcedMap
from clusterctl.yamlsrc import key_path

_SECRET_KEY = re.compile(r"(password|passwd|token|secret|apikey|accesskey|privatekey)\Z")
_NAMES_NOT_VALUES = {"pullsecret"}  # keys whose value names a Secret object, not a secret value
_BUILD_ARG = re.compile(r"PASSWORD|TOKEN|SECRET|KEY")
_BUILD_ARGS = re.compile(r"images\[[0-9]+\]\.buildArgs\Z")
_FROM_ENV = re.compile(r"secrets\[[0-9]+\]\.fromEnv\Z")  # values are variable names


def refuse_literal_secrets(tree: SourcedMap, checker: Checker) -> None:
    """Report secret-looking keys with literal values anywhere, and literal secret build args."""
    _walk(tree, "", checker)


def _walk(node: object, path: str, checker: Checker) -> None:
    if _FROM_ENV.match(path):
        return
    keys = list(node.keys()) if isinstance(node, SourcedMap) else range(len(node))
    for key in keys:
        value, child = node[key], key_path(path, key)
        if isinstance(value, (SourcedMap, SourcedList)):
            _walk(value, child, checker)
        elif isinstance(key, str) and _is_literal(value, child, checker):
            if _BUILD_ARGS.match(path):
                if _BUILD_ARG.search(key.upper()):
                    checker.report(child, f"literal secret in a build arg; take it from the environment: "
                                          f"{key}: ${{{key}}}")
            elif _secret_looking(key):
                checker.report(child, f"literal secret value; {_fix(path)}")


def _secret_looking(key: str) -> bool:
    folded = re.sub(r"[-_.]", "", key.lower())
    return folded not in _NAMES_NOT_VALUES and bool(_SECRET_KEY.search(folded))


def _is_literal(value: object, path: str, checker: Checker) -> bool:
    return value not in (None, "") and path not in checker.referenced


def _fix(path: str) -> str:
    if path.startswith("shipping"):
        return "put it in the environment and name it: passwordEnv: GHCR_TOKEN"
    if path.startswith("secrets"):
        return "put it in the environment and name the variable under fromEnv, e.g. fromEnv: {password: DB_PASSWORD}"
    return "put it in the environment and reference it as ${NAME}"
