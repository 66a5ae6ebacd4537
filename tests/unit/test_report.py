"""The final report: the workload table, the phase timings in run order and the total, as plain aligned
text and as a rich table on a terminal."""

import io
import re

from clusterctl import report as reports
from clusterctl.diagnose import Diagnosis
from clusterctl.errors import WorkloadsFailed
from clusterctl.orchestrator import RunReport, StepOutcome
from clusterctl.steps.wait import WorkloadReport
from clusterctl.waiter import Workload


def run(error=None) -> RunReport:
    steps = [StepOutcome("preflight", "Check tools", "preflight", "done", "", 0.3),
             StepOutcome("cluster", "Ensure cluster", "cluster", "skipped", "exists", 1.2),
             StepOutcome("namespace", "Ensure namespace", "apply", "skipped", "exists", 0.1),
             StepOutcome("build", "Build", "build", "done", "web:1", 2.0),
             StepOutcome("ship", "Load", "ship", "done", "", 1.5),
             StepOutcome("apply", "Apply", "apply", "done", "", 0.8),
             StepOutcome("wait", "Wait", "ready", "failed" if error else "done", "", 6.0)]
    return RunReport("up", "dev", "kind-dev", steps, 11.9, error)


WORKLOADS = [WorkloadReport(Workload("Deployment", "shop", "web"), 2, 2, "Ready", 0, "bed.local/web:1", 3.25),
             WorkloadReport(Workload("Deployment", "shop", "crash"), 0, 1, "Failed: CrashLoopBackOff", 4,
                            "bed.local/web:1", None)]
DIAGNOSIS = Diagnosis("deployment/crash", "CrashLoopBackOff", "crash-1", "crash", "back-off 10s",
                      ["BackOff: Back-off restarting failed container"], ["fatal: no config"], "read the logs")


def test_plain_report_aligns_the_table_and_orders_the_phases():
    text = reports.text(run(), WORKLOADS[:1], [])
    assert text.splitlines() == [
        "WORKLOAD        READY  STATUS  RESTARTS  IMAGE            TIME TO READY",
        "deployment/web  2/2    Ready   0         bed.local/web:1  3.2s",
        "up dev (kind-dev): done in 11.9s [preflight 0.3s, cluster 1.2s, build 2.0s, ship 1.5s, apply 0.9s, ready 6.0s]",
    ]


def test_failed_report_lists_each_diagnosis_and_the_notes():
    error = WorkloadsFailed("not ready: deployment/crash")
    lines = reports.text(run(error), WORKLOADS, ["a note"], [DIAGNOSIS]).splitlines()
    assert lines[2] == "deployment/crash  0/1    Failed: CrashLoopBackOff  4         bed.local/web:1  -"
    assert lines[3].startswith("up dev (kind-dev): failed in 11.9s [")
    assert lines[4:] == ["✗ deployment/crash: CrashLoopBackOff (crash-1/crash)", "    back-off 10s",
                         "    event  BackOff: Back-off restarting failed container", "    last log lines:",
                         "      | fatal: no config", "    fix: read the logs", "note: a note"]


def test_nothing_changed_says_so():
    quiet = RunReport("up", "dev", "kind-dev", [StepOutcome("build", "Build", "build", "skipped", "", 0.1)], 0.5)
    assert "nothing to do, everything is up to date in 0.5s" in reports.text(quiet, [], [])


def draw(text, width=140) -> str:
    from rich.console import Console

    screen = Console(file=io.StringIO(), width=width, force_terminal=True)
    screen.print(text)
    return screen.file.getvalue()


def test_on_a_terminal_the_same_report_is_a_rich_table():
    error = WorkloadsFailed("not ready: deployment/crash")
    drawn = draw(reports.text(run(error), WORKLOADS, [], [DIAGNOSIS]))
    words = re.sub(r"\x1b\[[0-9;]*m", "", drawn).splitlines()
    assert [w.split() for w in words[:1]] == [["WORKLOAD", "READY", "STATUS", "RESTARTS", "IMAGE", "TIME", "TO", "READY"]]
    assert set(words[1].strip()) == {"─"}
    assert words[2].split() == ["deployment/web", "2/2", "Ready", "0", "bed.local/web:1", "3.2s"]
    assert words[3].split() == ["deployment/crash", "0/1", "Failed:", "CrashLoopBackOff", "4", "bed.local/web:1", "-"]
    assert words[4] == "✗ up dev (kind-dev): failed in 11.9s"
    assert words[5].split("  ·  ") == ["  preflight 0.3s", "cluster 1.2s", "build 2.0s", "ship 1.5s", "apply 0.9s",
                                       "ready 6.0s"]
    assert words[6] == "✗ deployment/crash: CrashLoopBackOff (crash-1/crash)"
    assert "\x1b[31m" in drawn or "\x1b[1;31m" in drawn  # failures in red


def test_json_report_keeps_its_schema():
    doc = reports.as_json(run(), WORKLOADS[:1], ["n"])
    assert doc["schema"] == "clusterctl.dev/report/v1" and doc["ok"] is True
    assert doc["workloads"] == [{"kind": "Deployment", "namespace": "shop", "name": "web", "ready": 2, "desired": 2,
                                 "status": "Ready", "restarts": 0, "image": "bed.local/web:1",
                                 "secondsToReady": 3.25}]
    assert doc["phases"]["apply"] == 0.9
