"""The `images` section: what to build, from where, and under which repository name."""

from __future__ import annotations

from pathlib import Path

from clusterctl.profile import rules
from clusterctl.profile.check import Checker, Section, absolute, is_dir, path_problem
from clusterctl.profile.model import Image

KEYS = ("name", "context", "dockerfile", "buildArgs", "secrets", "target", "platform", "repository")


def read_images(root: Section, registry: str | None) -> tuple[Image, ...]:
    return root.named("images", lambda checker, path, value: _image(checker, path, value, registry), "image")


def _image(checker: Checker, path: str, value: object, registry: str | None) -> tuple[str | None, Image | None]:
    section = checker.section(value, path, KEYS)
    if section is None:
        return None, None
    name = section.text("name", required=True, rule=rules.dns_label())
    if not section.has("context"):
        section.report("context", "required key is missing")
    context = section.path("context", want="dir")
    dockerfile = _dockerfile(section, context)
    build_args = _build_args(section)
    build_secrets = _build_secrets(section)
    target = section.text("target", rule=rules.stage)
    platform = section.text("platform", rule=rules.platform)
    repository = section.text("repository", rule=rules.repository)
    if not (name and context and dockerfile):
        return name, None
    default_repository = f"{registry}/{name}" if registry else name
    return name, Image(name, context, dockerfile, build_args, target, platform, repository or default_repository,
                       build_secrets)


def _dockerfile(section: Section, context: Path | None) -> Path | None:
    """The Dockerfile, relative to the context (docker build's own rule)."""
    raw = section.text("dockerfile", "Dockerfile")
    if raw is None or context is None:
        return None
    dockerfile = absolute(raw, context)
    if section.checker.check_files and is_dir(context):
        message = path_problem(dockerfile, "file")
        if message:
            section.report("dockerfile", message.replace("file not found", "Dockerfile not found", 1))
    return dockerfile


def _build_args(section: Section) -> tuple[tuple[str, str], ...]:
    args = section.section("buildArgs", None)
    if args is None:
        return ()
    found = []
    for key, value in args.value.items():
        checked = section.checker.string(value, args.at(key))
        found += [(key, checked)] if checked is not None and args.at(key) not in section.checker.reported else []
    return tuple(found)


def _build_secrets(section: Section) -> tuple[tuple[str, str], ...]:
    """BuildKit secret id -> the NAME of the variable that holds it (`docker build --secret id=ID,env=NAME`)."""
    pairs = section.section("secrets", None)
    return pairs.variable_names(rules.build_secret_id) if pairs else ()
