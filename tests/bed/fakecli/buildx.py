"""Stand-in `docker buildx` CLI plugin (buildx v0.36.1), installed into a private DOCKER_CONFIG only.

What it reproduces: the real docker CLI forwards `docker build` to this plugin (docker/cli v28.2.2
cmd/docker/builder.go `processBuilder`); without the `docker buildx install` alias it pins
BUILDX_BUILDER to the docker context, i.e. the docker driver. With the alias, or BUILDX_BUILDER set, the
selected builder runs the build; a docker-container builder without `--load` (or `default-load=true`)
keeps the result in its build cache only and says so (docker/buildx v0.36.1 build/build.go
`warnOnNoOutput`, build/opt.go: only the docker driver exports to the engine by default).

The build itself is a real BuildKit build, as with buildx: no moby/buildkit image can be pulled here, so
the 20.10 docker client (/usr/bin/docker) runs it with DOCKER_BUILDKIT=1 against the same engine's
embedded BuildKit. `--secret id=ID,env=VAR` therefore reaches `RUN --mount=type=secret` for real, and an
unset VAR mounts an empty secret without an error (moby/buildkit session/secrets/secretsprovider/store.go
`GetSecret`, vendored alike in buildx v0.36.1 and docker/cli v20.10.24). A result that stays "in the
cache" is built under a throwaway tag that is removed again, so no image is left behind.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

VERSION = "v0.36.1"
REVISION = "1d8dde89b8aba914e05e45366770736fea1fd690"
METADATA = {"SchemaVersion": "0.1.0", "Vendor": "Docker Inc.", "Version": VERSION,
            "ShortDescription": "Docker Buildx", "URL": "https://github.com/docker/buildx"}
NO_OUTPUT = ("No output specified with {driver} driver. Build result will only remain in the build cache. "
             "To push result image into registry use --push or to load image into docker use --load")
# The pre-23 client, whose own BuildKit frontend needs no plugin (docker/cli v20.10.24 cli/command/image/
# build.go runBuild: BuildKitEnabled -> runBuildBuildKit).
BUILDKIT_CLIENT = "/usr/bin/docker"
_LAUNCHER = """#!/bin/sh
PYTHONPATH={repo} exec {python} -m tests.bed.fakecli.buildx "$@"
"""


def install(docker_config: Path, builder: str, driver: str = "docker-container", alias: bool = True,
            driver_opts: dict[str, str] | None = None) -> None:
    """A DOCKER_CONFIG where `docker buildx create --use --driver DRIVER --name BUILDER` (and, with alias,
    `docker buildx install`) was run."""
    plugins = docker_config / "cli-plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    launcher = plugins / "docker-buildx"
    launcher.write_text(_LAUNCHER.format(repo=Path(__file__).resolve().parents[3], python=sys.executable))
    launcher.chmod(0o755)
    config = {"aliases": {"builder": "buildx"}} if alias else {}
    (docker_config / "config.json").write_text(json.dumps(config))
    store = docker_config / "buildx"
    (store / "instances").mkdir(parents=True, exist_ok=True)
    (store / "instances" / builder).write_text(json.dumps({
        "Name": builder, "Driver": driver,
        "Nodes": [{"Name": f"{builder}0", "Endpoint": "unix:///var/run/docker.sock",
                   "DriverOpts": driver_opts or {}}]}))
    (store / "current").write_text(json.dumps({"Key": "unix:///var/run/docker.sock", "Name": builder,
                                               "Global": False}))


def _store() -> Path:
    return Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker") / "buildx"


def _builder(flag: str | None) -> dict:
    """--builder, else $BUILDX_BUILDER, else the selected one; a docker context name means its docker driver."""
    name = flag or os.environ.get("BUILDX_BUILDER", "")
    if not name:
        try:
            name = json.loads((_store() / "current").read_text())["Name"]
        except (OSError, ValueError, KeyError):
            name = "default"
    try:
        return json.loads((_store() / "instances" / name).read_text())
    except OSError:
        return {"Name": name, "Driver": "docker", "Nodes": [{"Name": name, "DriverOpts": {}}]}


def _bool_env(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "t", "true")


def build(args: list[str]) -> int:
    flag_builder, outputs, inner, tags = None, [], [], []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--builder":
            flag_builder, i = args[i + 1], i + 2
            continue
        if arg in ("--load", "--push"):
            outputs.append(arg)
        elif arg in ("-o", "--output"):
            outputs.append(args[i + 1])
            i += 1
        elif arg in ("-t", "--tag"):
            tags.append(args[i + 1])
            i += 1
        else:
            inner.append(arg)
        i += 1
    builder = _builder(flag_builder)
    moby = builder["Driver"] == "docker"
    default_load = builder["Nodes"][0].get("DriverOpts", {}).get("default-load") == "true"
    loads = bool(outputs) or (not _bool_env("BUILDX_NO_DEFAULT_LOAD") and (moby or default_load))
    if not loads and not _bool_env("BUILDX_NO_DEFAULT_LOAD"):
        sys.stderr.write("WARNING: " + NO_OUTPUT.format(driver=builder["Driver"]) + "\n")
    scratch = f"buildx-standin-cache:{secrets.token_hex(6)}"
    names = tags if loads else [scratch]
    argv = [BUILDKIT_CLIENT, "build", *[a for t in names for a in ("-t", t)], *inner]
    done = subprocess.run(argv, capture_output=True, text=True, env=_client_env())
    # buildx shows build progress on stderr; the throwaway tag is left out.
    lines = (done.stdout + done.stderr).splitlines(True)
    sys.stderr.write("".join(line for line in lines if scratch not in line))
    if not loads:
        subprocess.run(["docker", "rmi", scratch], capture_output=True)  # untags only our own name
    return done.returncode


def _client_env() -> dict[str, str]:
    """The inner client's environment: BuildKit on, and a config without the `builder` alias, which the
    20.10 client would otherwise follow straight back into this plugin (cmd/docker/docker.go processAliases)."""
    outer = Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker")
    inner = outer / "buildx" / "standin-client"
    inner.mkdir(parents=True, exist_ok=True)
    try:
        config = json.loads((outer / "config.json").read_text())
    except (OSError, ValueError):
        config = {}
    config.pop("aliases", None)
    (inner / "config.json").write_text(json.dumps(config))
    return {**os.environ, "DOCKER_BUILDKIT": "1", "DOCKER_CONFIG": str(inner)}


def inspect(args: list[str]) -> int:
    builder = _builder(args[0] if args and not args[0].startswith("-") else None)
    node = builder["Nodes"][0]
    opts = " ".join(f'{k}="{v}"' for k, v in node.get("DriverOpts", {}).items())
    print(f"Name:          {builder['Name']}\nDriver:        {builder['Driver']}\n\nNodes:\n"
          f"Name:          {node['Name']}\nEndpoint:      {node.get('Endpoint', builder['Name'])}"
          + (f"\nDriver Options: {opts}" if opts else "") + "\nStatus:        inactive")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["docker-cli-plugin-metadata"]:
        print(json.dumps(METADATA))
        return 0
    args = argv[1:] if argv[:1] == ["buildx"] else argv  # the CLI passes the plugin's name first
    if args[:1] == ["version"]:
        print(f"github.com/docker/buildx {VERSION} {REVISION}")
        return 0
    if args[:1] == ["build"]:
        return build(args[1:])
    if args[:1] == ["inspect"]:
        return inspect(args[1:])
    sys.stderr.write(f"ERROR: the stand-in buildx does not implement {' '.join(args[:1])!r}\n")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
