"""`clusterctl status --watch`: the status table redrawn in place on a terminal, reprinted when it changes
elsewhere, or one JSON document per change with --output json. Ctrl-C ends it, successfully."""

from __future__ import annotations

import time

from clusterctl import redact
from clusterctl import report as reports
from clusterctl.console import is_terminal
from clusterctl.drivers import ClusterState
from clusterctl.status import as_json, exit_code, follow, header


def watch_status(ctx, items, options) -> int:
    console = ctx.console
    if options.json:
        state = ClusterState.RUNNING
        return _run(ctx, items, _changes_only(
            lambda rows: redact.dumps(as_json(ctx, state, rows, exit_code(state, rows) == 0)), console.print))
    title = header(ctx, ClusterState.RUNNING)
    if is_terminal(console.out):
        return _live(ctx, items, title)
    return _run(ctx, items, _changes_only(
        lambda rows: "\n".join([title, reports.table(reports.HEADERS, reports.workload_rows(rows))]),
        lambda text: console.print(f"--- {time.strftime('%H:%M:%S')}\n{text}")))


def _changes_only(render, emit):
    """Emit the rendered rows only when they differ from the last ones emitted."""
    last = [None]

    def show(rows) -> None:
        text = render(rows)
        if text != last[0]:
            last[0] = text
            emit(text)
    return show


def _run(ctx, items, show) -> int:
    try:  # Ctrl-C and SIGTERM (the error handler maps it) both arrive as KeyboardInterrupt
        follow(ctx, items, show)
    except KeyboardInterrupt:
        pass  # the user is done watching: that is success
    return 0


def _live(ctx, items, title: str) -> int:
    from rich.console import Group
    from rich.live import Live
    from rich.text import Text

    from clusterctl.live import terminal_console
    from clusterctl.richreport import workload_table

    def frame(rows):
        footer = Text(f"watching since {started} · updated {time.strftime('%H:%M:%S')} · Ctrl-C to stop", "dim")
        return Group(Text(redact.redact(title), "bold"), workload_table(reports.workload_rows(rows)), footer)

    started = time.strftime("%H:%M:%S")
    with Live(console=terminal_console(ctx.console.out), auto_refresh=False, redirect_stdout=False) as live:
        return _run(ctx, items, lambda rows: live.update(frame(rows), refresh=True))
