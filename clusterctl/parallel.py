"""Run a bounded number of jobs at once; when one fails, start no new ones, let running ones finish,
and name every job that failed. An interrupt returns at once: the caller stops the running children."""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Callable, Iterable, TypeVar

from clusterctl.errors import ClusterctlError

T = TypeVar("T")


def run_bounded(items: Iterable[T], job: Callable[[T], None], limit: int, label: Callable[[T], str],
                failure: type[ClusterctlError]) -> None:
    pending = list(items)
    failed: list[tuple[str, BaseException]] = []
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=max(1, limit))
    try:
        running = {}
        while pending or running:
            while pending and len(running) < limit and not stop.is_set():
                item = pending.pop(0)
                running[pool.submit(job, item)] = item
            if not running:
                break
            # Woken twice a second: a Ctrl-C arriving just before the wait blocks interrupts no syscall,
            # and Python runs its handler only when the main thread gets to run bytecode again.
            done, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                item = running.pop(future)
                if future.exception():
                    failed.append((label(item), future.exception()))
                    stop.set()
    finally:
        # Never wait here: on Ctrl-C or SIGTERM a running build could take minutes; its job ends when
        # the orchestrator stops its process. Otherwise every job is done already.
        pool.shutdown(wait=False, cancel_futures=True)
    if failed:
        names = ", ".join(name for name, _ in failed)
        first = failed[0][1]
        skipped = len(pending)
        note = f"; {skipped} not started" if skipped else ""
        if isinstance(first, ClusterctlError):
            error = failure(f"{names} failed{note}: {first.message}", hint=first.hint, details=first.details)
        else:
            error = failure(f"{names} failed{note}: {first}")
        raise error from first
