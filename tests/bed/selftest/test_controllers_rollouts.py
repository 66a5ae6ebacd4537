"""Rollouts as the real apps controllers do them, with the real-docker kubelet: old pods stay until
new ones are available (pkg/controller/deployment/rolling.go), a spec change is observed after a
lag, a StatefulSet partition holds lower ordinals back, and OnDelete rolls nothing."""
from __future__ import annotations

import pytest

from tests.bed.kubelet.harness import SELFTEST_IMAGE
from tests.bed.selftest.test_controllers_workloads import (condition, plane, status_of,  # noqa: F401
                                                           workload)

pytestmark = pytest.mark.integration

HASH = "pod-template-hash"
REVISION = "controller-revision-hash"


def set_command(plane, kind: str, ns: str, name: str, command: str) -> None:
    obj = plane.get("apps/v1", kind, ns, name)
    obj["spec"]["template"]["spec"]["containers"][0]["command"] = ["sh", "-c", command]
    plane.store.update(obj)


def rolled_out(plane, ns: str, name: str, generation: int):
    s = status_of(plane, "apps/v1", "Deployment", ns, name)
    want = plane.get("apps/v1", "Deployment", ns, name)["spec"]["replicas"]
    done = s.get("observedGeneration") == generation and s.get("updatedReplicas") == want \
        and s.get("replicas") == want and s.get("availableReplicas") == want
    return s if done else None


def restarts(pod: dict) -> int:
    return sum(c.get("restartCount", 0) for c in (pod.get("status") or {}).get("containerStatuses") or [])


def ready(pod: dict) -> bool:
    return condition(pod.get("status") or {}, "Ready").get("status") == "True"


def test_old_pods_stay_while_new_ones_crash_and_go_only_as_new_ones_become_available(plane):
    ns = plane.namespace("roll")
    plane.create(workload("Deployment", "api", ns, replicas=2))
    plane.wait(lambda: rolled_out(plane, ns, "api", 1), "the first rollout")
    (first_rs,) = plane.store.list("apps/v1", "ReplicaSet", ns)
    first = first_rs["metadata"]["labels"][HASH]

    set_command(plane, "Deployment", ns, "api", "echo broken; exit 3")

    def crash_looping():
        new = [p for p in plane.pods(ns, app="api") if p["metadata"]["labels"][HASH] != first]
        return new if new and all(restarts(p) >= 2 for p in new) else None

    crashing = plane.wait(crash_looping, "the new pods to crash-loop", timeout=60)
    # 2 replicas: maxSurge 25% rounds up to 1, maxUnavailable 25% rounds down to 0.
    assert len(crashing) == 1
    old = [p for p in plane.pods(ns, app="api") if p["metadata"]["labels"][HASH] == first]
    assert len(old) == 2 and all(ready(p) for p in old)
    assert plane.get("apps/v1", "ReplicaSet", ns, first_rs["metadata"]["name"])["spec"]["replicas"] == 2
    counts = ("replicas", "updatedReplicas", "availableReplicas")
    plane.wait(lambda: tuple(status_of(plane, "apps/v1", "Deployment", ns, "api").get(k) for k in counts)
               == (3, 1, 2), "the Deployment's status to count the surge pod")

    events = plane.store.subscribe()
    try:
        set_command(plane, "Deployment", ns, "api", "sleep 3601")
        plane.wait(lambda: rolled_out(plane, ns, "api", 3), "the fixed rollout", timeout=60)
    finally:
        plane.store.unsubscribe(events)
    seen = []
    while not events.empty():
        type_, obj = events.get()
        if obj["kind"] == "Pod" and obj["metadata"].get("namespace") == ns:
            seen.append((type_, obj["metadata"]["labels"][HASH], ready(obj),
                         bool(obj["metadata"].get("deletionTimestamp"))))
    (fixed_rs,) = [rs for rs in plane.store.list("apps/v1", "ReplicaSet", ns) if rs["spec"]["replicas"]]
    fixed = fixed_rs["metadata"]["labels"][HASH]
    first_fixed_ready = next(i for i, (_, h, r, _) in enumerate(seen) if h == fixed and r)
    first_old_gone = next(i for i, (t, h, _, gone) in enumerate(seen)
                          if h == first and (t == "DELETED" or gone))
    assert first_old_gone > first_fixed_ready, "an available old pod goes only after a new one is available"
    assert all(p["metadata"]["labels"][HASH] == fixed for p in plane.pods(ns, app="api")
               if not p["metadata"].get("deletionTimestamp"))


def test_a_spec_change_is_observed_after_a_lag_so_the_last_deadline_still_shows(plane):
    ns = plane.namespace("lag")
    d = workload("Deployment", "stuck", ns, progressDeadlineSeconds=2)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "127.0.0.1:9/missing:1"
    plane.create(d)
    plane.wait(lambda: condition(status_of(plane, "apps/v1", "Deployment", ns, "stuck"),
                                 "Progressing").get("reason") == "ProgressDeadlineExceeded",
               "the progress deadline")
    lag, plane.opts.observe_lag = plane.opts.observe_lag, 5.0
    try:
        fixed = plane.get("apps/v1", "Deployment", ns, "stuck")
        fixed["spec"]["template"]["spec"]["containers"][0]["image"] = SELFTEST_IMAGE
        generation = plane.store.update(fixed)["metadata"]["generation"]

        stale = status_of(plane, "apps/v1", "Deployment", ns, "stuck")
        assert stale["observedGeneration"] == generation - 1
        assert condition(stale, "Progressing")["reason"] == "ProgressDeadlineExceeded"
        seen = plane.wait(lambda: (lambda s: s if s.get("observedGeneration") == generation else None)(
            status_of(plane, "apps/v1", "Deployment", ns, "stuck")), "the change to be observed")
    finally:
        plane.opts.observe_lag = lag
    assert condition(seen, "Progressing")["reason"] in ("NewReplicaSetCreated", "ReplicaSetUpdated")
    plane.wait(lambda: rolled_out(plane, ns, "stuck", generation), "the fixed rollout")


def sts_status(plane, ns: str, name: str, generation: int, ready_count: int):
    s = status_of(plane, "apps/v1", "StatefulSet", ns, name)
    return s if s.get("observedGeneration") == generation and s.get("readyReplicas") == ready_count \
        and s.get("replicas") == ready_count else None


def revisions_of(plane, ns: str, app: str) -> dict[str, str]:
    return {p["metadata"]["name"]: p["metadata"]["labels"][REVISION] for p in plane.pods(ns, app=app)}


def test_statefulset_partition_holds_lower_ordinals_at_the_current_revision(plane):
    ns = plane.namespace("partition")
    plane.create(workload("StatefulSet", "db", ns, replicas=3, serviceName="db",
                          podManagementPolicy="Parallel",
                          updateStrategy={"rollingUpdate": {"partition": 2}}))
    first = plane.wait(lambda: sts_status(plane, ns, "db", 1, 3), "the StatefulSet")
    assert first["currentRevision"] == first["updateRevision"]

    set_command(plane, "StatefulSet", ns, "db", "sleep 3601")

    def partitioned():
        s = sts_status(plane, ns, "db", 2, 3)
        return s if s and s.get("updatedReplicas") == 1 else None

    s = plane.wait(partitioned, "the partitioned rollout", timeout=60)
    assert s["currentRevision"] == first["currentRevision"] != s["updateRevision"]
    assert s["currentReplicas"] == 2
    revs = revisions_of(plane, ns, "db")
    assert revs == {"db-0": first["currentRevision"], "db-1": first["currentRevision"],
                    "db-2": s["updateRevision"]}


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet"])
def test_on_delete_rolls_nothing_until_a_pod_is_deleted(plane, kind):
    ns = plane.namespace(f"ondelete-{kind.lower()}")
    spec = {"replicas": 2, "serviceName": "app"} if kind == "StatefulSet" else {}
    plane.create(workload(kind, "app", ns, updateStrategy={"type": "OnDelete"}, **spec))
    plane.wait(lambda: len(pods := plane.pods(ns, app="app")) == 2 and all(ready(p) for p in pods),
               "two ready pods")
    before = {p["metadata"]["name"]: p["metadata"]["uid"] for p in plane.pods(ns, app="app")}
    old_rev = set(revisions_of(plane, ns, "app").values())

    set_command(plane, kind, ns, "app", "sleep 3601")
    plane.wait(lambda: status_of(plane, "apps/v1", kind, ns, "app").get("observedGeneration") == 2,
               "the change to be observed")
    victim = sorted(before)[-1]
    plane.store.delete("v1", "Pod", ns, victim)

    def replaced():
        pods = {p["metadata"]["name"]: p for p in plane.pods(ns, app="app")
                if not p["metadata"].get("deletionTimestamp")}
        fresh = [p for p in pods.values() if p["metadata"]["uid"] not in before.values()]
        return fresh if len(pods) == 2 and fresh and all(ready(p) for p in pods.values()) else None

    (fresh,) = plane.wait(replaced, "the deleted pod to come back")
    assert fresh["metadata"]["labels"][REVISION] not in old_rev, "a recreated pod takes the new template"
    kept = [p for p in plane.pods(ns, app="app") if p["metadata"]["uid"] in before.values()]
    assert len(kept) == 1 and kept[0]["metadata"]["labels"][REVISION] in old_rev
    status = status_of(plane, "apps/v1", kind, ns, "app")
    if kind == "StatefulSet":
        assert status["updatedReplicas"] == 1 and status["currentRevision"] != status["updateRevision"]
    else:
        assert status["updatedNumberScheduled"] == 1 and status["desiredNumberScheduled"] == 2
