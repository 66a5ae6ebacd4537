"""docker: build, inspect, login, push. Every call goes through the runner as an argv list."""

from __future__ import annotations

import ipaddress
import json
import os
from typing import Callable, Mapping

from clusterctl.buildsecrets import GO_FALSE, build_env, secret_flags
from clusterctl.errors import BuildFailed, MissingTool, ShipFailed
from clusterctl.imageref import normalise
from clusterctl.profile.model import Image
from clusterctl.runner import Command, Result, Runner

INPUTS_LABEL = "dev.clusterctl.inputs"


class Docker:
    def __init__(self, runner: Runner):
        self.runner = runner
        # DOCKER_CONFIG of the private config for the registry calls (login, push, manifest inspect) once
        # the ship step has credentials (clusterctl/registryauth.py); builds never get it.
        self.registry_env: Mapping[str, str] = {}
        self._buildx: bool | None = None  # does `docker buildx version` answer; asked once a run

    def server_version_command(self) -> Command:
        return Command(("docker", "version", "--format", "{{.Server.Version}}"))

    def server_version(self) -> str:
        result = self.runner.run(self.server_version_command())
        if not result.ok:
            raise MissingTool(
                "the docker daemon does not answer",
                hint="start Docker (Docker Desktop, `sudo systemctl start docker` or `dockerd`) and retry",
                details=(result.stderr or result.stdout).strip().splitlines()[-5:],
            )
        return result.stdout.strip()

    def buildx_version_command(self) -> Command:
        return Command(("docker", "buildx", "version"))

    def builds_with_buildx(self, env: Mapping[str, str] = os.environ) -> bool:
        """Whether `docker build` goes to the buildx plugin: it does unless DOCKER_BUILDKIT is false or the
        plugin is missing (docker/cli v28.2.2 cmd/docker/builder.go processBuilder)."""
        if env.get("DOCKER_BUILDKIT", "") in GO_FALSE:
            return False
        if self._buildx is None:
            self._buildx = self.runner.run(self.buildx_version_command()).ok
        return self._buildx

    def client_version(self) -> tuple[int, int, int] | None:
        from clusterctl.toolversions import parse

        result = self.runner.run(Command(("docker", "version", "--format", "{{.Client.Version}}")))
        return parse(result.stdout)

    def build_command(self, image: Image, ref: str, tag: str, load: bool = False,
                      env: Mapping[str, str] | None = None) -> Command:
        # --force-rm: a failed step's container is removed too (plain --rm keeps it), so no build leaves debris.
        argv = ["docker", "build", "--force-rm", "-t", ref, "-f", str(image.dockerfile),
                "--label", f"{INPUTS_LABEL}={tag}"]
        if load:
            # A buildx builder other than the docker driver (selected after `docker buildx install`, or by
            # BUILDX_BUILDER) keeps the result in its cache, not in the engine, unless told --load
            # (docker/buildx v0.36.1 build/build.go warnOnNoOutput). The legacy builder has no --load.
            argv.append("--load")
        if image.target:
            argv += ["--target", image.target]
        if image.platform:
            argv += ["--platform", image.platform]
        for key, value in image.build_args:
            argv += ["--build-arg", f"{key}={value}"]
        argv += secret_flags(image)  # names only: the values reach docker through the build's own env
        argv.append(str(image.context))
        return Command(tuple(argv), env=build_env(image, os.environ if env is None else env))

    def build(self, image: Image, ref: str, tag: str, on_output: Callable[[str], None] | None = None,
              load: bool = False, env: Mapping[str, str] | None = None) -> Result:
        result = self.runner.run(self.build_command(image, ref, tag, load, env), on_output)
        return result.check(BuildFailed, hint=f"fix the build of image {image.name!r} ({image.dockerfile})")

    def present(self, refs: list[str]) -> set[str]:
        """Which of refs exist in the local engine (one call for all of them)."""
        if not refs:
            return set()
        result = self.runner.run(Command(("docker", "image", "inspect", "--format", "{{json .RepoTags}}", *refs)))
        tags: set[str] = set()
        for line in result.stdout.splitlines():
            if line.strip():
                tags.update(json.loads(line) or [])
        return {ref for ref in refs if ref in tags}

    def image_ids(self, refs: list[str]) -> dict[str, str]:
        """{ref: image ID} for those of refs the local engine holds (one call for all of them)."""
        if not refs:
            return {}
        result = self.runner.run(Command(("docker", "image", "inspect", "--format", "{{.Id}} {{json .RepoTags}}",
                                          *refs)))
        ids: dict[str, str] = {}
        for line in result.stdout.splitlines():
            image_id, _, tags = line.partition(" ")
            for tag in json.loads(tags or "null") or []:
                ids[tag] = image_id
        return {ref: ids[ref] for ref in refs if ref in ids}

    def login_command(self, registry_host: str, username: str, password: str) -> Command:
        return Command(("docker", "login", registry_host, "--username", username, "--password-stdin"), stdin=password,
                       env=self.registry_env)

    def login(self, registry_host: str, username: str, password: str, token_env: str = "") -> None:
        result = self.runner.run(self.login_command(registry_host, username, password))
        where = f" (the token is read from ${token_env})" if token_env else ""
        result.check(ShipFailed, hint=f"{registry_host} refused user {username!r}: check the user name and the "
                                      f"token{where}, and that the token may write packages")

    def push_command(self, ref: str) -> Command:
        return Command(("docker", "push", ref), env=self.registry_env)

    def push(self, ref: str, on_output: Callable[[str], None] | None = None) -> None:
        result = self.runner.run(self.push_command(ref), on_output)
        text = (result.stderr + result.stdout).lower()
        hint = None
        if "denied" in text or "unauthorized" in text or "authentication required" in text:
            hint = "the registry refused the push: set the token variable named in shipping.auth.passwordEnv"
        result.check(ShipFailed, hint=hint)

    def manifest_inspect_command(self, ref: str) -> Command:
        # The daemon pushes to a loopback registry over plain HTTP, but the CLI's manifest client speaks
        # only HTTPS unless told, and then answers "no such manifest" for an image that is there.
        insecure = ("--insecure",) if loopback_registry(ref) else ()
        return Command(("docker", "manifest", "inspect", *insecure, ref), env=self.registry_env)

    def manifest_exists(self, ref: str) -> bool:
        """True when the registry already holds ref (the source of truth for push mode)."""
        return self.runner.run(self.manifest_inspect_command(ref)).ok


def loopback_registry(ref: str) -> bool:
    """localhost and 127.0.0.0/8 (and ::1): the registries dockerd allows over plain HTTP by default."""
    host = normalise(ref).split("/", 1)[0]
    host = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
