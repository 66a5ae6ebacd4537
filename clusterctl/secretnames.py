"""Which names say they hold a secret: the one test lint (DF004) and the profile rules share."""

from __future__ import annotations

import re

_SECRET_WORDS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN")
# PAT: a personal access token (GITHUB_PAT, GITLAB_PAT).
_SECRET_TOKENS = {"KEY", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "CREDENTIALS", "CREDENTIAL", "PASS", "PW", "PAT"}
# Names that say the value is public or only points at the secret: GPG_KEY, TOKEN_URL, PASSWORD_FILE.
_PUBLIC_TOKENS = {
    "PUBLIC", "PUB", "GPG", "FINGERPRINT", "FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT",
    "NAME", "ID", "USER", "USERNAME", "TYPE", "LENGTH", "SIZE", "TTL", "EXPIRY", "HEADER",
}


def is_secret_name(name: str) -> bool:
    """NPM_TOKEN, DB_PASSWORD, GITHUB_PAT, apiKey: yes. GPG_KEY, TOKEN_URL, PASSWORD_FILE: no."""
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)  # camelCase keys: apiKey -> api_Key
    tokens = set(re.split(r"[^A-Z0-9]+", words.upper())) - {""}
    if tokens & _PUBLIC_TOKENS:
        return False
    return bool(tokens & _SECRET_TOKENS) or any(t.endswith(_SECRET_WORDS) for t in tokens)


def build_secret_fix(secret_id: str, variable: str, key: str = "images[].secrets") -> str:
    """How a build reads a secret without a build arg: lint's DF004 and the profile's build-arg rule say it alike."""
    return f"{key}: {{{secret_id}: {variable}}} and read it with RUN --mount=type=secret,id={secret_id}"
