"""What was measured on what: the machine and the clusterctl commit."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.bed.fakecli.state import REPO_ROOT


def _out(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL).stdout.strip()


def measured_code() -> dict:
    """Which clusterctl was measured: the commit, and whether clusterctl/ had uncommitted changes."""
    repo = str(REPO_ROOT)
    return {"commit": _out(["git", "-C", repo, "rev-parse", "--short", "HEAD"]),
            "clusterctl_dirty": bool(_out(["git", "-C", repo, "status", "--porcelain", "--", "clusterctl"]))}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    return {"nproc": int(_out(["nproc"]) or 0), "cpu": cpu, "free_h": _out(["free", "-h"]),
            "loadavg": Path("/proc/loadavg").read_text().split()[:3],
            "python": sys.version.split()[0],
            "docker": _out(["docker", "version", "--format", "{{.Server.Version}}"])}
