"""load(): resolve, read, extend, interpolate and validate a profile in one pass that finds every problem."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from clusterctl.errors import InvalidInput, Problem
from clusterctl.profile import rules
from clusterctl.profile.check import Checker
from clusterctl.profile.interpolate import interpolate
from clusterctl.profile.layers import read_chain
from clusterctl.profile.literals import refuse_literal_secrets
from clusterctl.profile.model import Profile
from clusterctl.profile.resolve import resolve
from clusterctl.profile.sections.cluster import read_cluster
from clusterctl.profile.sections.images import read_images
from clusterctl.profile.sections.manifests import read_manifests
from clusterctl.profile.sections.runtime import read_build, read_wait
from clusterctl.profile.sections.secrets import read_secrets
from clusterctl.profile.sections.shipping import read_shipping
from clusterctl.profile.tree import SourcedMap, locations, merge

ROOT_KEYS = ("apiVersion", "kind", "cluster", "namespace", "shipping", "images", "manifests", "secrets", "wait", "build")
HINT = "fix the profile and rerun; docs/profile.md describes every key"


def load(arg: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
         check_files: bool = True) -> Profile:
    env = os.environ if env is None else env
    path = resolve(arg, cwd)
    trees, problems = read_chain(path, env)
    tree = functools.reduce(merge, trees)
    checker = Checker(locations(tree), check_files)
    checker.problems += problems
    refuse_literal_secrets(tree, checker)  # before expansion: a ${VAR:-default} default is written here too
    checker.referenced = interpolate(tree, env, checker.report)
    profile = _profile(tree, checker, path, env)
    if checker.problems or profile is None:
        raise InvalidInput(_in_order(checker.problems, [t.file for t in reversed(trees)]), hint=HINT)
    return profile


def _profile(tree: SourcedMap, checker: Checker, path: Path, env: Mapping[str, str]) -> Profile | None:
    root = checker.section(tree, "", ROOT_KEYS)
    cluster = read_cluster(root, env)
    namespace = root.text("namespace", required=True, rule=rules.dns_label())
    shipping = read_shipping(root)
    images = read_images(root, shipping.registry)
    profile = Profile(
        name=path.stem, source=path, cluster=cluster, namespace=namespace, shipping=shipping,
        images=images, manifests=read_manifests(root),
        secrets=read_secrets(root, shipping.pull_secret, images), wait=read_wait(root), build=read_build(root),
        locations=MappingProxyType(checker.locations),
    )
    return profile if cluster and namespace else None


def _in_order(problems: list[Problem], files: list[str]) -> list[Problem]:
    """The profile's own problems first, then its bases'; each file top to bottom."""
    rank = {file: index for index, file in enumerate(files)}
    return sorted(problems, key=lambda p: (rank.get(p.file, len(files)), p.line or 0))
