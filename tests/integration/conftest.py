"""The integration tier: everything here runs on the bed; `bed` names the session's bed."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.bed.fixtures import Bed


@pytest.fixture(scope="session")
def bed(clusterctl_bed: Bed) -> Bed:
    return clusterctl_bed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(item.path).is_relative_to(here):
            item.add_marker(pytest.mark.integration)
