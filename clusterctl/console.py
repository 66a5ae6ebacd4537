"""All human output: one line per step on stderr, tool output folded unless -v, and the final report.

JSON mode prints nothing here; the caller prints one JSON document on stdout.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Callable, TextIO

from clusterctl import redact

MARKS = {"done": "✓", "skipped": "↷", "failed": "✗", "running": "•"}
PLAIN_MARKS = {"done": "ok", "skipped": "--", "failed": "!!", "running": ".."}


class Console:
    def __init__(self, verbose: bool = False, quiet: bool = False, err: TextIO | None = None,
                 out: TextIO | None = None):
        self.verbose = verbose
        self.quiet = quiet
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self._lock = threading.Lock()
        self.unicode = (getattr(self.err, "encoding", "") or "").lower().startswith("utf")

    def _write(self, stream: TextIO, text: str) -> None:
        if self.quiet and stream is self.err:
            return
        with self._lock:
            stream.write(redact.redact(text) + "\n")
            stream.flush()

    def mark(self, status: str) -> str:
        return (MARKS if self.unicode else PLAIN_MARKS)[status]

    def step_started(self, title: str) -> None:
        if self.verbose:
            self._write(self.err, f" {self.mark('running')} {title} ...")

    def step_finished(self, title: str, status: str, detail: str, seconds: float) -> None:
        tail = f" ({detail})" if detail else ""
        self._write(self.err, f" {self.mark(status)} {title}{tail} [{seconds:.1f}s]")

    def command(self, shown: str) -> None:
        if self.verbose:
            self._write(self.err, f"   $ {shown}")

    def tool_output(self, label: str) -> Callable[[str], None]:
        def show(line: str) -> None:
            if self.verbose:
                self._write(self.err, f"   [{label}] {line}")
        return show

    def note(self, text: str) -> None:
        self._write(self.err, f"   note: {text}")

    def print(self, text: str = "") -> None:
        self._write(self.out, text)

    def error(self, message: str, details: list[str], hint: str | None) -> None:
        self._write(self.err, f"error: {message}")
        for line in details:
            self._write(self.err, f"  {line}")
        if hint:
            self._write(self.err, f"hint: {hint}")


def wants_color() -> bool:
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()
