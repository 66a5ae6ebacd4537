"""SIGTERM is handled like Ctrl-C, so one path stops the children and exits 130."""

from __future__ import annotations

import contextlib
import signal
from typing import Iterator

from clusterctl.errors import Interrupted


def interrupted() -> Interrupted:
    return Interrupted("interrupted; child processes stopped",
                       hint="rerun the same command: every step checks the state first and converges")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    def on_term(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
