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


DEADLINE = {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}


def test_a_deadline_left_from_the_last_rollout_waits_until_the_change_is_observed():
    """kubectl rollout_status.go: generation first, then the deadline, then the counts."""
    stale = readiness.evaluate(deploy(generation=3, observed=2, conditions=[DEADLINE]))
    assert not stale.ready and not stale.failed and "observed" in stale.message
    assert readiness.evaluate(deploy(generation=3, observed=3, updated=1, conditions=[DEADLINE])).failed


def sts(strategy=None, ready=3, updated=1, current="a", update="b", generation=2, observed=2):
    spec = {"replicas": 3, **({"updateStrategy": strategy} if strategy is not None else {})}
    return {"kind": "StatefulSet", "metadata": {"generation": generation}, "spec": spec,
            "status": {"observedGeneration": observed, "readyReplicas": ready, "updatedReplicas": updated,
                       "currentRevision": current, "updateRevision": update}}


@pytest.mark.parametrize("obj,ready,fragment", [
    # The server defaults rollingUpdate.partition to 0: done once every pod is updated.
    (sts({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}), False, "1 of 3 pods at the new revision"),
    (sts({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, updated=3), True, "rolled out"),
    # A partition keeps pods below it at the current revision: currentRevision never catches up.
    (sts({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}), True, "rolled out"),
    (sts({"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}), False, "1 of 2 pods at the new revision"),
    (sts({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}, ready=2), False, "2 of 3 pods ready"),
    (sts({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}, observed=1), False, "observed"),
    # An explicit type without rollingUpdate is not defaulted: the revisions decide.
    (sts({"type": "RollingUpdate"}, updated=3), False, "3 of 3 pods at the new revision"),
    (sts({"type": "RollingUpdate"}, updated=3, current="b"), True, "rolled out"),
])
def test_statefulset_follows_kubectl(obj, ready, fragment):
    state = readiness.evaluate(obj)
    assert state.ready is ready and fragment in state.message and not state.note


def test_on_delete_is_ready_with_its_existing_pods_and_says_they_were_not_rolled():
    state = readiness.evaluate(sts({"type": "OnDelete"}))
    assert state.ready and "OnDelete" in state.note and "2 of 3 pods still run the previous template" in state.note
    assert not readiness.evaluate(sts({"type": "OnDelete"}, ready=2)).ready
    assert readiness.evaluate(sts({"type": "OnDelete"}, updated=3)).note == ""
    ds = {"kind": "DaemonSet", "metadata": {"generation": 2}, "spec": {"updateStrategy": {"type": "OnDelete"}},
          "status": {"observedGeneration": 2, "desiredNumberScheduled": 2, "updatedNumberScheduled": 0,
                     "numberAvailable": 2, "numberReady": 2}}
    state = readiness.evaluate(ds)
    assert state.ready and (state.ready_count, state.desired) == (2, 2) and "2 of 2 pods" in state.note
    ds["status"]["numberAvailable"] = 1
    assert not readiness.evaluate(ds).ready


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


def rs(name, template, uid="d1"):
    labels = {**template["metadata"]["labels"], "pod-template-hash": name}
    return {"metadata": {"name": f"bff-{name}", "ownerReferences": [{"uid": uid, "controller": True}]},
            "spec": {"template": {**template, "metadata": {"labels": labels}}}}


def labelled(name, hash_):
    pod = waiting_pod("CrashLoopBackOff", restarts=9)
    pod["metadata"].update(name=name, labels={"app": "a", "pod-template-hash": hash_})
    return pod


def test_a_deployments_old_replica_sets_pods_do_not_count():
    new_template = {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"image": "bff:2"}]}}
    old_template = {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"image": "bff:1"}]}}
    d = {"kind": "Deployment", "metadata": {"uid": "d1"},
         "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": new_template}}
    old, new, stray = labelled("o", "old"), labelled("n", "new"), labelled("s", "unknown")
    sets = [rs("old", old_template), rs("new", new_template), rs("unknown", old_template, uid="other")]
    assert podstate.current_pods(d, [old, new, stray], sets) == [new, stray]
    assert podstate.current_pods(d, [old, new], []) == [old, new]  # no ReplicaSet known: every pod counts
    sts_ = {"kind": "StatefulSet", "spec": {"selector": {"matchLabels": {"app": "a"}}}}
    assert podstate.current_pods(sts_, [old, new], sets) == [old, new]


def test_pods_found_by_selector_including_expressions():
    workload = {"kind": "Deployment", "spec": {"selector": {"matchLabels": {"app": "a"}, "matchExpressions": [
        {"key": "tier", "operator": "NotIn", "values": ["db"]}]}}}
    mine = waiting_pod("x")
    theirs = {"metadata": {"name": "q", "labels": {"app": "a", "tier": "db"}}}
    assert podstate.pods_of(workload, [mine, theirs]) == [mine]
