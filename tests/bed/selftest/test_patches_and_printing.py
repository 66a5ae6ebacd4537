"""Patch semantics and kubectl-style pod STATUS, without a server."""
from __future__ import annotations

import pytest

from tests.bed.apiserver import patches
from tests.bed.apiserver.podstatus import pod_status

pytestmark = pytest.mark.integration


def test_strategic_directives():
    live = {"spec": {"containers": [{"name": "a", "image": "x", "args": ["1", "2"]},
                                    {"name": "b", "image": "y"}],
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}
    patch = {"spec": {
        "containers": [{"name": "a", "$deleteFromPrimitiveList/args": ["1"]},
                       {"name": "b", "$patch": "delete"}],
        "strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    out = patches.strategic_merge(live, patch)
    assert out["spec"]["containers"] == [{"name": "a", "image": "x", "args": ["2"]}]
    assert out["spec"]["strategy"] == {"type": "Recreate"}
    replaced = patches.strategic_merge(live, {"spec": {"containers": [
        {"$patch": "replace"}, {"name": "c", "image": "z"}]}})
    assert replaced["spec"]["containers"] == [{"name": "c", "image": "z"}]


def test_service_ports_merge_by_port():
    live = {"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}}
    out = patches.strategic_merge(live, {"spec": {"ports": [{"port": 80, "targetPort": 9090}]}})
    assert out["spec"]["ports"] == [{"port": 80, "targetPort": 9090}, {"port": 443}]


def test_json_patch_ops_and_failures():
    doc = {"a": {"b": [1, 2]}, "c": 1}
    out = patches.json_patch(doc, [{"op": "copy", "from": "/a/b/0", "path": "/a/b/-"},
                                   {"op": "move", "from": "/c", "path": "/d"},
                                   {"op": "test", "path": "/d", "value": 1}])
    assert out == {"a": {"b": [1, 2, 1]}, "d": 1} and doc == {"a": {"b": [1, 2]}, "c": 1}
    with pytest.raises(patches.PatchError):
        patches.json_patch(doc, [{"op": "test", "path": "/c", "value": 2}])
    with pytest.raises(patches.PatchError):
        patches.json_patch(doc, [{"op": "remove", "path": "/nope"}])


def _pod(statuses=None, init=None, inits=None, **meta):
    return {"metadata": {"name": "p", **meta},
            "spec": {"containers": [{"name": "c"}], "initContainers": inits or []},
            "status": {"phase": "Pending", "containerStatuses": statuses or [],
                       "initContainerStatuses": init or []}}


def test_pod_status_column():
    waiting = {"name": "c", "restartCount": 0, "state": {"waiting": {"reason": "ErrImagePull"}}}
    assert pod_status(_pod([waiting]))[0] == "ErrImagePull"
    done = {"name": "c", "restartCount": 0, "state": {"terminated": {"reason": "Completed",
                                                                       "exitCode": 0}}}
    assert pod_status(_pod([done]))[0] == "Completed"
    killed = {"name": "c", "restartCount": 0, "state": {"terminated": {"exitCode": 137}}}
    assert pod_status(_pod([killed]))[0] == "ExitCode:137"
    running = {"name": "c", "restartCount": 1, "ready": True, "state": {"running": {}}}
    assert pod_status(_pod([running]))[:3] == ("Pending", 1, 1)
    assert pod_status(_pod([running], deletionTimestamp="2020-01-01T00:00:00Z"))[0] == \
        "Terminating"
    init_waiting = {"name": "i", "state": {"waiting": {"reason": "PodInitializing"}}}
    assert pod_status(_pod(init=[init_waiting], inits=[{"name": "i"}]))[0] == "Init:0/1"
    init_failed = {"name": "i", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}
    assert pod_status(_pod(init=[init_failed], inits=[{"name": "i"}]))[0] == "Init:Error"
