"""One isolated world per measured tool: its own HOME, kubeconfig and stand-in state (as the
integration tests' `bed_env`), and the real processes it runs, timed from outside."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bed.fixtures import BedEnv, cleanup_clusters, make_bed_env

MANUAL_SH = Path(__file__).with_name("manual.sh")


class RunFailed(RuntimeError):
    pass


@dataclass
class Timed:
    argv: list[str]
    code: int
    stdout: str
    stderr: str
    started: float  # epoch, just before the process is started
    ended: float  # epoch, once it has exited and its output is read

    @property
    def wall(self) -> float:
        return self.ended - self.started

    def report(self) -> dict:
        """The JSON report of a `clusterctl ... --output json` run."""
        return json.loads(self.stdout)


class World:
    def __init__(self, bed, root: Path, cluster: str):
        self.env: BedEnv = make_bed_env(bed, root)
        self.cluster = cluster

    def run(self, argv: list[str], cwd: Path, timeout: float = 600) -> Timed:
        started = time.time()
        proc = subprocess.Popen(argv, cwd=cwd, env=self.env.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        done = Timed(argv, proc.returncode, out, err, started, time.time())
        if done.code != 0:
            tail = "\n".join((err or out).splitlines()[-25:])
            raise RunFailed(f"{' '.join(argv)} exited {done.code} after {done.wall:.1f}s:\n{tail}")
        return done

    def clusterctl(self, *args: str, cwd: Path) -> Timed:
        # The interpreter directly, as a console script would start it (no pyenv shim in between).
        return self.run([sys.executable, "-m", "clusterctl", *args], cwd=cwd)

    def manual(self, mode: str, app: Path, prefix: str) -> Timed:
        return self.run(["bash", str(MANUAL_SH), mode, str(app), self.cluster, prefix], cwd=app)

    def pod_ready_epochs(self) -> list[float]:
        """Epochs of the stand-in API's `pod-ready.log`: when each pod's Ready turned True."""
        path = self.env.bed_home / "kind" / self.cluster / "pod-ready.log"
        if not path.exists():
            return []
        return [float(line.split()[0]) for line in path.read_text().splitlines() if line.strip()]

    def readiness_latency(self, run: Timed) -> float:
        """From the last pod turning Ready during `run` to the clusterctl process ending."""
        during = [t for t in self.pod_ready_epochs() if run.started <= t <= run.ended]
        if not during:
            raise RunFailed(f"no pod turned Ready during {' '.join(run.argv)}")
        return run.ended - max(during)

    def teardown(self) -> None:
        cleanup_clusters(self.env.bed_home)


def remove_images(prefix: str) -> None:
    """Remove every local image under `prefix` (and with it, its intermediate build layers)."""
    listed = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                            capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL)
    refs = [r for r in listed.stdout.split() if r.startswith(prefix + "/")]
    if refs:
        subprocess.run(["docker", "rmi", "-f", *refs], capture_output=True, check=False,
                       stdin=subprocess.DEVNULL)
