"""Kubernetes Secrets built from the environment (and an optional .env file), in memory only.

Values are registered for redaction the moment they are read, travel to the API server in a request body
(clusterctl/steps/secrets.py), and are never written to disk.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Mapping

from clusterctl import redact
from clusterctl.errors import BadInput
from clusterctl.manifests.render import MANAGED_BY, PROFILE_LABEL
from clusterctl.profile.model import Profile, SecretSpec


def _env_file_values(spec: SecretSpec) -> dict[str, str]:
    if not spec.env_file:
        return {}
    from dotenv import dotenv_values  # deferred: only profiles with envFile need it

    return {k: v for k, v in dotenv_values(spec.env_file).items() if v is not None}


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _secret(profile: Profile, name: str, type_: str, data: dict[str, str]) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "type": type_,
            "metadata": {"name": name, "namespace": profile.namespace,
                         "labels": {MANAGED_BY: "clusterctl", PROFILE_LABEL: profile.name}},
            "data": {k: _b64(v) for k, v in sorted(data.items())}}


def secret_variables(profile: Profile) -> tuple[str, ...]:
    """Every environment variable the profile names as holding a secret: the one list that registration
    for masking and the children's environment are both built from."""
    names = [var for spec in profile.secrets for _, var in spec.from_env]
    auth = profile.shipping.auth
    if auth:
        names += [auth.password_env] + ([auth.pull_password_env] if auth.pull_password_env else [])
    names += [var for image in profile.images for _, var in image.build_secrets]
    return tuple(dict.fromkeys(names))


def registry_password(profile: Profile, env: Mapping[str, str]) -> str | None:
    auth = profile.shipping.auth
    value = env.get(auth.password_env) if auth else None
    redact.register(value)
    return value or None


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
                redact.register(values[var])
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
