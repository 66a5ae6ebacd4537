"""Test-wide rules. Integration tests (marker `integration`) need the bed: without it they are
skipped with the reason, except under CI, where a missing bed fails them instead."""
from __future__ import annotations

import pytest

# The bed's fixtures (clusterctl_bed, bed_env, busybox_image); defining them costs nothing.
pytest_plugins = ["tests.bed.fixtures"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("integration") is not None:
        from tests.bed.fixtures import require_bed  # registered above, so already loaded

        require_bed()
