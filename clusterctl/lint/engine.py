"""Run every rule over Dockerfiles and manifests and return the findings, sorted by file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Mapping, Protocol, Sequence

from clusterctl.errors import InvalidInput
from clusterctl.lint import context_rules, dockerfile_rules, manifest_rules, set_rules
from clusterctl.lint.apiversions import parse_version
from clusterctl.lint.catalog import finding
from clusterctl.lint.discover import discover, load_manifest_file
from clusterctl.lint.dockerfile import parse
from clusterctl.lint.model import Finding, sort_findings
from clusterctl.yamlsrc import read_text


class ManifestDoc(Protocol):
    obj: dict
    file: str | Path
    line: int


def lint_paths(paths: Sequence[Path], kubernetes_version: str | None = None) -> list[Finding]:
    """Lint files and directories: Dockerfiles and Kubernetes manifests, directories searched recursively."""
    found = discover(paths)
    findings = list(found.problems)
    docs: list = []
    for path, explicit in found.manifests:
        loaded, problems = load_manifest_file(path, explicit)
        docs.extend(loaded)
        findings.extend(problems)
    findings.extend(lint_files(found.dockerfiles, docs, kubernetes_version))
    return sort_findings(findings)


def lint_files(
    dockerfiles: Sequence[Path],
    manifest_docs: Sequence[ManifestDoc],
    kubernetes_version: str | None,
    *,
    contexts: Mapping[Path, Path] | None = None,
    namespace: str | None = None,
    managed_images: Iterable[str] = (),
    oldest_version: str | None = None,
) -> list[Finding]:
    """Lint a profile's Dockerfiles (context: `contexts[dockerfile]`, else its folder) and parsed manifests.

    `namespace` is where objects without one are applied; `managed_images` are the repositories the
    profile builds, whose tags clusterctl pins, so their `:latest` in a manifest is not a finding.
    Without `kubernetes_version`, fields are checked against `oldest_version` (the oldest cluster the
    profile may land on) and apiVersions against today's Kubernetes.
    """
    version = parse_version(kubernetes_version) if kubernetes_version else None
    floor = parse_version(oldest_version) if oldest_version else None
    target = manifest_rules.Target(version, namespace, tuple(managed_images), floor)
    findings: list[Finding] = []
    for dockerfile in dockerfiles:
        context = (contexts or {}).get(dockerfile, dockerfile.parent)
        findings.extend(_lint_dockerfile(dockerfile, context))
    findings.extend(_lint_manifests(manifest_docs, target))
    return sort_findings(findings)


def _lint_dockerfile(path: Path, context: Path) -> Iterator[Finding]:
    try:
        text = read_text(path)
    except InvalidInput as error:
        yield from (finding("DF000", str(path), p.line or 1, p.message) for p in error.problems)
        return
    yield from dockerfile_rules.check(parse(text, str(path)))
    yield from context_rules.check(str(path), context)


def _lint_manifests(docs: Sequence[ManifestDoc], target: manifest_rules.Target) -> Iterator[Finding]:
    if not docs:
        return
    yield from _schema_availability(docs[0], target)
    for doc in docs:
        yield from manifest_rules.check(doc.obj, str(doc.file), doc.line, target)
    yield from set_rules.check([set_rules.place(d.obj, str(d.file), target.namespace) for d in docs])


def _schema_availability(first: ManifestDoc, target: manifest_rules.Target) -> Iterator[Finding]:
    from clusterctl.lint import schema  # deferred: only when there are manifests to check

    loaded = schema.load(target.fields_version)
    if isinstance(loaded, str):
        yield finding("K8S015", str(first.file), first.line, f"manifests were not schema-checked: {loaded}")
