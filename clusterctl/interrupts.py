"""What an interrupted run reports. (SIGTERM is turned into KeyboardInterrupt by the error handler, so
Ctrl-C and SIGTERM take one path: children stopped, exit 130.)"""

from __future__ import annotations

from clusterctl.errors import Interrupted


def interrupted() -> Interrupted:
    return Interrupted("interrupted; child processes stopped",
                       hint="rerun the same command: every step checks the state first and converges")
