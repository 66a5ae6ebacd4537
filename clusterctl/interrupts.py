"""Ctrl-C and SIGTERM: stop the child processes, then leave with exit code 130."""

from __future__ import annotations

import contextlib
import signal
from typing import Iterator

from clusterctl.errors import Interrupted


@contextlib.contextmanager
def stopping_children(runner) -> Iterator[None]:
    def on_term(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    except KeyboardInterrupt:
        if hasattr(runner, "terminate_all"):
            runner.terminate_all()
        raise Interrupted("interrupted; child processes stopped",
                          hint="rerun the same command: every step checks the state first and converges")
    finally:
        signal.signal(signal.SIGTERM, previous)
