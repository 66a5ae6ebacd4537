"""The stand-in controllers with the real-docker kubelet, on an in-process Store (no HTTP):
Deployments roll, StatefulSets go in order, DaemonSets cover the nodes, Jobs finish, and the
scheduler explains what does not fit."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.bed.fixtures import require_bed

from tests.bed.kubelet.harness import SELFTEST_IMAGE, busybox_image, running_plane

pytestmark = pytest.mark.integration

NODES = ["wl-control-plane", "wl-worker"]


@pytest.fixture(scope="module")
def plane(tmp_path_factory):
    require_bed()  # skips without docker, except under CI, where a missing bed fails the run
    root = tmp_path_factory.mktemp("workloads")
    ref, image_id = busybox_image(root / "image")
    name = f"selftest-wl-{uuid.uuid4().hex[:6]}"
    with running_plane(root / "state", name, NODES, {ref: image_id}, ready_after=0.2,
                       backoff_base=0.3, backoff_cap=1.5) as p:
        yield p
    assert not p.containers(), "every container is removed on stop"


def labels_of(app: str) -> dict:
    return {"app": app}


def template(app: str, command: str = "sleep 3600", **spec) -> dict:
    # `sleep` ignores SIGTERM, so a deleted pod lasts its whole grace period, as on a real node.
    return {"metadata": {"labels": labels_of(app)},
            "spec": {"containers": [{"name": "main", "image": SELFTEST_IMAGE,
                                     "command": ["sh", "-c", command]}],
                     "terminationGracePeriodSeconds": 1, **spec}}


def workload(kind: str, name: str, ns: str, **spec) -> dict:
    api = "batch/v1" if kind == "Job" else "apps/v1"
    body = {"template": template(name), **spec}
    if kind != "Job":
        body["selector"] = {"matchLabels": labels_of(name)}
    return {"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns},
            "spec": body}


def status_of(plane, api, kind, ns, name) -> dict:
    return (plane.get(api, kind, ns, name) or {}).get("status") or {}


def condition(status: dict, type_: str) -> dict:
    return next((c for c in status.get("conditions") or [] if c["type"] == type_), {})


def ready_addresses(plane, ns: str, service: str) -> list[str]:
    subsets = (plane.get("v1", "Endpoints", ns, service) or {}).get("subsets") or []
    return sorted(a["targetRef"]["name"] for s in subsets for a in s.get("addresses") or [])


def test_deployment_becomes_available_then_rolls_on_a_template_change(plane):
    ns = plane.namespace("deploy")
    plane.create(workload("Deployment", "web", ns, replicas=2))
    plane.create({"apiVersion": "v1", "kind": "Service",
                  "metadata": {"name": "web", "namespace": ns},
                  "spec": {"selector": labels_of("web"), "ports": [{"port": 80}]}})

    def rolled_out(generation: int):
        d = plane.get("apps/v1", "Deployment", ns, "web")
        s = d.get("status") or {}
        done = s.get("observedGeneration") == generation and s.get("updatedReplicas") == 2 \
            and s.get("replicas") == 2 and s.get("availableReplicas") == 2 \
            and condition(s, "Progressing").get("reason") == "NewReplicaSetAvailable"
        return d if done else None

    first = plane.wait(lambda: rolled_out(1), "the first rollout")
    assert condition(first["status"], "Available")["status"] == "True"
    assert first["status"]["readyReplicas"] == 2 and "unavailableReplicas" not in first["status"]
    assert first["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    (rs,) = plane.store.list("apps/v1", "ReplicaSet", ns)
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["metadata"]["ownerReferences"][0]["controller"] is True
    pods = plane.pods(ns, app="web")
    assert all(re.fullmatch(rf"web-{pod_hash}-[a-z0-9]{{5}}", p["metadata"]["name"]) for p in pods)
    names = sorted(p["metadata"]["name"] for p in pods)
    # The endpoints controller and the kubelet's ready log follow the pods on their own; the
    # Deployment's status says nothing about them, so wait for exactly what is asserted.
    plane.wait(lambda: ready_addresses(plane, ns, "web") == names, "every pod in the endpoints")
    ready_log = plane.opts.state_dir / "pod-ready.log"
    plane.wait(lambda: all(f" {ns}/{n}\n" in ready_log.read_text() for n in names),
               "every pod in the ready log")

    d = plane.get("apps/v1", "Deployment", ns, "web")
    d["spec"]["template"]["metadata"]["annotations"] = {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"}  # what rollout restart does
    plane.store.update(d)
    second = plane.wait(lambda: rolled_out(2), "the rollout after a template change")
    assert second["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    old = plane.get("apps/v1", "ReplicaSet", ns, rs["metadata"]["name"])
    assert old["spec"]["replicas"] == 0
    plane.wait(lambda: all(p["metadata"]["labels"]["pod-template-hash"] != pod_hash
                           for p in plane.pods(ns, app="web")), "old pods to go")

    victim = plane.pods(ns, app="web")[0]["metadata"]["name"]
    plane.store.delete("v1", "Pod", ns, victim)
    plane.wait(lambda: len(names := [p["metadata"]["name"] for p in plane.pods(ns, app="web")]) == 2
               and victim not in names, "the ReplicaSet to replace a deleted pod")


def test_deployment_without_progress_exceeds_its_deadline(plane):
    ns = plane.namespace("deadline")
    d = workload("Deployment", "stuck", ns, progressDeadlineSeconds=1)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "127.0.0.1:9/missing:1"
    plane.create(d)
    status = plane.wait(lambda: (lambda s: s if condition(s, "Progressing").get("status") == "False"
                                 else None)(status_of(plane, "apps/v1", "Deployment", ns, "stuck")),
                        "the progress deadline")
    progressing = condition(status, "Progressing")
    assert progressing["reason"] == "ProgressDeadlineExceeded"
    assert re.fullmatch(r'ReplicaSet "stuck-\w+" has timed out progressing\.',
                        progressing["message"])
    assert condition(status, "Available")["reason"] == "MinimumReplicasUnavailable"


def test_statefulset_starts_in_order_and_rolls_in_reverse(plane):
    ns = plane.namespace("sts")
    events = plane.store.subscribe()
    try:
        plane.create(workload("StatefulSet", "db", ns, replicas=2, serviceName="db"))

        def settled(generation: int):
            # The controller writes the new ControllerRevision before the status that names it:
            # only observedGeneration says the status is about this spec.
            s = status_of(plane, "apps/v1", "StatefulSet", ns, "db")
            revisions = plane.store.list("apps/v1", "ControllerRevision", ns)
            return s if s.get("observedGeneration") == generation and s.get("readyReplicas") == 2 \
                and s.get("updatedReplicas") == 2 and s.get("currentRevision") == s.get("updateRevision") \
                and len(revisions) == generation else None

        first = plane.wait(lambda: settled(1), "the StatefulSet to be ready")
        sts = plane.get("apps/v1", "StatefulSet", ns, "db")
        sts["spec"]["template"]["metadata"]["annotations"] = {"rev": "2"}
        plane.store.update(sts)
        second = plane.wait(lambda: settled(2), "the rolling update")
    finally:
        plane.store.unsubscribe(events)
    assert second["updateRevision"] != first["updateRevision"]
    assert second["observedGeneration"] == 2 and second["availableReplicas"] == 2
    seen = []
    while not events.empty():
        type_, obj = events.get()
        if obj["kind"] == "Pod" and obj["metadata"].get("namespace") == ns:
            ready = condition(obj.get("status") or {}, "Ready").get("status") == "True"
            seen.append((type_, obj["metadata"]["name"], ready))
    added = [name for type_, name, _ in seen if type_ == "ADDED"]
    assert added[:2] == ["db-0", "db-1"]
    first_ready = next(i for i, (_, name, ready) in enumerate(seen) if name == "db-0" and ready)
    assert seen.index(("ADDED", "db-1", False)) > first_ready, "db-1 waits for db-0 to be ready"
    deleted = [name for type_, name, _ in seen if type_ == "DELETED"]
    assert deleted == ["db-1", "db-0"], "a rolling update goes from the highest ordinal down"


def test_daemonset_runs_one_pod_per_node(plane):
    ns = plane.namespace("ds")
    plane.create(workload("DaemonSet", "agent", ns))
    status = plane.wait(lambda: (lambda s: s if s.get("numberAvailable") == 2 else None)(
        status_of(plane, "apps/v1", "DaemonSet", ns, "agent")), "the DaemonSet")
    assert status["desiredNumberScheduled"] == status["currentNumberScheduled"] == 2
    assert status["numberReady"] == status["updatedNumberScheduled"] == 2
    assert status["numberMisscheduled"] == 0 and status["observedGeneration"] == 1
    assert sorted(p["spec"]["nodeName"] for p in plane.pods(ns, app="agent")) == sorted(NODES)


def job(name: str, ns: str, command: str, restart: str = "Never", **spec) -> dict:
    j = workload("Job", name, ns, **spec)
    j["spec"]["template"]["spec"]["containers"][0]["command"] = ["sh", "-c", command]
    j["spec"]["template"]["spec"]["restartPolicy"] = restart
    return j


def finished_job(plane, ns: str, name: str):
    def probe():
        s = status_of(plane, "batch/v1", "Job", ns, name)
        return s if any(condition(s, t).get("status") == "True" for t in ("Complete", "Failed")) \
            else None
    return plane.wait(probe, f"job {name} to finish")


def test_job_completes_its_completions(plane):
    ns = plane.namespace("job-ok")
    plane.create(job("ok", ns, "echo done", completions=2, parallelism=2))
    status = finished_job(plane, ns, "ok")
    assert condition(status, "Complete")["reason"] == "CompletionsReached"
    assert condition(status, "SuccessCriteriaMet")["status"] == "True"
    assert status["succeeded"] == 2 and "failed" not in status and "active" not in status
    assert status["startTime"] and status["completionTime"]
    pods = plane.pods(ns, **{"job-name": "ok"})
    assert len(pods) == 2 and all(p["status"]["phase"] == "Succeeded" for p in pods)
    assert plane.logs(ns, pods[0]["metadata"]["name"]) == "done\n"


def test_job_fails_after_its_backoff_limit(plane):
    ns = plane.namespace("job-fail")
    plane.create(job("bad", ns, "exit 1", backoffLimit=1))
    status = finished_job(plane, ns, "bad")
    failed = condition(status, "Failed")
    assert (failed["reason"], failed["message"]) == \
        ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert status["failed"] == 2 and "succeeded" not in status
    plane.wait(lambda: ("Warning", "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit") in plane.events(ns, "bad"),
               "the BackoffLimitExceeded event")


def test_job_on_failure_counts_container_restarts(plane):
    ns = plane.namespace("job-restart")
    plane.create(job("flaky", ns, "exit 2", restart="OnFailure", backoffLimit=2))
    status = finished_job(plane, ns, "flaky")
    assert condition(status, "Failed")["reason"] == "BackoffLimitExceeded"
    plane.wait(lambda: not plane.pods(ns, **{"job-name": "flaky"}), "the failed job's pod to be deleted")


def test_pods_that_fit_nowhere_stay_pending_with_the_reason(plane):
    ns = plane.namespace("sched")
    plane.wait(lambda: plane.get("v1", "ServiceAccount", ns, "default"), "the default account")
    big = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big", "namespace": ns},
           "spec": {"containers": [{"name": "main", "image": SELFTEST_IMAGE,
                                    "resources": {"requests": {"cpu": "64"}}}]}}
    picky = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "picky", "namespace": ns},
             "spec": {"nodeSelector": {"disk": "ssd"},
                      "containers": [{"name": "main", "image": SELFTEST_IMAGE}]}}
    plane.create(big)
    plane.create(picky)

    def unschedulable(name: str):
        return condition(plane.get("v1", "Pod", ns, name)["status"], "PodScheduled") or None

    big_cond = plane.wait(lambda: unschedulable("big"), "big to be judged")
    assert (big_cond["status"], big_cond["reason"]) == ("False", "Unschedulable")
    assert big_cond["message"].startswith("0/2 nodes are available: 2 Insufficient cpu.")
    failed = ("Warning", "FailedScheduling", big_cond["message"])
    plane.wait(lambda: failed in plane.events(ns, "big"), "the FailedScheduling event")
    picky_cond = plane.wait(lambda: unschedulable("picky"), "picky to be judged")
    assert picky_cond["message"].startswith(
        "0/2 nodes are available: 2 node(s) didn't match Node's node affinity/selector.")
    assert plane.get("v1", "Pod", ns, "big")["status"]["phase"] == "Pending"
    assert not plane.get("v1", "Pod", ns, "big")["spec"].get("nodeName")
