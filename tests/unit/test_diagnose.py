"""Each failure class is named, with its Warning events, log tail and a hint that names the fix."""

import pytest

from clusterctl.context import Context
from clusterctl.diagnose import diagnose
from clusterctl.profile.model import RegistryAuth, Shipping
from clusterctl.steps.wait import WorkloadReport
from clusterctl.waiter import Workload
from tests.fakes import FakeAPI, FakeRunner, Silent, make_profile

DEPLOY = {"kind": "Deployment", "metadata": {"name": "bff", "namespace": "shop"},
          "spec": {"selector": {"matchLabels": {"app": "bff"}}}}


def pod(image="ghcr.io/o/bff:abc", waiting=None, last=None, ready=False, restarts=0):
    status = {"name": "bff", "image": image, "restartCount": restarts, "ready": ready,
              "state": {"waiting": waiting} if waiting else {"running": {}}}
    if last:
        status["lastState"] = {"terminated": last}
    return {"metadata": {"name": "bff-1", "labels": {"app": "bff"}},
            "spec": {"containers": [{"name": "bff", "image": image}]},
            "status": {"phase": "Pending" if waiting else "Running", "containerStatuses": [status]}}


def world(tmp_path, the_pod, events=(), logs=None, shipping=None):
    profile = make_profile(tmp_path)
    if shipping:
        from dataclasses import replace

        profile = replace(profile, shipping=shipping)
    api = FakeAPI()
    api.objects["/apis/apps/v1/namespaces/shop/deployments/bff"] = dict(DEPLOY)
    api.objects["/api/v1/namespaces/shop/pods"] = {"items": [the_pod]}
    # The pod's events, and another pod's that the diagnosis must not show: events are asked for by
    # the object's name (fieldSelector involvedObject.name), never all of the namespace's.
    elsewhere = [("bff-0", "Warning", "Failed", 'Failed to pull image "ghcr.io/o/old:1": not found')]
    api.objects["/api/v1/namespaces/shop/events"] = {"items": [
        {"type": t, "reason": r, "message": m, "count": 1, "involvedObject": {"kind": "Pod", "name": name}}
        for name, t, r, m in [*(("bff-1", *e) for e in events), *elsewhere]]}
    api.pod_logs.update(logs or {})
    ctx = Context(profile, FakeRunner(), Silent(), lambda k, c: api)
    report = WorkloadReport(Workload("Deployment", "shop", "bff"), status="Failed")
    return ctx, report


def test_image_not_loaded_names_the_load_command(tmp_path):
    ctx, report = world(tmp_path, pod(waiting={"reason": "ImagePullBackOff", "message": 'Back-off pulling image "ghcr.io/o/bff:abc"'}),
                        events=[("Warning", "Failed", 'Failed to pull image "ghcr.io/o/bff:abc": not found')])
    [d] = diagnose(ctx, report)
    assert d.reason == "ImagePull"
    assert d.events == ['Failed: Failed to pull image "ghcr.io/o/bff:abc": not found']
    assert "is not on the node" in d.hint and "kind load docker-image --name dev ghcr.io/o/bff:abc" in d.hint


def test_latest_tag_on_a_load_cluster_explains_pull_policy(tmp_path):
    ctx, report = world(tmp_path, pod(image="redis:latest", waiting={"reason": "ErrImagePull", "message": "x"}))
    [d] = diagnose(ctx, report)
    assert "imagePullPolicy Always" in d.hint and ":latest" in d.hint


def test_private_registry_without_pull_secret(tmp_path):
    shipping = Shipping(mode="push", registry="ghcr.io/o", auth=RegistryAuth("me", "GHCR_TOKEN"))
    ctx, report = world(tmp_path, pod(waiting={"reason": "ErrImagePull", "message": "x"}),
                        events=[("Warning", "Failed", "pull access denied: 401 Unauthorized")], shipping=shipping)
    [d] = diagnose(ctx, report)
    assert "shipping.pullSecret" in d.hint


def test_crash_loop_shows_the_previous_instance_logs(tmp_path):
    ctx, report = world(tmp_path, pod(waiting={"reason": "CrashLoopBackOff", "message": "back-off 10s"},
                                      last={"exitCode": 3, "reason": "Error"}, restarts=4),
                        logs={("bff-1", "bff", True): "starting\npanic: no config\n"})
    [d] = diagnose(ctx, report)
    assert d.reason == "CrashLoopBackOff" and d.logs == ["starting", "panic: no config"]


@pytest.mark.parametrize("last,logs,reason,fix", [
    ({"exitCode": 137, "reason": "OOMKilled"}, "", "OOMKilled", "limits.memory"),
    ({"exitCode": 1, "reason": "Error"}, "exec /app: exec format error\n", "ExecFormatError", "platform"),
])
def test_oom_and_wrong_platform(tmp_path, last, logs, reason, fix):
    ctx, report = world(tmp_path, pod(waiting={"reason": "CrashLoopBackOff", "message": ""}, last=last, restarts=3),
                        logs={("bff-1", "bff", True): logs})
    [d] = diagnose(ctx, report)
    assert d.reason == reason and fix in d.hint


def test_missing_secret_names_it_and_the_profile_fix(tmp_path):
    ctx, report = world(tmp_path, pod(waiting={"reason": "CreateContainerConfigError",
                                               "message": 'secret "db-config" not found'}))
    [d] = diagnose(ctx, report)
    assert d.reason == "CreateContainerConfigError" and "'db-config'" in d.hint and "fromEnv" in d.hint


def test_missing_key(tmp_path):
    ctx, report = world(tmp_path, pod(waiting={"reason": "CreateContainerConfigError",
                                               "message": "couldn't find key db-url in Secret shop/db-config"}))
    [d] = diagnose(ctx, report)
    assert "no key 'db-url'" in d.hint


def test_failing_readiness_probe_on_a_running_pod(tmp_path):
    ctx, report = world(tmp_path, pod(), events=[("Warning", "Unhealthy", "Readiness probe failed: 503")])
    [d] = diagnose(ctx, report)
    assert d.reason == "ReadinessProbeFailing" and "path and port" in d.hint


def test_unschedulable(tmp_path):
    p = pod()
    p["status"]["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                  "message": "0/1 nodes are available: 1 Insufficient cpu."}]
    ctx, report = world(tmp_path, p)
    [d] = diagnose(ctx, report)
    assert d.reason == "Unschedulable" and "Insufficient cpu" in d.message and "requests" in d.hint


def test_failed_job_shows_the_last_failed_pods_logs(tmp_path):
    ctx, _ = world(tmp_path, pod())
    api = ctx.api
    api.objects["/apis/batch/v1/namespaces/shop/jobs/migrate"] = {
        "kind": "Job", "metadata": {"name": "migrate", "namespace": "shop", "uid": "u1"},
        "spec": {"selector": {"matchLabels": {"job-name": "migrate"}}}}

    def failed_pod(name, created):
        return {"metadata": {"name": name, "labels": {"job-name": "migrate"}, "creationTimestamp": created},
                "status": {"phase": "Failed", "containerStatuses": [
                    {"name": "migrate", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}}

    api.objects["/api/v1/namespaces/shop/pods"] = {"items": [failed_pod("migrate-b", "2025-01-01T00:00:09Z"),
                                                             failed_pod("migrate-a", "2025-01-01T00:00:01Z")]}
    api.pod_logs[("migrate-b", "migrate", False)] = "migration 0042 failed\n"
    report = WorkloadReport(Workload("Job", "shop", "migrate"), status="Failed: BackoffLimitExceeded")
    [d] = diagnose(ctx, report)
    assert (d.reason, d.pod, d.container) == ("JobFailed", "migrate-b", "migrate")
    assert d.logs == ["migration 0042 failed"] and "backoffLimit" in d.hint
