"""The `secrets` section: Kubernetes Secrets whose values come from the environment, by variable name."""

from __future__ import annotations

from pathlib import Path

from clusterctl.profile import rules
from clusterctl.profile.check import Checker, Section
from clusterctl.profile.model import Image, SecretSpec

KEYS = ("name", "type", "envFile", "fromEnv")


def read_secrets(root: Section, pull_secret: str | None, images: tuple[Image, ...]) -> tuple[SecretSpec, ...]:
    first_seen = {pull_secret: "shipping.pullSecret"} if pull_secret else {}
    return root.named("secrets", lambda checker, path, value: _secret(checker, path, value, images), "Secret",
                      first_seen)


def _secret(checker: Checker, path: str, value: object,
            images: tuple[Image, ...]) -> tuple[str | None, SecretSpec | None]:
    section = checker.section(value, path, KEYS)
    if section is None:
        return None, None
    name = section.text("name", required=True, rule=rules.dns_subdomain)
    kind = section.text("type", "Opaque", rule=rules.secret_type)
    env_file = section.path("envFile", want="file")
    if env_file and checker.check_files and section.at("envFile") not in checker.reported:
        _refuse_sent_to_a_builder(section, env_file, images)
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
    return pairs.variable_names(rules.secret_key)


def _refuse_sent_to_a_builder(section: Section, env_file: Path, images: tuple[Image, ...]) -> None:
    """docker sends every context file its .dockerignore does not exclude, and `COPY . .` copies it."""
    from clusterctl.buildinputs import sent_to_builder  # deferred: pathspec, only for profiles with envFile

    image = next((i for i in images if sent_to_builder(i.context, env_file)), None)
    if image:
        rel = env_file.relative_to(image.context).as_posix()
        section.report("envFile", f"{env_file} is in the build context of image {image.name!r} and is sent to the "
                                  f"builder, where COPY can put it in the image; add {rel} to "
                                  f"{image.context / '.dockerignore'}, or move the file out of the context")
