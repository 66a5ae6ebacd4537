"""What a user reads after `up`, run as real processes on the bed: `urls` (kind through extraPortMappings,
minikube through `minikube service --url`), `logs` (prefixed, --tail, --follow stopped with Ctrl-C) and
`status --watch` following a rollout until SIGINT."""
from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.bed.fakecli.state import REPO_ROOT
from tests.integration.project import FAST, Project, deployment, pods, requests_mark, requests_since, workload, writes

PRINTS = "echo line 1; echo line 2; echo line 3; sleep 3600"
TICKS = "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"


@pytest.fixture
def project(bed_env):
    made = Project(bed_env.root / "app", name="ui")
    yield made
    made.remove_images()


def service(name: str, ports: list[tuple[int, int | None]], kind: str = "NodePort") -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": kind, "selector": {"app": name},
                     "ports": [{"name": f"p{port}", "port": port, **({"nodePort": node} if node else {})}
                               for port, node in ports]}}


def up(bed_env, project: Project) -> dict:
    code, report, _, err = project.run(bed_env, "up")
    assert code == 0, err
    return report


class Lines:
    """A running clusterctl whose stdout is read line by line in the background."""

    def __init__(self, bed_env, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "clusterctl", *args], cwd=bed_env.root, text=True,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**bed_env.env, **FAST, "PYTHONPATH": str(REPO_ROOT)})
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, wanted, timeout: float = 60) -> list[str]:
        """Read until wanted(lines so far) is true; fails if the process exits first."""
        deadline = time.monotonic() + timeout
        while not wanted(self.seen):
            try:
                self.seen.append(self.lines.get(timeout=max(0.0, min(1.0, deadline - time.monotonic()))))
            except queue.Empty:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.proc.kill()
                    pytest.fail(f"never saw what was wanted; exit {self.proc.poll()}:\n" + "\n".join(self.seen)
                                + "\n" + self.proc.stderr.read())
        return self.seen

    def interrupt(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=30)
        finally:
            self.proc.kill()
        return code, self.proc.stderr.read()


def followers(kubeconfig: Path) -> list[str]:
    """kubectl logs --follow processes reading with this test's kubeconfig."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--follow" in argv and str(kubeconfig).encode() in argv and any(a.endswith(b"kubectl") for a in argv):
            found.append(b" ".join(argv).decode())
    return found


def test_urls_on_kind_map_node_ports_through_extra_port_mappings(bed_env, project):
    project.image("web")
    project.manifest("web.yaml", deployment("web", project.repo("web")), service("web", [(80, 30080)]),
                     service("api", [(81, 30081)]), service("db", [(5432, None)], kind="ClusterIP"))
    project.profile(cluster={"name": project.name, "driver": "kind",
                             "kind": {"extraPortMappings": [{"containerPort": 30080, "hostPort": 18080}]}})
    up(bed_env, project)
    mark = requests_mark(project.cluster(bed_env))

    code, report, _, err = project.run(bed_env, "urls")
    text = project.run(bed_env, "urls", json=False)

    assert code == 0 and text.code == 0, err + text.stderr
    assert report["verb"] == "urls" and report["ok"] is False
    web, api = report["services"]
    assert (web["service"], web["nodePort"], web["url"]) == ("web", 30080, "http://127.0.0.1:18080")
    assert (api["service"], api["url"]) == ("api", None)
    assert "add {containerPort: 30081, hostPort: 30081} to cluster.kind.extraPortMappings" in api["note"]
    assert report["notes"][-1].startswith("not exposed (ClusterIP): demo/db")
    assert text.stdout.splitlines()[:3] == ["NAMESPACE  SERVICE  TYPE      PORT      URL",
                                            "demo       web      NodePort  80:30080  http://127.0.0.1:18080",
                                            "demo       api      NodePort  81:30081  -"]
    assert writes(requests_since(project.cluster(bed_env), mark)) == []  # urls only reads


def test_urls_on_minikube_come_from_minikube_service(bed_env, project):
    project.driver = "minikube"
    project.image("web")
    project.manifest("web.yaml", deployment("web", project.repo("web")), service("web", [(80, 30080)]))
    project.profile()
    up(bed_env, project)

    code, report, _, err = project.run(bed_env, "urls")
    verbose = project.run(bed_env, "urls", "-v", json=False)

    assert code == 0, err
    [web] = report["services"]
    assert (web["service"], web["url"], web["note"]) == ("web", "http://127.0.0.1:30080", "")
    assert f"$ minikube service web --url -n demo -p {project.name}" in verbose.stderr
    assert "http://127.0.0.1:30080" in verbose.stdout


def test_logs_by_workload_and_by_image_then_follow_until_ctrl_c(bed_env, project):
    project.image("web", cmd=PRINTS)
    project.manifest("web.yaml", deployment("web", project.repo("web"), replicas=2),
                     deployment("ticker", project.repo("web"), container={"command": ["/bin/sh", "-c", TICKS]}))
    project.profile()
    up(bed_env, project)
    names = {p["labels"]["app"]: [] for p in pods(bed_env, project.namespace, project.context)}
    for p in pods(bed_env, project.namespace, project.context):
        names[p["labels"]["app"]].append(p["name"])
    logs = ["logs", "-p", str(project.profile_path)]

    by_workload = project.run(bed_env, *logs, "deployment/web", "--tail", "2", json=False, profile=False)
    by_image = project.run(bed_env, *logs, "web", "--tail", "1", json=False, profile=False)

    assert by_workload.code == 0, by_workload.stderr
    assert sorted(by_workload.stdout.splitlines()) == sorted(
        f"[{pod}/web] line {n}" for pod in names["web"] for n in (2, 3))
    assert by_image.code == 0, by_image.stderr
    prefixes = {re.match(r"\[([^/]+)/", line).group(1) for line in by_image.stdout.splitlines()}
    assert prefixes == set(names["web"] + names["ticker"])  # every workload running the image

    follow = Lines(bed_env, *logs, "deployment/ticker", "--follow")
    seen = follow.until(lambda lines: len(lines) >= 4)
    assert len(followers(bed_env.kubeconfig)) == 1  # kubectl logs --follow, through the runner
    code, err = follow.interrupt()

    assert code == 0, err
    numbers = [int(line.removeprefix("tick ")) for line in seen]  # one container: no prefix
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    deadline = time.monotonic() + 60  # polled: kubectl ends on its own time on a loaded machine
    while followers(bed_env.kubeconfig) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert followers(bed_env.kubeconfig) == []


def test_status_watch_follows_a_rollout_until_sigint(bed_env, project):
    project.image("web", files={"version.txt": "1\n"})
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()
    before = workload(up(bed_env, project), "web")["image"]

    watch = Lines(bed_env, "status", str(project.profile_path), "--watch")
    watch.until(lambda lines: any(line.startswith("deployment/web") and "Ready" in line for line in lines))
    project.image("web", files={"version.txt": "2\n"})
    code, report, _, err = project.run(bed_env, "redeploy", "web")
    assert code == 0, err
    after = workload(report, "web")["image"]
    assert after != before

    def rolled_out(lines: list[str]) -> bool:
        return any(re.match(rf"deployment/web\s+1/1\s+Ready\s+\d+\s+{re.escape(after)}\s+\d+\.\ds$", line)
                   for line in lines)
    seen = watch.until(rolled_out)
    code, err = watch.interrupt()

    assert code == 0, err
    blocks = [line for line in seen if line.startswith("--- ")]
    assert len(blocks) >= 2  # reprinted when the rollout changed the table
    assert seen[1] == f"cluster '{project.name}' (kind, context {project.context}): running"
    assert any(before in line for line in seen)
