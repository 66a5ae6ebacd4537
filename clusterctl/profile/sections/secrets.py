"""The `secrets` section: Kubernetes Secrets whose values come from the environment, by variable name."""

from __future__ import annotations

from clusterctl.profile import rules
from clusterctl.profile.check import Checker, Section
from clusterctl.profile.model import SecretSpec

KEYS = ("name", "type", "envFile", "fromEnv")


def read_secrets(root: Section, pull_secret: str | None) -> tuple[SecretSpec, ...]:
    first_seen = {pull_secret: "shipping.pullSecret"} if pull_secret else {}
    return root.named("secrets", _secret, "Secret", first_seen)


def _secret(checker: Checker, path: str, value: object) -> tuple[str | None, SecretSpec | None]:
    section = checker.section(value, path, KEYS)
    if section is None:
        return None, None
    name = section.text("name", required=True, rule=rules.dns_subdomain)
    kind = section.text("type", "Opaque", rule=rules.secret_type)
    env_file = section.path("envFile", want="file")
    from_env = _from_env(section)
    return name, SecretSpec(name, kind, env_file, from_env) if name and from_env else None


def _from_env(section: Section) -> tuple[tuple[str, str], ...]:
    if not section.has("fromEnv"):
        section.report("fromEnv", "required key is missing: map each Secret key to an environment variable NAME")
        return ()
    pairs = section.section("fromEnv", None)
    if pairs is None:
        return ()
    if not pairs.value:
        section.report("fromEnv", "must name at least one Secret key")
    found = []
    for key, value in pairs.value.items():
        bad_key = rules.secret_key(key)
        if bad_key:
            pairs.report(key, bad_key)
        variable = pairs.text(key, rule=rules.env_name)
        if variable and not bad_key:
            found.append((key, variable))
    return tuple(found)
