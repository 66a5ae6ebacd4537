"""Rules that read one parsed Dockerfile (the build context has its own module)."""

from __future__ import annotations

import re
from typing import Callable, Iterator

from clusterctl.imageref import ImageRef
from clusterctl.lint.catalog import finding
from clusterctl.lint.dockerfile import Dockerfile, Instruction, Stage, key_values
from clusterctl.lint.model import Finding
from clusterctl.secretnames import build_secret_fix, is_secret_name

_VARIABLE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
_TOOLCHAINS = {"golang", "rust", "gcc", "buildpack-deps", "maven", "gradle", "sbt", "scala-sbt", "haskell", "clang"}
_DEPENDENCY_INSTALL = re.compile(
    r"\b(?:npm\s+(?:ci|install|i)\b|pnpm\s+(?:install|i)\b|yarn(?:\s+install)?(?:\s+--\S+)*\s*(?:$|&&|;|\|\|)"
    r"|pip3?\s+install\b|python3?\s+-m\s+pip\s+install\b|poetry\s+install\b|pipenv\s+(?:install|sync)\b"
    r"|uv\s+(?:sync|pip\s+install)\b|go\s+mod\s+download\b|bundle\s+install\b|composer\s+install\b"
    r"|cargo\s+fetch\b|mvn\b[^\n&;]*dependency:)",
    re.MULTILINE,
)
_PIPE_TO_SHELL = re.compile(
    r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:/bin/|/usr/bin/)?(?:sh|bash|zsh|ash|dash|ksh)\b"
    r"|\b(?:sh|bash)\s+(?:-c\s+[\"']?\$\(|<\(\s*)(?:curl|wget)\b"
)
_APT_INSTALL = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b")


def check(df: Dockerfile) -> Iterator[Finding]:
    for line, message in df.errors:
        yield finding("DF000", df.path, line, message)
    if df.final is None:
        return
    for rule in _RULES:
        yield from rule(df)


def root_user(df: Dockerfile) -> Iterator[Finding]:
    stage: Stage | None = df.final
    while stage is not None:
        user = next((i for i in reversed(stage.instructions) if i.keyword == "USER"), None)
        if user is not None:
            if _is_root(user.args):
                yield finding("DF001", df.path, user.line, f"the final stage runs as {user.args.strip()!r}")
            return
        if stage.parent is None and stage.base and "nonroot" in (ImageRef.parse(stage.base).tag or ""):
            return  # distroless :nonroot and similar set a non-root USER themselves
        stage = stage.parent
    final = df.final
    yield finding("DF001", df.path, final.line, "the final stage has no USER instruction, so it runs as root")


def _is_root(user: str) -> bool:
    name = user.strip().split(":")[0]
    return name in ("root", "0")


def unpinned_base(df: Dockerfile) -> Iterator[Finding]:
    for stage in df.stages:
        if stage.parent is not None or not stage.base or stage.base == "scratch":
            continue
        ref = ImageRef.parse(stage.base)
        if ref.digest:
            continue
        if ref.tag in (None, "latest"):
            what = "is :latest" if ref.tag else "has no tag, which means :latest"
            yield finding("DF002", df.path, stage.line, f"base image {stage.base} {what}; a rebuild can get a different image")
        else:
            yield finding("DF003", df.path, stage.line, f"base image {stage.base} is pinned by tag, which can be moved")


def secrets_in_build(df: Dockerfile) -> Iterator[Finding]:
    for inst in df.instructions:
        if inst.keyword not in ("ENV", "ARG"):
            continue
        for name, value in key_values(inst.args):
            if is_secret_name(name) and value and _VARIABLE.sub("", value).strip():
                yield finding(
                    "DF004", df.path, inst.line,
                    f"{inst.keyword} {name} sets a literal value that stays in the image history",
                    hint="keep it out of the image: at run time pass it from a Kubernetes Secret; for the build, "
                         f"name it in the profile's {build_secret_fix(name.lower(), name)}",
                )


def toolchain_final(df: Dockerfile) -> Iterator[Finding]:
    final = df.final
    stage = final
    while stage.parent is not None:
        stage = stage.parent
    if not stage.base or not _is_toolchain(stage.base):
        return
    how = "the only stage" if len(df.stages) == 1 else "the final stage"
    yield finding("DF005", df.path, final.line, f"{how} is built on the toolchain image {stage.base}, which ships compilers")


def _is_toolchain(image: str) -> bool:
    ref = ImageRef.parse(image)
    repo, tag = ref.repository.lower(), (ref.tag or "").lower()
    last = repo.rsplit("/", 1)[-1]
    if last in _TOOLCHAINS or repo.endswith("dotnet/sdk"):
        return True
    if last in ("openjdk", "eclipse-temurin", "amazoncorretto", "ibm-semeru-runtimes"):
        return "jre" not in tag
    return False


def copy_before_install(df: Dockerfile) -> Iterator[Finding]:
    for stage in df.stages:
        installed = False
        copy_all: Instruction | None = None
        for inst in stage.instructions:
            if inst.keyword == "RUN" and _DEPENDENCY_INSTALL.search(inst.script()):
                if copy_all is not None and not installed:
                    yield finding(
                        "DF006", df.path, copy_all.line,
                        f"the whole context is copied before the dependency install on line {inst.line}, "
                        "so any source change reinstalls every dependency",
                    )
                    break
                installed = True
            elif copy_all is None and _copies_whole_context(inst):
                copy_all = inst


def _copies_whole_context(inst: Instruction) -> bool:
    if inst.keyword not in ("COPY", "ADD") or "from" in inst.flags or inst.heredocs:
        return False
    words = inst.exec_form() or inst.args.split()
    return any(src.rstrip("/") in (".", "./", "") for src in words[:-1])


def package_cache(df: Dockerfile) -> Iterator[Finding]:
    for stage in df.stages:
        pip_env = any(
            inst.keyword == "ENV" and any(k == "PIP_NO_CACHE_DIR" for k, _ in key_values(inst.args))
            for inst in stage.instructions
        )
        for inst in stage.instructions:
            if inst.keyword != "RUN" or "cache" in inst.flags.get("mount", ""):
                continue
            for manager, hint in _uncleaned(inst.script(), pip_env):
                message = f"{manager} leaves its package cache in the image layer"
                yield finding("DF009", df.path, inst.line, message, hint=hint)


def _uncleaned(script: str, pip_env: bool) -> Iterator[tuple[str, str]]:
    if _APT_INSTALL.search(script) and "/var/lib/apt/lists" not in script:
        yield "apt-get install", "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`"
    if re.search(r"\bapk\s+add\b", script) and "--no-cache" not in script and "/var/cache/apk" not in script:
        yield "apk add", "use `apk add --no-cache`"
    manager = re.search(r"\b(yum|dnf|microdnf)\s+(?:-\S+\s+)*install\b", script)
    if manager and not re.search(r"\b(yum|dnf|microdnf)\s+clean\s+all\b|/var/cache/(yum|dnf)", script):
        yield f"{manager.group(1)} install", f"end the same RUN with `&& {manager.group(1)} clean all`"
    if re.search(r"\bpip3?\s+install\b", script) and "--no-cache-dir" not in script and not pip_env:
        yield "pip install", "use `pip install --no-cache-dir` (or ENV PIP_NO_CACHE_DIR=1)"


def install_recommends(df: Dockerfile) -> Iterator[Finding]:
    for inst in df.instructions:
        if inst.keyword != "RUN":
            continue
        script = inst.script()
        if _APT_INSTALL.search(script) and not re.search(r"--no-install-recommends|Install-Recommends=(false|0)", script):
            yield finding("DF010", df.path, inst.line, "apt-get install pulls in recommended packages the app does not need")


def pipe_to_shell(df: Dockerfile) -> Iterator[Finding]:
    for inst in df.instructions:
        if inst.keyword == "RUN" and _PIPE_TO_SHELL.search(inst.script()):
            yield finding("DF011", df.path, inst.line, "a script downloaded at build time runs unverified")


_RULES: tuple[Callable[[Dockerfile], Iterator[Finding]], ...] = (
    root_user, unpinned_base, secrets_in_build, toolchain_final, copy_before_install,
    package_cache, install_recommends, pipe_to_shell,
)
