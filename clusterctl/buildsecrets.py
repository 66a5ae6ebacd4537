"""Build secrets: `docker build --secret id=ID,env=VAR`, VAR's value only in that build's own environment.

Only BuildKit mounts them. The docker CLI from 23 on has BuildKit only through the buildx plugin and its
legacy builder has no --secret flag (docker/cli v28.2.2 cmd/docker/builder.go processBuilder,
cli/command/image/build.go); a CLI before 23 runs BuildKit itself when DOCKER_BUILDKIT=1 (v20.10.24
cli/command/image/build.go runBuild). An unset VAR mounts an empty secret without an error (moby/buildkit
session/secrets/secretsprovider/store.go GetSecret), so every variable is checked before anything starts.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from clusterctl.errors import BadInput, MissingTool
from clusterctl.profile.model import Image

GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")  # strconv.ParseBool
BUILDX_HINT = ("install the buildx component (https://docs.docker.com/go/buildx/; on Debian and Ubuntu the "
               "docker-buildx or docker-buildx-plugin package) and rerun")


def secret_flags(image: Image) -> list[str]:
    return [arg for secret_id, variable in image.build_secrets
            for arg in ("--secret", f"id={secret_id},env={variable}")]


def build_env(image: Image, env: Mapping[str, str]) -> dict[str, str]:
    """The build's own environment: BuildKit on (harmless where buildx builds anyway) and exactly the
    variables its secrets name (registered for masking when the profile was loaded)."""
    if not image.build_secrets:
        return {}
    values = {variable: env[variable] for _, variable in image.build_secrets if variable in env}
    return {"DOCKER_BUILDKIT": "1", **values}


def require_build_secrets(docker, images: Sequence[Image], env: Mapping[str, str]) -> None:
    """Every build secret's variable is set and BuildKit will build the images that have secrets; otherwise
    BadInput or MissingTool naming the fix."""
    with_secrets = [image for image in images if image.build_secrets]
    if not with_secrets:
        return
    missing = [f"{variable} (image {image.name!r} build secret {secret_id!r})"
               for image in with_secrets for secret_id, variable in image.build_secrets if variable not in env]
    if missing:
        raise BadInput(f"environment variables not set: {', '.join(missing)}",
                       hint="export them and rerun (BuildKit would mount an empty secret and say nothing)")
    first = with_secrets[0].name
    switch = env.get("DOCKER_BUILDKIT", "")
    if switch in GO_FALSE:
        raise BadInput(f"DOCKER_BUILDKIT={switch} turns BuildKit off, and image {first!r} has build secrets, which "
                       "only BuildKit mounts", hint="unset DOCKER_BUILDKIT: only BuildKit mounts build secrets")
    if docker.builds_with_buildx(env):
        return
    client = docker.client_version()
    if client and client[0] < 23:
        return  # its own BuildKit, which build_env switches on
    shown = ".".join(map(str, client)) if client else "(version unknown)"
    raise MissingTool(f"image {first!r} has build secrets, which need BuildKit, and docker {shown} builds with "
                      "BuildKit only through the buildx plugin, which is missing", hint=BUILDX_HINT)
