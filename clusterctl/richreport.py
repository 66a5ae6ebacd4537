"""Reports drawn with rich, for terminals only: imported when a console writes to a TTY, never for
`--help`, a pipe or JSON. Colour follows rich's own rules, so NO_COLOR keeps the layout without colour."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from clusterctl import redact
from clusterctl.report import HEADERS, Document

_RIGHT = {"READY", "RESTARTS", "TIME TO READY"}


def status_style(status: str) -> str:
    if status in ("Ready", "Complete"):
        return "green"
    if status.startswith("Failed") or status == "Missing":
        return "bold red"
    return "yellow"


def workload_table(rows: list[list[str]]) -> Table:
    rows = redact.scrub(rows)  # before rich folds a cell over lines
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for header in HEADERS:
        table.add_column(header, justify="right" if header in _RIGHT else "left",
                         overflow="fold", no_wrap=header != "STATUS")
    for name, ready, status, restarts, image, ttr in rows:
        table.add_row(Text(name, "bold"), ready, Text(status, status_style(status)),
                      Text(restarts, "yellow" if restarts != "0" else ""), Text(image, "cyan"), ttr)
    return table


def diagnoses(items: list) -> list[Text]:
    out = []
    for d in items:
        where = "/".join(p for p in (d.pod, d.container) if p)
        head = Text.assemble(("✗ ", "bold red"), (d.workload, "bold"), ": ", (d.reason, "red"),
                             f" ({where})" if where else "")
        out.append(head)
        if d.message:
            out.append(Text(f"    {d.message}"))
        out += [Text(f"    event  {e}", "dim") for e in d.events]
        if d.logs:
            out.append(Text("    last log lines:", "dim"))
            out += [Text.assemble(("      │ ", "dim"), line) for line in d.logs]
        if d.hint:
            out.append(Text.assemble(("    fix: ", "bold cyan"), d.hint))
    return out


def document(doc: Document) -> Group:
    doc = redact.scrub(doc)  # before rich folds a line: a value split over two lines is no longer found
    parts: list = [workload_table(doc.rows)] if doc.rows else []
    mark, style = ("✗", "bold red") if doc.failed else ("✓", "bold green")
    parts.append(Text.assemble((f"{mark} ", style), (doc.headline, style)))
    if doc.phases:
        parts.append(Text("  " + "  ·  ".join(f"{k} {v:.1f}s" for k, v in doc.phases), "dim"))
    parts += diagnoses(doc.diagnoses)
    parts += [Text.assemble(("note: ", "yellow"), n) for n in doc.notes]
    return Group(*parts)
