"""The final report, as text for people and as a versioned JSON document for programs.

`text()` returns plain aligned text that also knows how to draw itself with rich (`__rich__`), so a
console writing to a terminal shows a real table and a pipe or file gets the same words, plain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clusterctl.orchestrator import RunReport

SCHEMA = "clusterctl.dev/report/v1"
HEADERS = ["WORKLOAD", "READY", "STATUS", "RESTARTS", "IMAGE", "TIME TO READY"]
PHASE_ORDER = ("preflight", "cluster", "build", "ship", "apply", "ready")


def workload_rows(workloads: list) -> list[list[str]]:
    rows = []
    for r in workloads:
        ttr = f"{r.seconds_to_ready:.1f}s" if r.seconds_to_ready is not None else "-"
        rows.append([f"{r.workload.kind.lower()}/{r.workload.name}", f"{r.ready}/{r.desired}", r.status,
                     str(r.restarts), r.image or "-", ttr])
    return rows


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def ordered_phases(phases: dict[str, float]) -> list[tuple[str, float]]:
    known = [(p, phases[p]) for p in PHASE_ORDER if p in phases]
    return known + [(p, s) for p, s in phases.items() if p not in PHASE_ORDER]


def diagnosis_text(diagnoses: list) -> list[str]:
    lines = []
    for d in diagnoses:
        where = "/".join(p for p in (d.pod, d.container) if p)
        lines.append(f"✗ {d.workload}: {d.reason}" + (f" ({where})" if where else ""))
        if d.message:
            lines.append(f"    {d.message}")
        lines += [f"    event  {e}" for e in d.events]
        if d.logs:
            lines.append("    last log lines:")
            lines += [f"      | {line}" for line in d.logs]
        if d.hint:
            lines.append(f"    fix: {d.hint}")
    return lines


@dataclass
class Document:
    """What the report says, before it is drawn as plain text or as a rich table."""

    rows: list[list[str]]
    headline: str  # verb, profile, context, verdict and the total time
    failed: bool
    phases: list[tuple[str, float]]
    diagnoses: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def timings(self) -> str:
        return ", ".join(f"{k} {v:.1f}s" for k, v in self.phases)

    @property
    def summary(self) -> str:
        return f"{self.headline} [{self.timings}]"

    def plain(self) -> str:
        parts = [table(HEADERS, self.rows)] if self.rows else []
        parts.append(self.summary)
        parts += diagnosis_text(self.diagnoses)
        parts += [f"note: {n}" for n in self.notes]
        return "\n".join(parts)

    def rich(self):
        from clusterctl import richreport

        return richreport.document(self)


class ReportText(str):
    """The plain report; `__rich__` lets a terminal console draw it as a table instead."""

    document: Document

    def __new__(cls, document: Document) -> "ReportText":
        made = super().__new__(cls, document.plain())
        made.document = document
        return made

    def __rich__(self):
        return self.document.rich()


class WorkloadTable(str):
    """The workload table as plain aligned text; `__rich__` draws it as a rich table on a terminal."""

    rows: list[list[str]]

    def __new__(cls, rows: list[list[str]]) -> "WorkloadTable":
        made = super().__new__(cls, table(HEADERS, rows))
        made.rows = rows
        return made

    def __rich__(self):
        from clusterctl import richreport

        return richreport.workload_table(self.rows)


def document(report: RunReport, workloads: list, notes: list[str], diagnoses: list = ()) -> Document:
    verdict = "failed" if report.error else ("done" if report.changed else "nothing to do, everything is up to date")
    headline = f"{report.verb} {report.profile} ({report.context}): {verdict} in {report.seconds:.1f}s"
    return Document(workload_rows(workloads), headline, report.error is not None,
                    ordered_phases(report.phase_seconds()), list(diagnoses), list(notes))


def text(report: RunReport, workloads: list, notes: list[str], diagnoses: list = ()) -> ReportText:
    return ReportText(document(report, workloads, notes, diagnoses))


def workloads_json(workloads: list) -> list[dict]:
    return [
        {"kind": r.workload.kind, "namespace": r.workload.namespace, "name": r.workload.name,
         "ready": r.ready, "desired": r.desired, "status": r.status, "restarts": r.restarts,
         "image": r.image, "secondsToReady": r.seconds_to_ready}
        for r in workloads
    ]


def as_json(report: RunReport, workloads: list, notes: list[str], diagnoses: list = ()) -> dict:
    error = report.error
    return {
        "schema": SCHEMA,
        "verb": report.verb,
        "profile": report.profile,
        "context": report.context,
        "ok": error is None,
        "changed": report.changed,
        "seconds": report.seconds,
        "phases": report.phase_seconds(),
        "steps": [vars(s) for s in report.steps],
        "workloads": workloads_json(workloads),
        "diagnoses": [d.as_dict() for d in diagnoses],
        "notes": notes,
        "error": None if error is None else {
            "kind": error.kind, "exitCode": error.exit_code, "message": error.message,
            "hint": error.hint, "details": error.details,
        },
    }
