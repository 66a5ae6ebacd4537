"""The final report, as text for people and as a versioned JSON document for programs."""

from __future__ import annotations

from clusterctl.orchestrator import RunReport

SCHEMA = "clusterctl.dev/report/v1"


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


def text(report: RunReport, workloads: list, notes: list[str], diagnoses: list = ()) -> str:
    parts = []
    if workloads:
        parts.append(table(["WORKLOAD", "READY", "STATUS", "RESTARTS", "IMAGE", "TIME TO READY"],
                           workload_rows(workloads)))
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in report.phase_seconds().items())
    verdict = "failed" if report.error else ("done" if report.changed else "nothing to do, everything is up to date")
    parts.append(f"{report.verb} {report.profile} ({report.context}): {verdict} in {report.seconds:.1f}s [{phases}]")
    parts += diagnosis_text(list(diagnoses))
    parts += [f"note: {n}" for n in notes]
    return "\n".join(parts)


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
        "workloads": [
            {"kind": r.workload.kind, "namespace": r.workload.namespace, "name": r.workload.name,
             "ready": r.ready, "desired": r.desired, "status": r.status, "restarts": r.restarts,
             "image": r.image, "secondsToReady": r.seconds_to_ready}
            for r in workloads
        ],
        "diagnoses": [d.as_dict() for d in diagnoses],
        "notes": notes,
        "error": None if error is None else {
            "kind": error.kind, "exitCode": error.exit_code, "message": error.message,
            "hint": error.hint, "details": error.details,
        },
    }
