"""`kind` stand-in: command tree, flags and the small read-only commands."""
from __future__ import annotations

import os

from . import kind_cluster, kind_load, releases
from .flags import Flag, FlagError, parse
from .kind_get import (KUBECONFIG, NAME, cmd_export_kubeconfig, cmd_get_clusters,
                       cmd_get_kubeconfig, cmd_get_nodes)
from .kindlog import KindError, KindLog

GO_VERSION = "go1.26.3"
GLOBAL = [Flag("verbosity", "v", "int", 0), Flag("quiet", "q", "bool", False),
          Flag("help", "h", "bool", False)]
TREE = {"create": {"cluster"}, "delete": {"cluster", "clusters"}, "export": {"kubeconfig"},
        "get": {"clusters", "nodes", "kubeconfig"}, "load": {"docker-image"}, "version": None}


def main(argv: list[str]) -> int:
    log = KindLog(quiet=_quiet(argv))
    try:
        path, rest = _split(argv)
        return _dispatch(path, rest, log)
    except FlagError as err:
        log.error(KindError(str(err)))
    except KindError as err:
        log.error(err)
    return 1


def _dispatch(path: tuple, rest: list[str], log: KindLog) -> int:
    if "--version" in rest and not path:
        log.out(f"kind version {releases.kind()}\n")
        return 0
    if not path or "-h" in rest or "--help" in rest:
        log.out(_usage(path))
        return 0
    if TREE.get(path[0]) and len(path) == 1:
        log.out(_usage(path))
        raise KindError("Subcommand is required")
    commands = {
        ("version",): (cmd_version, [Flag("quiet", "q", "bool", False)]),
        ("get", "clusters"): (cmd_get_clusters, []),
        ("get", "nodes"): (cmd_get_nodes, [NAME, Flag("all-clusters", "A", "bool", False)]),
        ("get", "kubeconfig"): (cmd_get_kubeconfig, [NAME, Flag("internal", None, "bool", False)]),
        ("export", "kubeconfig"): (cmd_export_kubeconfig,
                                   [NAME, KUBECONFIG, Flag("internal", None, "bool", False)]),
        ("create", "cluster"): (kind_cluster.create, kind_cluster.CREATE_FLAGS),
        ("delete", "cluster"): (kind_cluster.delete, [NAME, KUBECONFIG]),
        ("delete", "clusters"): (kind_cluster.delete_many, [Flag("all", "A", "bool", False), KUBECONFIG]),
        ("load", "docker-image"): (kind_load.load, [NAME, Flag("nodes", None, "list")]),
    }
    func, flags = commands[path]
    opts = parse(rest, [f for f in GLOBAL if f.name not in {g.name for g in flags}] + flags)
    takes_args = path in (("delete", "clusters"), ("load", "docker-image"))
    if opts.args and not takes_args:
        raise KindError(f'unknown command "{opts.args[0]}" for "kind {" ".join(path)}"')
    if "name" in opts.values and "name" not in opts.changed and os.environ.get("KIND_CLUSTER_NAME"):
        opts.values["name"] = os.environ["KIND_CLUSTER_NAME"]
    return func(opts, log) or 0


def _split(argv: list[str]) -> tuple[tuple, list[str]]:
    """Command words (walked down TREE) and everything else, flags in place."""
    path: tuple = ()
    rest: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        node = TREE if not path else TREE.get(path[0])
        is_leaf = bool(path) and (node is None or len(path) == 2)
        if tok in ("-v", "--verbosity") and i + 1 < len(argv):
            rest += [tok, argv[i + 1]]
            i += 2
            continue
        if not tok.startswith("-") and not is_leaf:
            if tok not in node:
                raise KindError(f'unknown command "{tok}" for "{" ".join(("kind",) + path)}"')
            path += (tok,)
        else:
            rest.append(tok)
        i += 1
    return path, rest


def _quiet(args: list[str]) -> bool:
    return any(a in ("-q", "--quiet", "--quiet=true") for a in args)


def _usage(path: tuple) -> str:
    where = " ".join(("kind",) + path)
    subs = sorted(TREE if not path else (TREE.get(path[0]) or []))
    lines = [f"Usage:\n  {where} [command]\n", "Available Commands:"]
    lines += [f"  {s}" for s in subs]
    return "\n".join(lines) + "\n"


def cmd_version(opts, log: KindLog) -> int:
    if opts["quiet"]:
        log.out(f"{releases.kind()}\n")
    else:
        log.out(f"kind v{releases.kind()} {GO_VERSION} linux/amd64\n")
    return 0
