"""Test-wide rules. Integration tests (marker `integration`) need the bed: without it they are
skipped with the reason, except under CI, where a missing bed fails them instead.

Every test starts with clusterctl's process-wide state empty and gets back what it found: the masking
registry (a value registered by one test would mask, or fail to mask, the output of the next), the run's
private folder and the SIGTERM handler `errorhandler.main` installs."""
from __future__ import annotations

import signal

import pytest

from clusterctl import redact, runfolder

# The bed's fixtures (clusterctl_bed, bed_env, busybox_image); defining them costs nothing.
pytest_plugins = ["tests.bed.fixtures"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("integration") is not None:
        from tests.bed.fixtures import require_bed  # registered above, so already loaded

        require_bed()


@pytest.fixture(autouse=True)
def empty_process_state(monkeypatch):
    monkeypatch.setattr(redact, "_forms", frozenset())
    monkeypatch.setattr(redact, "_pattern", None)
    monkeypatch.setattr(runfolder, "_made", [])
    sigterm = signal.getsignal(signal.SIGTERM)
    yield
    runfolder.remove()  # the folder this test made, if any
    signal.signal(signal.SIGTERM, sigterm)
