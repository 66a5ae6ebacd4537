"""All human output: one line per step on stderr, tool output folded unless -v or a step fails, and the
final report on stdout.

On a terminal the running step is drawn live with a timer (clusterctl/live.py, the only importer of rich
for steps) and the report as a table; elsewhere plain lines. JSON mode prints nothing here: the caller
prints one JSON document on stdout.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from typing import Callable, TextIO

from clusterctl import redact

MARKS = {"done": "✓", "skipped": "↷", "failed": "✗", "running": "•"}
PLAIN_MARKS = {"done": "ok", "skipped": "--", "failed": "!!", "running": ".."}
TAIL_LINES = 12  # of the failing tool's output, shown under a failed step


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class Console:
    def __init__(self, verbose: bool = False, quiet: bool = False, err: TextIO | None = None,
                 out: TextIO | None = None, live: bool | None = None):
        self.verbose = verbose
        self.quiet = quiet
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self._lock = threading.Lock()
        self.unicode = (getattr(self.err, "encoding", "") or "").lower().startswith("utf")
        self._tails: dict[str, deque[str]] = {}
        self._last_label: str | None = None
        self._live = None
        if live if live is not None else (not quiet and is_terminal(self.err)):
            from clusterctl.live import LiveSteps

            self._live = LiveSteps(self.err, verbose, MARKS if self.unicode else PLAIN_MARKS)

    def _write(self, stream: TextIO, text: str) -> None:
        if self.quiet and stream is self.err:
            return
        with self._lock:
            stream.write(redact.redact(text) + "\n")
            stream.flush()

    def mark(self, status: str) -> str:
        return (MARKS if self.unicode else PLAIN_MARKS)[status]

    def step_started(self, title: str) -> None:
        with self._lock:
            self._tails.clear()
            self._last_label = None
        if self._live:
            self._live.start(title)
        elif self.verbose:
            self._write(self.err, f" {self.mark('running')} {title} ...")

    def step_finished(self, title: str, status: str, detail: str, seconds: float) -> None:
        tail = self.failure_tail(detail) if status == "failed" and not self.verbose else []
        if self._live:
            self._live.finish(status, title, detail, seconds, tail)
            return
        extra = f" ({detail})" if detail else ""
        self._write(self.err, f" {self.mark(status)} {title}{extra} [{seconds:.1f}s]")
        bar = "│" if self.unicode else "|"
        for line in tail:
            self._write(self.err, f"     {bar} {line}")

    def failure_tail(self, detail: str) -> list[str]:
        """The last lines of the failing tool's output: the labels the failure names, else the last to write."""
        with self._lock:
            labels = [label for label in self._tails if label in detail] or (
                [self._last_label] if self._last_label else [])
            several = len(labels) > 1
            return [f"[{label}] {line}" if several else line for label in labels for line in self._tails[label]]

    def command(self, shown: str) -> None:
        if self._live:
            self._live.command(shown)
        elif self.verbose:
            self._write(self.err, f"   $ {shown}")

    def tool_output(self, label: str) -> Callable[[str], None]:
        def show(line: str) -> None:
            with self._lock:
                self._tails.setdefault(label, deque(maxlen=TAIL_LINES)).append(line)
                self._last_label = label
            if self._live:
                self._live.output(label, line)
            elif self.verbose:
                self._write(self.err, f"   [{label}] {line}")
        return show

    def note(self, text: str) -> None:
        if self._live:
            self._live.print_styled(("   note: ", "yellow"), text)
        else:
            self._write(self.err, f"   note: {text}")

    def print(self, text: str = "") -> None:
        """A line or block on stdout; a report (anything with `__rich__`) is drawn as a table on a terminal."""
        if hasattr(text, "__rich__") and is_terminal(self.out):
            from clusterctl.live import terminal_console

            with self._lock:
                terminal_console(self.out).print(text)
            return
        self._write(self.out, text)

    def error(self, message: str, details: list[str], hint: str | None) -> None:
        if self._live:
            self._live.print_styled(("error: ", "bold red"), message)
            for line in details:
                self._live.print_styled(("  ", ""), line)
            if hint:
                self._live.print_styled(("hint: ", "bold cyan"), hint)
            return
        self._write(self.err, f"error: {message}")
        for line in details:
            self._write(self.err, f"  {line}")
        if hint:
            self._write(self.err, f"hint: {hint}")
