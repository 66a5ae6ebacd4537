"""Findings: --strict, JSON output, ordering, and docs/lint.md kept in step with the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

from clusterctl.lint import Finding, findings_json, has_errors, sort_findings, strict
from clusterctl.lint.apiversions import RETIRED, show
from clusterctl.lint.catalog import RULES

DOCS = Path(__file__).parents[2] / "docs" / "lint.md"


def make(severity: str, line: int = 1, rule: str = "DF001") -> Finding:
    return Finding(rule, severity, "Dockerfile", line, "message", "hint")


def test_strict_promotes_warnings_only():
    findings = [make("error"), make("warning"), make("info")]
    assert [f.severity for f in strict(findings)] == ["error", "error", "info"]
    assert not has_errors([make("warning"), make("info")])
    assert has_errors(strict([make("warning")]))


def test_json_output_has_exactly_the_documented_keys():
    document = json.loads(findings_json([make("warning", 3)]))
    assert document == {"findings": [{
        "rule": "DF001", "severity": "warning", "file": "Dockerfile", "line": 3, "message": "message", "hint": "hint",
    }]}
    assert json.loads(findings_json([])) == {"findings": []}


def test_findings_sort_by_file_then_line_and_drop_duplicates():
    findings = [make("warning", 9), make("warning", 2, "DF009"), make("warning", 2, "DF002"), make("warning", 9)]
    assert [(f.line, f.rule) for f in sort_findings(findings)] == [(2, "DF002"), (2, "DF009"), (9, "DF001")]


def test_docs_table_lists_every_rule_with_its_severity():
    rows = re.findall(r"^\| ((?:DF|K8S)\d{3}) \| (\w+) \|", DOCS.read_text(), re.MULTILINE)
    assert dict(rows) == {rule.id: rule.severity for rule in RULES.values()}
    assert len(rows) == len(RULES)


def test_docs_list_every_retired_api_with_its_versions():
    text = DOCS.read_text()
    for row in RETIRED:
        pattern = rf"^\|[^|\n]*{re.escape(row.api_version)}[^|\n]*\|[^|\n]*\b{row.kind}\b[^|\n]*\| " \
                  rf"{re.escape(show(row.deprecated))} \| {re.escape(show(row.removed))} \|"
        assert re.search(pattern, text, re.MULTILINE), (row.api_version, row.kind)
