"""e2e runs only against the real kind and docker, never the bed's stand-ins."""

import shutil
import subprocess
from pathlib import Path

import pytest

BED_BIN = Path(__file__).resolve().parents[1] / "bed" / "bin"


def real_kind() -> str | None:
    found = shutil.which("kind")
    if not found or Path(found).resolve().parent == BED_BIN.resolve():
        return None
    return found


def docker_answers() -> bool:
    return shutil.which("docker") is not None and subprocess.run(
        ["docker", "info"], capture_output=True).returncode == 0


def pytest_collection_modifyitems(config, items):
    reason = None
    if not real_kind():
        reason = "needs the real kind on PATH (the bed's stand-in does not count)"
    elif not docker_answers():
        reason = "needs a running Docker engine"
    if reason:
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))
