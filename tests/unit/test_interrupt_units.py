"""Ctrl-C and SIGTERM stop a run at once: parallel jobs are not waited for, and once the runner is
stopping it kills what is running and starts nothing more."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from clusterctl.errors import BuildFailed, Interrupted
from clusterctl.parallel import run_bounded
from clusterctl.runner import Command, LocalRunner


def test_an_interrupt_leaves_run_bounded_without_waiting_for_running_jobs():
    release, running, finished = threading.Event(), threading.Event(), threading.Event()
    started: list[str] = []

    def job(name: str) -> None:
        started.append(name)
        running.set()
        release.wait(timeout=5)  # a build that would outlast the interrupt
        finished.set()

    def ctrl_c() -> None:
        running.wait(timeout=5)
        time.sleep(0.1)  # let the main thread settle into waiting for the jobs
        os.kill(os.getpid(), signal.SIGINT)  # a real signal: it wakes a blocked lock wait

    threading.Thread(target=ctrl_c).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_bounded(["a", "b", "c"], job, 1, str, BuildFailed)
        assert running.is_set() and not finished.is_set()  # left while job "a" still ran
        assert started == ["a"]  # and started none of the others
    finally:
        release.set()


def test_a_failed_job_still_lets_the_running_ones_finish():
    finished: list[str] = []

    def job(name: str) -> None:
        if name == "bad":
            raise BuildFailed("RUN false")
        time.sleep(0.2)
        finished.append(name)

    with pytest.raises(BuildFailed, match="bad failed: RUN false"):
        run_bounded(["slow", "bad"], job, 2, str, BuildFailed)
    assert finished == ["slow"]


def test_terminate_all_stops_running_children_and_refuses_new_ones():
    runner = LocalRunner()
    results = []
    worker = threading.Thread(target=lambda: results.append(runner.run(Command(("sleep", "30")))))
    worker.start()
    deadline = time.monotonic() + 10
    while not runner._running and time.monotonic() < deadline:
        time.sleep(0.02)

    runner.terminate_all()
    worker.join(timeout=10)

    assert not worker.is_alive() and results[0].returncode != 0
    with pytest.raises(Interrupted):
        runner.run(Command(("true",)))


def test_a_child_the_interrupted_main_thread_waited_for_is_stopped_too():
    runner = LocalRunner()
    sleeper = threading.Thread(target=lambda: (time.sleep(0.3), os.kill(os.getpid(), signal.SIGINT)))
    sleeper.start()

    with pytest.raises(KeyboardInterrupt):  # raised inside run(), as for `kind create cluster`
        runner.run(Command(("sleep", "30")))
    children = list(runner._running.values())
    runner.terminate_all()

    assert len(children) == 1 and not children[0].is_alive()
