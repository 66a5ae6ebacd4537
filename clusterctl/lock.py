"""One run at a time per cluster: a second up, redeploy or down waits (or, with --no-wait, refuses).

flock is released by the kernel when its holder dies, so a killed run never leaves a lock that blocks;
the holder's note left in the file only lets the next run say that the previous one ended abruptly.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from pathlib import Path
from typing import Callable, Iterator

from clusterctl.errors import Busy
from clusterctl.identity import key
from clusterctl.runfolder import pid_alive
from clusterctl.statedir import home, open_private


def _holder(handle) -> dict:
    try:
        handle.seek(0)
        return json.loads(handle.read() or "{}")
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def cluster_lock(kubeconfig: Path, context: str, verb: str, wait: bool,
                 say: Callable[[str], None]) -> Iterator[None]:
    path = home() / "locks" / f"{key(kubeconfig, context)}.lock"
    with os.fdopen(open_private(path), "r+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            who = f"`clusterctl {holder.get('verb', '?')}` (pid {holder.get('pid', '?')}, " \
                  f"started {time.time() - holder.get('started', time.time()):.0f}s ago)"
            if not wait:
                raise Busy(f"{who} is running on context {context!r}", hint="wait for it, or drop --no-wait to queue")
            say(f"waiting for {who} to finish on context {context!r} ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        previous = _holder(handle)
        if previous.get("pid") and not previous.get("done") and not pid_alive(previous["pid"]):
            say(f"the previous `clusterctl {previous.get('verb')}` (pid {previous['pid']}) ended without finishing; "
                "this run checks every step's state and converges")
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "verb": verb, "started": time.time()}))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"pid": os.getpid(), "verb": verb, "done": True}))
            handle.flush()
