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
    from clusterctl.buildinputs import ignore_spec  # deferred: pathspec, only for contexts with a .dockerignore

    spec = ignore_spec(context)
    for pattern, samples in _heavy_entries(context):
        let_in = [name for name, sample in samples if not spec.match_file(sample)]
        if let_in:
            yield finding(
                "DF008", str(ignore), 1,
                f".dockerignore lets {', '.join(let_in[:3])} into the build context",
                hint=f"add `{pattern}` to .dockerignore",
            )


def _heavy_entries(context: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Top-level entries that should never reach the builder: (pattern to add, [(name, path to test)])."""
    for name in _HEAVY_DIRS:
        if (context / name).exists():
            yield name, [(name, f"{name}/x" if (context / name).is_dir() else name)]
    logs = sorted(context.glob("*.log"))
    if logs:
        yield "*.log", [(p.name, p.name) for p in logs]
