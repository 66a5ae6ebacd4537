"""The wait step's error names each workload that is not ready, its status, and the diagnosed cause
when the status alone does not say it."""

from clusterctl.diagnose import Diagnosis
from clusterctl.steps.wait import WorkloadReport, not_ready
from clusterctl.waiter import Workload


def report(name: str, status: str) -> WorkloadReport:
    return WorkloadReport(Workload("Deployment", "shop", name), status=status)


def test_a_failing_probe_is_named_beside_a_progressing_status():
    failed = [report("web", "Progressing: 0 of 1 updated replicas available")]
    diagnoses = [Diagnosis("deployment/web", "ReadinessProbeFailing")]
    assert not_ready(failed, diagnoses) == (
        "deployment/web (Progressing: 0 of 1 updated replicas available; ReadinessProbeFailing)")


def test_a_cause_the_status_already_says_is_not_repeated():
    failed = [report("api", "Failed: CrashLoopBackOff"), report("big", "Unschedulable")]
    diagnoses = [Diagnosis("deployment/api", "CrashLoopBackOff"), Diagnosis("deployment/api", "CrashLoopBackOff"),
                 Diagnosis("deployment/big", "Unschedulable")]
    assert not_ready(failed, diagnoses) == "deployment/api (Failed: CrashLoopBackOff), deployment/big (Unschedulable)"


def test_oom_is_named_beside_the_crash_loop_and_not_ready_adds_nothing():
    failed = [report("hog", "Failed: CrashLoopBackOff"), report("slow", "Progressing: 0 of 1")]
    diagnoses = [Diagnosis("deployment/hog", "OOMKilled"), Diagnosis("deployment/slow", "NotReady")]
    assert not_ready(failed, diagnoses) == (
        "deployment/hog (Failed: CrashLoopBackOff; OOMKilled), deployment/slow (Progressing: 0 of 1)")
