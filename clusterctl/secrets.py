"""Kubernetes Secrets built from the environment (and an optional .env file), in memory only.

Every secret value the profile names is registered for masking once, for every verb, as soon as the
profile is loaded (`register_profile_secrets`); values travel to the API server in a request body
(clusterctl/steps/secrets.py) and are never written to disk.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from clusterctl import redact
from clusterctl.errors import BadInput, InvalidInput, Problem
from clusterctl.manifests.render import MANAGED_BY, PROFILE_LABEL
from clusterctl.profile.model import Profile, SecretSpec
from clusterctl.yamlsrc import key_path


def _dotenv(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values  # deferred: only profiles with envFile need it

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _env_file_values(spec: SecretSpec) -> dict[str, str]:
    return _dotenv(spec.env_file) if spec.env_file else {}


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _secret(profile: Profile, name: str, type_: str, data: dict[str, str]) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "type": type_,
            "metadata": {"name": name, "namespace": profile.namespace,
                         "labels": {MANAGED_BY: "clusterctl", PROFILE_LABEL: profile.name}},
            "data": {k: _b64(v) for k, v in sorted(data.items())}}


@dataclass(frozen=True)
class SecretSource:
    variable: str  # the environment variable's NAME
    key: str  # the profile key that names it, e.g. `secrets[0].fromEnv.db-password`
    env_file: Path | None = None  # read when the environment lacks the variable
    user: str | None = None  # a registry token's user: `user:token` is masked in base64 too


def secret_sources(profile: Profile) -> list[SecretSource]:
    """Every place the profile names an environment variable as holding a secret."""
    found = [SecretSource(var, key_path(key_path(key_path("secrets", i), "fromEnv"), key), spec.env_file)
             for i, spec in enumerate(profile.secrets) for key, var in spec.from_env]
    if profile.shipping.auth:
        auth = profile.shipping.auth
        found.append(SecretSource(auth.password_env, "shipping.auth.passwordEnv", user=auth.username))
        if auth.pull_password_env:
            found.append(SecretSource(auth.pull_password_env, "shipping.auth.pullPasswordEnv",
                                      user=auth.pull_user))
    found += [SecretSource(var, key_path(key_path(key_path("images", i), "secrets"), secret_id))
              for i, image in enumerate(profile.images) for secret_id, var in image.build_secrets]
    return found


def secret_variables(profile: Profile) -> tuple[str, ...]:
    """Every environment variable the profile names as holding a secret: the one list that registration
    for masking and the children's environment are both built from."""
    return tuple(dict.fromkeys(source.variable for source in secret_sources(profile)))


def register_profile_secrets(profile: Profile, env: Mapping[str, str] | None = None) -> None:
    """Register every secret value the profile names (environment first, then its envFile) for masking,
    with its derived forms. Called once by every verb before anything runs; a value too short to mask is
    refused then, naming the variable and the profile key."""
    env = os.environ if env is None else env
    files: dict[Path, dict[str, str]] = {}
    problems, found = [], []
    for source in secret_sources(profile):
        if source.variable in env:
            value, origin = env[source.variable], "the environment"
        elif source.env_file:
            if source.env_file not in files:
                files[source.env_file] = _dotenv(source.env_file)
            value, origin = files[source.env_file].get(source.variable), f"envFile {source.env_file}"
        else:
            continue
        if value and len(value) < redact.MIN_LENGTH:
            file, line = profile.locate(source.key)
            size = f"{len(value)} character{'s' if len(value) > 1 else ''}"
            problems.append(Problem(file, line, source.key,
                                    f"${source.variable} is {size} long (from {origin}): too short to mask in "
                                    f"clusterctl's output; secret values need at least {redact.MIN_LENGTH}"))
        elif value:
            found.append((source, value))
    if problems:
        raise InvalidInput(problems, hint="set the real secret: masking a value this short would hide ordinary "
                                          "words in every message")
    for source, value in found:
        if source.user:
            redact.register_credentials(source.user, value)
        else:
            redact.register(value)


def registry_password(profile: Profile, env: Mapping[str, str]) -> str | None:
    auth = profile.shipping.auth
    return (env.get(auth.password_env) if auth else None) or None


def desired_secrets(profile: Profile, env: Mapping[str, str] | None = None) -> list[dict]:
    """Every Secret the profile declares, or BadInput naming every variable that is not set."""
    env = os.environ if env is None else env
    missing: list[str] = []
    docs: list[dict] = []
    for spec in profile.secrets:
        values = {**_env_file_values(spec), **env}
        data = {}
        for key, var in spec.from_env:
            if var in values:
                data[key] = values[var]
            else:
                missing.append(f"{var} (secret {spec.name!r} key {key!r})")
        docs.append(_secret(profile, spec.name, spec.type, data))
    shipping = profile.shipping
    if shipping.pull_secret:
        auth = shipping.auth
        var = (auth.pull_password_env or auth.password_env) if auth else "shipping.auth.passwordEnv"
        password = env.get(var) if auth else None
        redact.register(password)
        if not password:
            missing.append(f"{var} (pull secret {shipping.pull_secret!r})")
        else:
            host = (shipping.registry or "").split("/")[0]
            creds = {"username": auth.pull_user, "password": password, "auth": _b64(f"{auth.pull_user}:{password}")}
            config = json.dumps({"auths": {host: creds}})
            docs.append(_secret(profile, shipping.pull_secret, "kubernetes.io/dockerconfigjson",
                                {".dockerconfigjson": config}))
    if missing:
        raise BadInput(f"environment variables not set: {', '.join(missing)}",
                       hint="export them (or put them in the envFile the profile names) and rerun")
    return docs


def pull_secret_warning(profile: Profile) -> str | None:
    """What to say when the in-cluster pull secret carries the push token (no pullPasswordEnv)."""
    shipping = profile.shipping
    if not (shipping.pull_secret and shipping.auth) or shipping.auth.pull_password_env:
        return None
    host = (shipping.registry or "").split("/")[0]
    return (f"the image pull Secret {shipping.pull_secret!r} holds the push token from ${shipping.auth.password_env}, "
            f"which can write to {host}: anyone who can read Secrets in namespace {profile.namespace!r} can push "
            "images; set shipping.auth.pullPasswordEnv to the variable of a read-only token (and "
            "shipping.auth.pullUsername if its user differs)")
