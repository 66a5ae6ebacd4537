"""What a lint finding is, how findings are ordered, promoted by --strict and printed as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Iterable, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    file: str
    line: int
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity} {self.rule}: {self.message} (fix: {self.hint})"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.rule, f.message))


def strict(findings: Iterable[Finding]) -> list[Finding]:
    """--strict: every warning becomes an error; info stays info."""
    return [replace(f, severity="error") if f.severity == "warning" else f for f in findings]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def findings_json(findings: Iterable[Finding]) -> str:
    """The `--output json` document: {"findings": [{rule, severity, file, line, message, hint}, ...]}."""
    return json.dumps({"findings": [asdict(f) for f in findings]}, indent=2)
