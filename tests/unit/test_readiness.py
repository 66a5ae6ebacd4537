"""Readiness rules, the same as kubectl rollout status, and the pod states that fail fast."""

import pytest

from clusterctl import podstate, readiness


def deploy(generation=2, observed=2, replicas=2, updated=2, total=2, available=2, conditions=()):
    return {"kind": "Deployment", "metadata": {"generation": generation}, "spec": {"replicas": replicas},
            "status": {"observedGeneration": observed, "updatedReplicas": updated, "replicas": total,
                       "availableReplicas": available, "readyReplicas": available, "conditions": list(conditions)}}


@pytest.mark.parametrize("obj,ready,fragment", [
    (deploy(), True, "rolled out"),
    (deploy(observed=1), False, "observed"),
    (deploy(updated=1), False, "1 of 2 new replicas"),
    (deploy(total=3), False, "1 old replicas"),
    (deploy(available=1), False, "1 of 2 updated replicas available"),
])
def test_deployment(obj, ready, fragment):
    state = readiness.evaluate(obj)
    assert state.ready is ready and fragment in state.message


def test_progress_deadline_is_a_failure_not_a_wait():
    state = readiness.evaluate(deploy(updated=1, conditions=[
        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]))
    assert state.failed and not state.ready


def test_statefulset_waits_for_the_new_revision():
    sts = {"kind": "StatefulSet", "metadata": {"generation": 1}, "spec": {"replicas": 2},
           "status": {"observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 1,
                      "currentRevision": "a", "updateRevision": "b"}}
    assert not readiness.evaluate(sts).ready
    sts["status"]["currentRevision"] = "b"
    assert readiness.evaluate(sts).ready


def test_daemonset_and_job_and_pod():
    ds = {"kind": "DaemonSet", "metadata": {"generation": 1}, "status": {
        "observedGeneration": 1, "desiredNumberScheduled": 2, "updatedNumberScheduled": 2, "numberAvailable": 1}}
    assert not readiness.evaluate(ds).ready
    job = {"kind": "Job", "spec": {}, "status": {"conditions": [
        {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]}}
    assert readiness.evaluate(job).failed
    job["status"] = {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}
    assert readiness.evaluate(job).ready
    pod = {"kind": "Pod", "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
    assert readiness.evaluate(pod).ready


def waiting_pod(reason, restarts=0):
    return {"metadata": {"name": "p", "labels": {"app": "a"}}, "status": {"containerStatuses": [
        {"name": "c", "restartCount": restarts, "state": {"waiting": {"reason": reason, "message": "m"}}}]}}


@pytest.mark.parametrize("reason,restarts,seen,fatal", [
    ("InvalidImageName", 0, 0, True),
    ("ErrImageNeverPull", 0, 0, True),
    ("ErrImagePull", 0, 0, False),
    ("ImagePullBackOff", 0, 0, True),
    ("CreateContainerConfigError", 0, 1, False),
    ("CreateContainerConfigError", 0, 11, True),
    ("CrashLoopBackOff", 2, 0, False),
    ("CrashLoopBackOff", 3, 0, True),
])
def test_fail_fast_policy(reason, restarts, seen, fatal):
    [blocker] = podstate.blockers(waiting_pod(reason, restarts))
    assert podstate.is_fatal(blocker, seen, restart_tolerance=2) is fatal


def test_pods_found_by_selector_including_expressions():
    workload = {"kind": "Deployment", "spec": {"selector": {"matchLabels": {"app": "a"}, "matchExpressions": [
        {"key": "tier", "operator": "NotIn", "values": ["db"]}]}}}
    mine = waiting_pod("x")
    theirs = {"metadata": {"name": "q", "labels": {"app": "a", "tier": "db"}}}
    assert podstate.pods_of(workload, [mine, theirs]) == [mine]
