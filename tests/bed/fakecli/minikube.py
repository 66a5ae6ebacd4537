"""`minikube` stand-in: command table, profiles, version, delete, stop, profile list."""
from __future__ import annotations

import os
import sys

from . import kubeconfig, lifecycle, minikube_query, minikube_start, releases
from . import nodes as node_containers
from .flags import Flag, FlagError, parse
from .mkout import DELETE_STEPS, STOP_STEPS, Exit, Out, go_json
from .state import Cluster, cluster_names, minikube_home, read_json, write_json_atomic

COMMIT = "c93a4cb9311efc66b90d33ea03f75f2c4120e9b0"
PROFILE = Flag("profile", "p", "str", "")
OUTPUT = Flag("output", "o", "str", "text")


def main(argv: list[str]) -> int:
    words = _words(argv)
    key = tuple(words[:2]) if words[:1] in (["profile"], ["image"]) else tuple(words[:1])
    command = COMMANDS.get(key)
    if command is None:
        sys.stderr.write(f'Error: unknown command "{" ".join(key)}" for "minikube"\n'
                         "Run 'minikube --help' for usage.\n")
        return 14
    func, flags, allow_unknown = command
    rest = list(argv)
    for word in key:
        rest.remove(word)
    try:
        opts = parse(rest, [PROFILE, *flags], allow_unknown=allow_unknown)
    except FlagError as err:
        sys.stderr.write(f"Error: {err}\nSee 'minikube {' '.join(key)} --help' for usage.\n")
        return 14
    opts.values["profile"] = opts["profile"] or active_profile()
    out = Out(json_mode=str(opts.values.get("output", "")).lower() == "json")
    try:
        return func(opts, out) or 0
    except Exit as done:
        return done.code


def _words(argv: list[str]) -> list[str]:
    """Command words, skipping the values of the global flags that may precede them."""
    words, skip = [], False
    for tok in argv:
        if skip:
            skip = False
        elif tok in ("-p", "--profile", "-o", "--output"):
            skip = True
        elif not tok.startswith("-"):
            words.append(tok)
    return words


def active_profile() -> str:
    """viper's `profile`: MINIKUBE_PROFILE, then the persisted config, then `minikube`."""
    persisted = read_json(minikube_home() / "config" / "config.json") or {}
    return os.environ.get("MINIKUBE_PROFILE") or persisted.get("profile") or "minikube"


def cmd_version(opts, out: Out) -> int:
    if opts["output"] == "json":
        sys.stdout.write(go_json({"commit": COMMIT, "minikubeVersion": releases.minikube()}) + "\n")
    elif opts["short"]:
        sys.stdout.write(f"{releases.minikube()}\n")
    else:
        sys.stdout.write(f"minikube version: {releases.minikube()}\ncommit: {COMMIT}\n")
    return 0


def cmd_delete(opts, out: Out) -> int:
    out.steps = DELETE_STEPS
    if opts.args:
        raise out.fatal("MK_USAGE", 14, "Usage: minikube delete")
    names = cluster_names("minikube") if opts["all"] else [opts["profile"]]
    for name in names:
        _delete_one(Cluster("minikube", name), out)
    if opts["all"]:
        out.step("Deleted", "Successfully deleted all profiles", "Done")
    _forget_active_profile()
    return 0


def _delete_one(cluster: Cluster, out: Out) -> None:
    if cluster.exists():
        out.step("DeletingHost", f'Deleting "{cluster.name}" in docker ...', "Deleting")
        out.step("DeletingHost", f'Deleting container "{cluster.name}" ...')
        out.step("DeletingHost", f"Removing {minikube_home() / 'machines' / cluster.name} ...")
    else:
        out.warning(f'"{cluster.name}" profile does not exist, trying anyways.', style="Meh")
    lifecycle.destroy(cluster)
    kubeconfig.update(kubeconfig.minikube_path(), lambda cfg: kubeconfig.remove(cfg, cluster.name),
                      backoff=kubeconfig.MINIKUBE_LOCK_BACKOFF, create=False)
    out.step("Deleted", f'Removed all traces of the "{cluster.name}" cluster.', "Done")


def _forget_active_profile() -> None:
    """minikube delete always unsets the persisted `profile` key."""
    path = minikube_home() / "config" / "config.json"
    persisted = read_json(path)
    if persisted and "profile" in persisted:
        del persisted["profile"]
        write_json_atomic(path, persisted)


def cmd_stop(opts, out: Out) -> int:
    out.steps = STOP_STEPS
    cluster = Cluster("minikube", opts["profile"])
    if not cluster.exists():
        raise out.profile_missing(cluster.name)
    nodes = cluster.nodes()
    for node in nodes:
        out.step("Stopping", f'Stopping node "{node}"  ...', "Stopping")
    node_containers.stop(cluster)  # the API follows: it stops answering, and moves at the next start
    if not opts["keep-context-active"]:
        kubeconfig.update(kubeconfig.minikube_path(), lambda cfg: kubeconfig.remove(cfg, cluster.name),
                          backoff=kubeconfig.MINIKUBE_LOCK_BACKOFF, create=False)
    count = len(nodes)
    out.step("Stopped", f"{count} node{'s' if count > 1 else ''} stopped.", "Done")
    return 0


def cmd_profile_list(opts, out: Out) -> int:
    names = cluster_names("minikube")
    current = kubeconfig.load(kubeconfig.minikube_path()).get("current-context")
    profiles = [{"Name": n, "Status": minikube_query.profile_status(Cluster("minikube", n)),
                 "Config": minikube_start.cluster_config(Cluster("minikube", n).record()),
                 "Active": n == active_profile(), "ActiveKubeContext": n == current} for n in names]
    if opts["output"] == "json":
        sys.stdout.write(go_json({"invalid": [], "valid": profiles}))
        return 0
    if not profiles:
        raise out.fatal("MK_USAGE_NO_PROFILE", 14, "No minikube profile was found.",
                        advice="You can create one using 'minikube start'.")
    header = ["PROFILE", "DRIVER", "RUNTIME", "IP", "VERSION", "STATUS", "NODES", "ACTIVE PROFILE",
              "ACTIVE KUBECONTEXT"]
    rows = [[p["Name"], p["Config"]["Driver"], "docker", "127.0.0.1",
             p["Config"]["KubernetesConfig"]["KubernetesVersion"], p["Status"],
             str(len(p["Config"]["Nodes"])), "*" if p["Active"] else "",
             "*" if p["ActiveKubeContext"] else ""] for p in profiles]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        sys.stdout.write("│ " + " │ ".join(c.ljust(w) for c, w in zip(row, widths)) + " │\n")
    return 0


_OUT_FLAG = [OUTPUT]
COMMANDS = {
    ("version",): (cmd_version, [Flag("short", None, "bool", False), Flag("output", "o", "str", "")], False),
    ("start",): (minikube_start.cmd_start, minikube_start.FLAGS, True),
    ("status",): (minikube_query.cmd_status, [*_OUT_FLAG, Flag("layout", "l", "str", "nodes"),
                                              Flag("node", "n", "str", "")], False),
    ("profile", "list"): (cmd_profile_list, [Flag("output", "o", "str", "table"),
                                              Flag("light", "l", "bool", False)], False),
    ("delete",): (cmd_delete, [*_OUT_FLAG, Flag("all", None, "bool", False),
                               Flag("purge", None, "bool", False)], False),
    ("stop",): (cmd_stop, [*_OUT_FLAG, Flag("keep-context-active", None, "bool", False),
                           Flag("all", None, "bool", False)], False),
    ("image", "load"): (minikube_query.cmd_image_load, [Flag("daemon", None, "bool", False),
                                                        Flag("remote", None, "bool", False),
                                                        Flag("pull", None, "bool", False),
                                                        Flag("overwrite", None, "bool", True)], False),
    ("image", "ls"): (minikube_query.cmd_image_ls, [Flag("format", None, "str", "short")], False),
    ("service",): (minikube_query.cmd_service, [Flag("namespace", "n", "str", "default"),
                                                Flag("url", None, "bool", False),
                                                Flag("https", None, "bool", False),
                                                Flag("wait", None, "int", 2),
                                                Flag("interval", None, "int", 1),
                                                Flag("format", None, "str", "http://{{.IP}}:{{.Port}}")],
                  False),
}
