"""`clusterctl lint` and the lint preflight of `up`: the seeds' practices, checked before any build."""

from __future__ import annotations

from pathlib import Path

from clusterctl import redact
from clusterctl.app import Options, console_for
from clusterctl.errors import BadInput
from clusterctl.runner import Command
from clusterctl.steps.base import Check


def profile_findings(profile, manifest_docs) -> list:
    """Lint the profile's inputs; unchanged inputs reuse the last result (a no-op `up` stays fast)."""
    from clusterctl import lintcache

    key = lintcache.key(profile, manifest_docs)
    cached = lintcache.load(key)
    if cached is not None:
        return cached
    findings = _lint(profile, manifest_docs)
    lintcache.store(key, findings)
    return findings


def _lint(profile, manifest_docs) -> list:
    from clusterctl.lint import lint_files
    from clusterctl.toolversions import OLDEST_KUBERNETES

    return lint_files([i.dockerfile for i in profile.images], manifest_docs, _kubernetes_version(profile),
                      contexts={i.dockerfile: i.context for i in profile.images},
                      namespace=profile.namespace, managed_images=[i.repository for i in profile.images],
                      oldest_version=OLDEST_KUBERNETES.get(profile.cluster.driver))


def _kubernetes_version(profile) -> str | None:
    if profile.cluster.kubernetes_version:
        return profile.cluster.kubernetes_version
    from clusterctl.imageref import ImageRef

    tag = ImageRef.parse(profile.cluster.node_image).tag if profile.cluster.node_image else None
    return tag if tag and tag.startswith("v") else None


def _profile_docs(ctx) -> list:
    """Every file is read and shape-checked before kubectl renders any kustomization."""
    from clusterctl.errors import InvalidInput
    from clusterctl.manifests.bundle import source_docs

    problems = []
    for source in ctx.profile.manifests:
        if source.kind != "kustomize":
            try:
                source_docs(ctx, source)
            except InvalidInput as exc:
                problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems, hint="fix the manifests and rerun")
    return [d for source in ctx.profile.manifests for d in source_docs(ctx, source)]


def _line(f) -> str:
    return f"{f.file}:{f.line}: {f.severity}: [{f.rule}] {f.message} (fix: {f.hint})"


def run_lint(targets: list[str], options: Options, strict: bool) -> int:
    from clusterctl import lint

    console = console_for(options)
    paths = [Path(t) for t in targets]
    if len(targets) == 1 and not paths[0].exists():
        from clusterctl.app import make_context

        ctx = make_context(targets[0], options)
        findings = profile_findings(ctx.profile, _profile_docs(ctx))
    elif not targets:
        raise BadInput("name a profile, or files and directories to lint")
    else:
        missing = [t for t in targets if not Path(t).exists()]
        if missing:
            raise BadInput(f"no such file or directory: {', '.join(missing)}")
        findings = lint.lint_paths(paths)
    if strict:
        findings = lint.strict(findings)
    errors = [f for f in findings if f.severity == "error"]
    if options.json:
        console.print(redact.dumps({"findings": [
            {"rule": f.rule, "severity": f.severity, "file": f.file, "line": f.line, "message": f.message,
             "hint": f.hint} for f in findings]}, indent=2))
    else:
        for f in findings:
            console.print(_line(f))
        console.print(f"{len(errors)} error(s), {len(findings) - len(errors)} other finding(s)")
    return 2 if errors else 0


class LintPreflight:
    """The first step of `up`: every manifest and Dockerfile is read and linted before any tool runs or
    anything is created. Warnings are shown and the run goes on; with --strict they stop it too."""

    name = "lint"
    phase = "preflight"

    def __init__(self, strict: bool = False):
        self.strict = strict

    def title(self, ctx) -> str:
        return "Read and lint manifests and Dockerfiles" + (" (strict)" if self.strict else "")

    def plan(self, ctx) -> list[Command]:
        return []

    def check(self, ctx) -> Check:
        return Check(False)

    def run(self, ctx) -> str:
        from clusterctl import lint

        findings = profile_findings(ctx.profile, _profile_docs(ctx))
        if self.strict:
            findings = lint.strict(findings)
        errors = [f for f in findings if f.severity == "error"]
        # Info findings (a tag instead of a digest, say) belong to `clusterctl lint`, not to every `up`.
        for f in findings:
            if f.severity != "info":
                ctx.notes.append(_line(f))
        if errors:
            raise BadInput(f"lint found {len(errors)} error(s)", details=[_line(f) for f in errors],
                           hint="fix them, or run `clusterctl lint` to see every finding")
        return f"{len(findings)} finding(s), no errors" if findings else "clean"
