"""A rollout is judged by the Deployment's current ReplicaSet: the old one's crashing pods, which the
controller keeps until new pods are available, neither fail the wait nor show in the diagnosis; and
nothing is judged before every watch has listed, or old pods would count for want of their ReplicaSet."""

import io
import threading

import pytest

from clusterctl.console import Console
from clusterctl.context import Context
from clusterctl.diagnose import diagnose
from clusterctl.steps.wait import Tracker, WorkloadReport
from clusterctl.waiter import Snapshot, Watches, Workload, wait_until
from tests.fakes import FakeAPI, FakeRunner, make_profile

BFF = Workload("Deployment", "shop", "bff")
LABELS = {"app": "bff"}
NEW = {"metadata": {"labels": LABELS}, "spec": {"containers": [{"name": "bff", "image": "bff:fixed"}]}}
OLD = {"metadata": {"labels": LABELS}, "spec": {"containers": [{"name": "bff", "image": "bff:broken"}]}}
RS_PATH, POD_PATH = "/apis/apps/v1/namespaces/shop/replicasets", "/api/v1/namespaces/shop/pods"


def deployment(available=0):
    return {"kind": "Deployment", "metadata": {"name": "bff", "namespace": "shop", "uid": "d1", "generation": 2},
            "spec": {"replicas": 1, "selector": {"matchLabels": LABELS}, "template": NEW},
            "status": {"observedGeneration": 2, "replicas": 2, "updatedReplicas": 1, "readyReplicas": available,
                       "availableReplicas": available}}


def replicaset(hash_, template):
    return {"kind": "ReplicaSet", "metadata": {"name": f"bff-{hash_}", "namespace": "shop",
                                               "ownerReferences": [{"uid": "d1", "controller": True}]},
            "spec": {"template": {**template, "metadata": {"labels": {**LABELS, "pod-template-hash": hash_}}}}}


def pod(name, hash_, waiting=None, restarts=0):
    state = {"waiting": {"reason": waiting, "message": "back-off"}} if waiting else {"running": {}}
    return {"kind": "Pod", "metadata": {"name": name, "namespace": "shop",
                                        "labels": {**LABELS, "pod-template-hash": hash_}},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "bff", "restartCount": restarts, "state": state}]}}


CRASHING_OLD = pod("bff-old-1", "old", "CrashLoopBackOff", restarts=9)


def snapshot(*objects) -> Snapshot:
    return Snapshot({(o["kind"], "shop", o["metadata"]["name"]): o for o in objects})


@pytest.fixture
def ctx(tmp_path):
    return Context(make_profile(tmp_path), FakeRunner(), Console(out=io.StringIO(), err=io.StringIO()),
                   lambda k, c: FakeAPI(), clock=lambda: 0.0)


def test_old_pods_crashing_during_a_rollout_do_not_fail_it(ctx):
    tracker = Tracker(ctx, [BFF])
    sets = (replicaset("old", OLD), replicaset("new", NEW))

    assert not tracker.settled(snapshot(deployment(), *sets, CRASHING_OLD, pod("bff-new-1", "new")))
    report = tracker.reports[BFF]
    assert report.status == "Progressing: 1 old replicas pending termination" and report.blockers == []
    assert report.restarts == 0

    crashing_new = pod("bff-new-1", "new", "CrashLoopBackOff", restarts=9)
    assert tracker.settled(snapshot(deployment(), *sets, CRASHING_OLD, crashing_new))
    assert tracker.reports[BFF].status == "Failed: CrashLoopBackOff"  # the new pods still fail fast


def test_the_diagnosis_names_only_the_current_pods(tmp_path):
    api = FakeAPI()
    api.objects["/apis/apps/v1/namespaces/shop/deployments/bff"] = deployment()
    api.objects[RS_PATH] = {"items": [replicaset("old", OLD), replicaset("new", NEW)]}
    api.objects[POD_PATH] = {"items": [CRASHING_OLD, pod("bff-new-1", "new", "ImagePullBackOff")]}
    ctx = Context(make_profile(tmp_path), FakeRunner(), Console(out=io.StringIO(), err=io.StringIO()),
                  lambda k, c: api)

    found = diagnose(ctx, WorkloadReport(BFF, status="Failed: ImagePullBackOff"))

    assert [(d.pod, d.reason) for d in found] == [("bff-new-1", "ImagePull")]


class SlowReplicaSets(FakeAPI):
    """The pods are listed at once, the ReplicaSets only when released."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()

    def get(self, path, query=None):
        if path == RS_PATH:
            self.release.wait(5)
        return super().get(path, query)


def test_nothing_is_judged_before_every_watch_has_listed():
    api = SlowReplicaSets()
    api.objects["/apis/apps/v1/namespaces/shop/deployments"] = {"items": [deployment(available=1)]}
    api.objects[POD_PATH] = {"items": [CRASHING_OLD]}
    api.objects[RS_PATH] = {"items": [replicaset("old", OLD), replicaset("new", NEW)]}
    watches = Watches(api, {("Deployment", "shop"), ("Pod", "shop"), ("ReplicaSet", "shop")})
    seen = []

    def decide(snap):
        seen.append({k[0] for k in snap.objects})
        return True

    watches.start()
    threading.Timer(0.5, api.release.set).start()  # the pods and the Deployment are in by then
    try:
        assert wait_until(watches, decide, timeout_s=10)
    finally:
        watches.stop()
    assert seen == [{"Deployment", "Pod", "ReplicaSet"}]


class BrokenReplicaSets(FakeAPI):
    def get(self, path, query=None):
        if path == RS_PATH:
            raise ValueError("not JSON")
        return super().get(path, query)


def test_a_watch_that_dies_ends_the_wait_instead_of_leaving_it_unsynced():
    watches = Watches(BrokenReplicaSets(), {("Pod", "shop"), ("ReplicaSet", "shop")})
    watches.start()
    try:
        with pytest.raises(ValueError, match="not JSON"):
            wait_until(watches, lambda snap: True, timeout_s=10)
    finally:
        watches.stop()
