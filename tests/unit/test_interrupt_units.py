"""Ctrl-C and SIGTERM stop a run at once: parallel jobs are not waited for, and once the runner is
stopping it kills what is running and starts nothing more."""

from __future__ import annotations

import _thread
import os
import signal
import threading
import time
from concurrent import futures
from contextlib import contextmanager
from typing import Callable

import pytest

from clusterctl import parallel
from clusterctl.errors import BuildFailed, Interrupted
from clusterctl.parallel import run_bounded
from clusterctl.runner import Command, LocalRunner


def test_an_interrupt_leaves_run_bounded_without_waiting_for_running_jobs(monkeypatch):
    release, running, finished, waiting = (threading.Event() for _ in range(4))
    started: list[str] = []

    def job(name: str) -> None:
        started.append(name)
        running.set()
        release.wait(timeout=60)  # a build that would outlast the interrupt; released at the end
        finished.set()

    def wait_for_jobs(*args, **kwargs):
        waiting.set()
        return futures.wait(*args, **kwargs)
    monkeypatch.setattr(parallel, "wait", wait_for_jobs)

    try:
        with ctrl_c_once(waiting.is_set), pytest.raises(KeyboardInterrupt):
            run_bounded(["a", "b", "c"], job, 1, str, BuildFailed)
        assert running.is_set() and not finished.is_set()  # left while job "a" still ran
        assert started == ["a"]  # and started none of the others
    finally:
        release.set()


def test_a_ctrl_c_that_lands_just_before_the_wait_blocks_is_taken_at_once():
    """A SIGINT that arrives between Python's last check for signals and the blocking lock acquire wakes
    nothing: only a syscall in progress is interrupted. interrupt_main() trips the handler the same way,
    with no syscall to interrupt, so the race is reproduced every time."""
    release = threading.Event()
    threading.Timer(0.3, _thread.interrupt_main).start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_bounded(["slow"], lambda item: release.wait(60), 1, str, BuildFailed)
    finally:
        release.set()
    assert time.monotonic() - started < 30  # not the job's 60 s: the wait wakes to take the signal


def test_a_failed_job_still_lets_the_running_ones_finish(monkeypatch):
    failure_seen = threading.Event()
    finished: list[str] = []

    def wait_for_jobs(*args, **kwargs):
        done, not_done = futures.wait(*args, **kwargs)
        if any(f.exception() for f in done):
            failure_seen.set()
        return done, not_done
    monkeypatch.setattr(parallel, "wait", wait_for_jobs)

    def job(name: str) -> None:
        if name == "bad":
            raise BuildFailed("RUN false")
        # Still running when run_bounded has seen the failure, whatever the machine's load.
        failure_seen.wait(timeout=60)
        finished.append(name)

    with pytest.raises(BuildFailed, match="bad failed: RUN false"):
        run_bounded(["slow", "bad"], job, 2, str, BuildFailed)
    assert failure_seen.is_set() and finished == ["slow"]


def test_terminate_all_stops_running_children_and_refuses_new_ones():
    runner = LocalRunner()
    results = []
    worker = threading.Thread(target=lambda: results.append(runner.run(Command(("sleep", "30")))))
    worker.start()
    deadline = time.monotonic() + 60  # polled: generous for a loaded machine
    while not runner._running:
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.02)

    runner.terminate_all()
    worker.join(timeout=60)

    assert not worker.is_alive() and results[0].returncode != 0
    with pytest.raises(Interrupted):
        runner.run(Command(("true",)))


def test_a_child_the_interrupted_main_thread_waited_for_is_stopped_too():
    runner = LocalRunner()
    # Ctrl-C once the child is running, so that it lands while the main thread waits for it.
    with ctrl_c_once(lambda: bool(runner._running)), \
            pytest.raises(KeyboardInterrupt):  # raised inside run(), as for `kind create cluster`
        runner.run(Command(("sleep", "30")))
    children = list(runner._running.values())
    runner.terminate_all()

    assert len(children) == 1 and not children[0].is_alive()



@contextmanager
def ctrl_c_once(ready: Callable[[], bool]):
    """Ctrl-C, as a real SIGINT (it wakes a blocked lock wait), once `ready()` holds; the main thread
    gets one KeyboardInterrupt. Pressed again every 0.5 s until it is taken: a signal that lands just
    before the main thread blocks wakes nothing, and is only seen when the wait ends by itself."""
    taken = threading.Event()

    def handler(signum, frame):
        if not taken.is_set():
            taken.set()
            raise KeyboardInterrupt

    def press() -> None:
        deadline = time.monotonic() + 60  # polled: generous for a loaded machine
        while not ready() and not taken.is_set():
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
        while not taken.is_set():
            os.kill(os.getpid(), signal.SIGINT)
            taken.wait(0.5)

    previous = signal.signal(signal.SIGINT, handler)
    presser = threading.Thread(target=press)
    presser.start()
    try:
        yield
    finally:
        taken.set()
        presser.join(timeout=60)
        signal.signal(signal.SIGINT, previous)
