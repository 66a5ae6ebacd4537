"""Test-wide rules. Integration tests (marker `integration`) need the bed: without it they are
skipped with the reason, except under CI, where a missing bed fails them instead.

Every test starts with clusterctl's process-wide state empty and gets back what it found: the masking
registry (a value registered by one test would mask, or fail to mask, the output of the next), the run's
private folder and the SIGTERM handler `errorhandler.main` installs."""
from __future__ import annotations

import signal

import pytest

from clusterctl import redact, runfolder

# Per-test bounds (pytest-timeout) for the tiers that drive real tools on a loaded machine; the unit
# tier's is `timeout` in pyproject.toml. Each is well above the tier's slowest passing test, so only a
# hang reaches it, and an explicit @pytest.mark.timeout still wins.
TIER_TIMEOUTS = {"e2e": 3600, "integration": 900}

# The bed's fixtures (clusterctl_bed, bed_env, busybox_image); defining them costs nothing.
pytest_plugins = ["tests.bed.fixtures"]


@pytest.hookimpl(trylast=True)  # after tests/integration/conftest.py has marked its tier
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("timeout") is not None:
            continue
        tier = next((t for t in TIER_TIMEOUTS if item.get_closest_marker(t) is not None), None)
        if tier:
            item.add_marker(pytest.mark.timeout(TIER_TIMEOUTS[tier]))


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
