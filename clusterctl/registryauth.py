"""The private docker config that clusterctl's own registry calls (login, push, manifest inspect) use, so
the push token never reaches the user's ~/.docker/config.json or their credential store.

It lives in the run's private folder (clusterctl/runfolder.py: 0700, removed on every way out, or by the
next run after a kill), config.json 0600. What docker reads is from docker/cli
v28.2.2:
- cli/config/config.go Dir(): the user's folder is $DOCKER_CONFIG, else ~/.docker; the contexts store is
  its `contexts` folder (ContextStoreDir), so it is linked in, and `currentContext` is kept, for
  resolveContextName (cli/command/cli.go) to pick the same engine as `docker build`.
- configfile/file.go: `credsStore` and `credHelpers` send a login's token to a helper (GetCredentialsStore),
  so both are dropped; LoadDefaultConfigFile picks a platform helper (default_store.go DetectDefaultStore:
  osxkeychain, pass, secretservice) unless ContainsAuth(), so `auths` is never empty: it holds the token.
Builds never get this config: they keep the user's, with its plugins (buildx) and builders.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path
from typing import Mapping

from clusterctl import runfolder

# docker's key for Docker Hub credentials (cli/command/registry.go authConfigKey); login files "docker.io"
# under it too (cli/command/registry/login.go runLogin), and other registries under their host.
DOCKER_HUB_KEY = "https://index.docker.io/v1/"
_CREDENTIAL_KEYS = ("auths", "credsStore", "credHelpers")


def auth_key(host: str) -> str:
    return DOCKER_HUB_KEY if host in ("docker.io", "index.docker.io") else host


def user_config_dir(env: Mapping[str, str]) -> Path:
    return Path(env["DOCKER_CONFIG"]) if env.get("DOCKER_CONFIG") else Path.home() / ".docker"


class PrivateDockerConfig:
    def __init__(self, env: Mapping[str, str] = os.environ):
        self._env = env
        self.path: Path | None = None

    def open(self, host: str, username: str, password: str) -> dict[str, str]:
        """Write the config for `host` and return the environment that points docker at it."""
        path = runfolder.path() / "docker"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(mode=0o700)
        self.path = path
        user_dir = user_config_dir(self._env)
        settings = {k: v for k, v in _read_json(user_dir / "config.json").items() if k not in _CREDENTIAL_KEYS}
        settings["auths"] = {auth_key(host): {"auth": base64.b64encode(f"{username}:{password}".encode()).decode()}}
        fd = os.open(path / "config.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(settings, handle)
        if (user_dir / "contexts").is_dir():
            (path / "contexts").symlink_to((user_dir / "contexts").resolve())
        return {"DOCKER_CONFIG": str(path)}

    def close(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


def _read_json(path: Path) -> dict:
    # docker itself warns about a malformed config and goes on without it (LoadDefaultConfigFile).
    try:
        loaded = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}

