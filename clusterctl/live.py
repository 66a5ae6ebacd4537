"""The running step drawn live on a terminal: a spinner and a timer, what its tools are doing right now
(the last build line per image, push layers as a bar, a load's elapsed time), then one permanent line.

Imported only when the console writes to a terminal, since rich costs time to import.
"""

from __future__ import annotations

import atexit
import threading
import time
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console as RichConsole
from rich.console import Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from clusterctl import redact
from clusterctl.transfer import PushProgress, load_target

MARK_STYLES = {"done": "bold green", "skipped": "dim", "failed": "bold red"}
MAX_ACTIVITIES = 6


class _Redacting:
    """A file that masks registered secrets in what rich writes: a second net only, since rich folds a long
    line before writing it; every text is masked before it is handed to rich."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(redact.redact(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.stream.fileno()


def terminal_console(stream: TextIO) -> RichConsole:
    return RichConsole(file=_Redacting(stream), force_terminal=True, highlight=False, markup=False, emoji=False)


@dataclass
class Activity:
    label: str
    line: str = ""
    push: PushProgress = field(default_factory=PushProgress)
    pushing: bool = False


class LiveSteps:
    """One live region for the running steps (several when they run alongside each other);
    everything permanent is printed above it."""

    def __init__(self, stream: TextIO, verbose: bool, marks: dict[str, str]):
        self.console = terminal_console(stream)
        self.verbose = verbose
        self.marks = marks
        self._lock = threading.Lock()
        self._live: Live | None = None
        self._spinner = Spinner("dots", style="cyan")
        self._running: dict[str, float] = {}  # title -> started
        self._activities: dict[str, Activity] = {}
        self._load: tuple[str, float] | None = None
        atexit.register(self.stop)

    def start(self, title: str) -> None:
        title = redact.redact(title)
        with self._lock:
            if not self._running:
                self._activities, self._load = {}, None
            self._running[title] = time.monotonic()
            first = self._live is None
        if first:  # outside the lock: Live renders as soon as it is made, and rendering takes the lock
            self._live = Live(get_renderable=self._render, console=self.console, transient=True,
                              refresh_per_second=10, redirect_stdout=False)
            self._live.start()

    def stop(self) -> None:
        """End the live region (and give the cursor back), also when a bug escapes a step."""
        if self._live is not None:
            self._live.stop()
            self._live = None

    def finish(self, status: str, title: str, detail: str, seconds: float, tail: list[str]) -> None:
        title, detail, tail = redact.redact(title), redact.redact(detail), redact.scrub(tail)
        with self._lock:
            self._running.pop(title, None)
            last = not self._running
        if last:
            self.stop()
        line = Text.assemble((f" {self.marks[status]} ", MARK_STYLES[status]),
                             (title, "bold red" if status == "failed" else ""))
        if detail:
            line.append(f" ({detail})", "red" if status == "failed" else "dim")
        line.append(f" [{seconds:.1f}s]", "dim")
        self.console.print(line)
        for entry in tail:
            self.console.print(Text.assemble(("     │ ", "dim"), entry), soft_wrap=True)

    def command(self, shown: str) -> None:
        shown = redact.redact(shown)
        if self.verbose:
            self.print(Text(f"   $ {shown}", "dim"))
        target = load_target(shown)
        with self._lock:
            self._load = (target, time.monotonic()) if target else None

    def output(self, label: str, line: str) -> None:
        label, line = redact.redact(label), redact.redact(line)
        with self._lock:
            activity = self._activities.pop(label, None) or Activity(label)
            self._activities[label] = activity  # most recent last
            if activity.push.feed(line):
                activity.pushing = True
            elif line.strip():
                activity.line = line.strip()
        if self.verbose:
            self.print(Text.assemble((f"   [{label}] ", "dim"), line))

    def print(self, text: Text) -> None:
        self.console.print(text, soft_wrap=True)

    def print_styled(self, head: tuple[str, str], text: str) -> None:
        self.print(Text.assemble(head, redact.redact(text)))

    def _render(self) -> Group:
        with self._lock:
            now = time.monotonic()
            heads = [Text.assemble(" ", self._spinner.render(now), f" {title}", (f"  {now - started:.1f}s", "dim"))
                     for title, started in self._running.items()]
            rows = [self._activity_row(a) for a in list(self._activities.values())[-MAX_ACTIVITIES:]]
            if self._load:
                target, since = self._load
                rows.append(Text.assemble(("     ↳ loading ", "dim"), (target, "cyan"),
                                          (f" into the nodes  {now - since:.1f}s", "dim"), no_wrap=True,
                                          overflow="ellipsis"))
        return Group(*heads, *rows)

    def _activity_row(self, activity: Activity):
        if not activity.pushing:
            return Text.assemble((f"     {activity.label} ", "cyan"), (activity.line, "dim"), no_wrap=True,
                                 overflow="ellipsis")
        push = activity.push
        grid = Table.grid(padding=(0, 1))
        grid.add_row(Text(f"     ↑ {activity.label}", "cyan", no_wrap=True, overflow="ellipsis"),
                     ProgressBar(total=max(push.total, 1), completed=push.done, width=24),
                     Text(_push_state(push), "dim"))
        return grid


def _push_state(push: PushProgress) -> str:
    if push.finished:
        return f"{push.total}/{push.total} layers, pushed"
    return f"{push.done}/{push.total} layers" if push.total else "preparing"
