"""Rules about the build context: is there a .dockerignore, and does it keep .git, node_modules and logs out."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from clusterctl.lint.catalog import finding
from clusterctl.lint.model import Finding

_HEAVY_DIRS = (".git", "node_modules", "logs", "log")


def check(dockerfile: str, context: Path) -> Iterator[Finding]:
    ignore = context / ".dockerignore"
    if not ignore.is_file():
        yield finding("DF007", dockerfile, 1, f"the build context {context} has no .dockerignore, so all of it is sent to the builder")
        return
    spec = _spec(ignore.read_text(encoding="utf-8", errors="replace"))
    for pattern, samples in _heavy_entries(context):
        let_in = [name for name, sample in samples if not spec.match_file(sample)]
        if let_in:
            yield finding(
                "DF008", str(ignore), 1,
                f".dockerignore lets {', '.join(let_in[:3])} into the build context",
                hint=f"add `{pattern}` to .dockerignore",
            )


def _spec(text: str):
    import pathspec  # deferred: only contexts with a .dockerignore need it

    lines = [ln.strip() for ln in text.splitlines()]
    # Docker anchors every pattern at the context root, so a leading slash changes nothing there.
    lines = [ln[1:] if ln.startswith("/") else ln for ln in lines if ln and not ln.startswith("#")]
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _heavy_entries(context: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Top-level entries that should never reach the builder: (pattern to add, [(name, path to test)])."""
    for name in _HEAVY_DIRS:
        if (context / name).exists():
            yield name, [(name, f"{name}/x" if (context / name).is_dir() else name)]
    logs = sorted(context.glob("*.log"))
    if logs:
        yield "*.log", [(p.name, p.name) for p in logs]
