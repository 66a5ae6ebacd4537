"""`clusterctl status [--watch]`: rows from the API's objects, Missing for what is not there, TIME TO READY
for what became ready while we looked, and the watch loop fed only by the watches."""

import io
import threading

import pytest

from clusterctl.console import Console
from clusterctl.context import Context
from clusterctl.status import Rows, follow
from clusterctl.waiter import Snapshot, Workload
from tests.fakes import FakeAPI, FakeRunner, make_profile

WEB, API = Workload("Deployment", "shop", "web"), Workload("Deployment", "shop", "api")


def deployment(name, ready):
    return {"kind": "Deployment", "metadata": {"name": name, "namespace": "shop", "generation": 1},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"spec": {"containers": [{"name": name, "image": f"bed.local/{name}:1"}]}}},
            "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": int(ready),
                       "availableReplicas": int(ready)}}


def snap(*objects) -> Snapshot:
    return Snapshot({("Deployment", "shop", o["metadata"]["name"]): o for o in objects})


@pytest.fixture
def clock():
    return [100.0]


@pytest.fixture
def ctx(tmp_path, clock):
    return Context(make_profile(tmp_path), FakeRunner(), Console(out=io.StringIO(), err=io.StringIO()),
                   lambda k, c: FakeAPI(), clock=lambda: clock[0])


def test_ready_all_along_shows_no_time_and_a_rollout_shows_its_own(ctx, clock):
    rows = Rows(ctx, [WEB])
    [web] = rows.update(snap(deployment("web", True)))
    assert (web.status, web.seconds_to_ready) == ("Ready", None)
    clock[0] = 110.0
    [web] = rows.update(snap(deployment("web", False)))
    assert web.status.startswith("Progressing") and web.seconds_to_ready is None
    clock[0] = 113.5
    [web] = rows.update(snap(deployment("web", True)))
    assert (web.status, web.seconds_to_ready) == ("Ready", 3.5)
    clock[0] = 120.0
    assert rows.update(snap(deployment("web", True)))[0].seconds_to_ready == 3.5


def test_never_applied_and_deleted_workloads_are_missing(ctx, clock):
    rows = Rows(ctx, [WEB, API])
    web, api = rows.update(snap(deployment("web", True)))
    assert api.status == "Missing" and web.status == "Ready"
    web, api = rows.update(snap(deployment("api", True)))
    assert (web.status, web.ready, api.status) == ("Missing", 0, "Ready")


class Seen(Exception):
    pass


class QuietAPI(FakeAPI):
    """Watches that stay open with nothing to say, as a real server's do between changes."""

    def watch(self, path, resource_version, timeout_s):
        self.requests.append(f"watch {path}")
        threading.Event().wait(2)
        return iter(())


def test_follow_reports_from_the_watches_own_listing_and_stops_on_interrupt(ctx):
    api = QuietAPI()
    api.objects["/apis/apps/v1/namespaces/shop/deployments"] = {"metadata": {"resourceVersion": "3"},
                                                               "items": [deployment("web", True)]}
    api.objects["/api/v1/namespaces/shop/pods"] = {"metadata": {"resourceVersion": "3"}, "items": []}
    api.objects["/apis/apps/v1/namespaces/shop/replicasets"] = {"metadata": {"resourceVersion": "3"}, "items": []}
    ctx.api_factory = lambda k, c: api
    seen = []

    def on_change(rows):
        seen.append(([(r.workload.name, r.status) for r in rows], sorted(api.requests)))
        raise Seen

    with pytest.raises(Seen):
        follow(ctx, [WEB], on_change)
    [(rows, requests)] = seen
    assert rows == [("web", "Ready")]
    # One list per group (a Deployment's ReplicaSets tell its old pods apart), the watch's own.
    assert [r for r in requests if not r.startswith("watch ")] == [
        "/api/v1/namespaces/shop/pods", "/apis/apps/v1/namespaces/shop/deployments",
        "/apis/apps/v1/namespaces/shop/replicasets"]
