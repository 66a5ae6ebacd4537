"""The stand-in kubelet on real docker: crash loops, image and config errors, probes, OOM,
init containers, logs and deletion, as the pod status, events and logs show them."""
from __future__ import annotations

import base64
import re
import subprocess
import time
import uuid

import pytest

from tests.bed.fixtures import require_bed

from tests.bed.kubelet.harness import SELFTEST_IMAGE, busybox_image, running_plane

pytestmark = pytest.mark.integration

NODE = "kl-control-plane"
UNREACHABLE = "127.0.0.1:9/missing:1"  # nothing listens there: the pull fails at once


@pytest.fixture(scope="module")
def plane(tmp_path_factory):
    require_bed()  # skips without docker, except under CI, where a missing bed fails the run
    root = tmp_path_factory.mktemp("kubelet")
    ref, image_id = busybox_image(root / "image")
    name = f"selftest-kl-{uuid.uuid4().hex[:6]}"
    with running_plane(root / "state", name, [NODE], {ref: image_id}, ready_after=0.2,
                       backoff_base=0.3, backoff_cap=1.5) as p:
        yield p
    assert not p.containers(), "every container is removed on stop"


def pod(name: str, ns: str, command: str = "sleep 3600", restart: str = "Always",
        **container) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"restartPolicy": restart, "terminationGracePeriodSeconds": 1,
                     "containers": [{"name": "main", "image": SELFTEST_IMAGE,
                                     "command": ["sh", "-c", command], **container}]}}


def container_status(plane, ns: str, name: str) -> dict:
    p = plane.get("v1", "Pod", ns, name) or {}
    return ((p.get("status") or {}).get("containerStatuses") or [{}])[0]


def waiting(plane, ns: str, name: str, reason: str):
    def probe():
        state = container_status(plane, ns, name).get("state") or {}
        return state["waiting"] if (state.get("waiting") or {}).get("reason") == reason else None
    return plane.wait(probe, f"{name} waiting with {reason}")


def condition(p: dict, type_: str) -> dict:
    return next(c for c in p["status"]["conditions"] if c["type"] == type_)


def test_a_crashing_container_loops_with_rising_restarts_and_previous_logs(plane):
    ns = plane.namespace("crash")
    made = plane.create(pod("crash", ns, "echo attempt at $(date +%s); exit 3"))
    uid = made["metadata"]["uid"]
    plane.wait(lambda: container_status(plane, ns, "crash").get("restartCount", 0) >= 2,
               "two restarts")
    state = waiting(plane, ns, "crash", "CrashLoopBackOff")
    assert re.fullmatch(rf"back-off \d+(ms|s) restarting failed container=main "
                        rf"pod=crash_{ns}\({uid}\)", state["message"])
    status = container_status(plane, ns, "crash")
    last = status["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (3, "Error")
    assert last["containerID"].startswith("containerd://") and status["ready"] is False
    assert plane.get("v1", "Pod", ns, "crash")["status"]["phase"] == "Running"
    assert plane.logs(ns, "crash", previous=True).startswith("attempt at ")
    assert ("Warning", "BackOff", f"Back-off restarting failed container main in pod "
            f"crash_{ns}({uid})") in plane.events(ns, "crash")
    before = status["restartCount"]
    plane.wait(lambda: container_status(plane, ns, "crash").get("restartCount", 0) > before,
               "another restart after the back-off")


def test_an_image_that_cannot_be_pulled_backs_off(plane):
    ns = plane.namespace("pull")
    plane.create(pod("nopull", ns, image=UNREACHABLE))
    pulled = waiting(plane, ns, "nopull", "ErrImagePull")
    assert pulled["message"].startswith(f'failed to pull and unpack image "{UNREACHABLE}": ')
    backoff = waiting(plane, ns, "nopull", "ImagePullBackOff")
    assert backoff["message"] == f'Back-off pulling image "{UNREACHABLE}"'
    events = plane.events(ns, "nopull")
    assert ("Warning", "Failed", f'Failed to pull image "{UNREACHABLE}": {pulled["message"]}') \
        in events
    assert ("Warning", "Failed", "Error: ErrImagePull") in events
    assert ("Normal", "BackOff", f'Back-off pulling image "{UNREACHABLE}"') in events
    with pytest.raises(ValueError, match=r'container "main" in pod "nopull" is waiting to start'):
        plane.logs(ns, "nopull")


def test_bad_references_and_never_pull_policy_are_refused(plane):
    ns = plane.namespace("refs")
    plane.create(pod("upper", ns, image="Busy:1"))
    plane.create(pod("never", ns, image="bed-not-loaded:1", imagePullPolicy="Never"))
    invalid = waiting(plane, ns, "upper", "InvalidImageName")
    assert 'couldn\'t parse image name "Busy:1"' in invalid["message"]
    never = waiting(plane, ns, "never", "ErrImageNeverPull")
    assert never["message"] == \
        'Container image "bed-not-loaded:1" is not present with pull policy of Never'


def test_a_missing_secret_blocks_the_container_until_it_exists(plane):
    ns = plane.namespace("config")
    env = [{"name": "DB_URL",
            "valueFrom": {"secretKeyRef": {"name": "db-config", "key": "db-url"}}},
           {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
           {"name": "OPT", "valueFrom": {"configMapKeyRef": {"name": "absent", "key": "k",
                                                             "optional": True}}}]
    plane.create(pod("app", ns, 'echo "$POD $DB_URL ${OPT:-unset}"; sleep 3600', env=env))
    state = waiting(plane, ns, "app", "CreateContainerConfigError")
    assert state["message"] == 'secret "db-config" not found'
    plane.wait(lambda: ("Warning", "Failed", 'Error: secret "db-config" not found')
               in plane.events(ns, "app"), "the Failed event")
    secret = {"apiVersion": "v1", "kind": "Secret",
              "metadata": {"name": "db-config", "namespace": ns},
              "data": {"other": base64.b64encode(b"x").decode()}}
    plane.create(secret)
    missing_key = f"couldn't find key db-url in Secret {ns}/db-config"
    plane.wait(lambda: waiting(plane, ns, "app", "CreateContainerConfigError").get("message")
               == missing_key, "the missing-key message")
    secret = plane.get("v1", "Secret", ns, "db-config")
    secret["data"]["db-url"] = base64.b64encode(b"postgres://db:5432/shop").decode()
    plane.store.update(secret)
    plane.wait(lambda: "running" in (container_status(plane, ns, "app").get("state") or {}),
               "the container to start")
    plane.wait(lambda: plane.logs(ns, "app") == "app postgres://db:5432/shop unset\n", "its output")


def test_readiness_and_liveness_probes(plane):
    ns = plane.namespace("probes")
    ready_probe = {"exec": {"command": ["cat", "/ready"]}, "periodSeconds": 5,
                   "failureThreshold": 1}
    plane.create(pod("gated", ns, readinessProbe=ready_probe))
    live_probe = {"exec": {"command": ["false"]}, "periodSeconds": 1, "failureThreshold": 2}
    plane.create(pod("doomed", ns, livenessProbe=live_probe))
    serve = "mkdir -p /www && echo ok > /www/healthz && httpd -f -p 8080 -h /www"
    ports = [{"name": "http", "containerPort": 8080}]
    plane.create(pod("served", ns, serve, ports=ports, readinessProbe={
        "httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 1}))
    plane.create(pod("missing", ns, serve, ports=ports, readinessProbe={
        "httpGet": {"path": "/nope", "port": 8080}, "periodSeconds": 1}))

    events = plane.wait(lambda: [e for e in plane.events(ns, "gated") if e[1] == "Unhealthy"],
                        "a failed readiness probe")
    assert events[0][0] == "Warning" and events[0][2].startswith("Readiness probe failed: ")
    gated = plane.get("v1", "Pod", ns, "gated")
    assert condition(gated, "Ready")["status"] == "False"
    assert condition(gated, "Ready")["message"] == "containers with unready status: [main]"
    container_id = container_status(plane, ns, "gated")["containerID"].split("://")[1]
    subprocess.run(["docker", "exec", container_id, "touch", "/ready"], check=True,
                   capture_output=True, timeout=30)
    plane.wait(lambda: container_status(plane, ns, "gated").get("ready"), "readiness")

    plane.wait(lambda: container_status(plane, ns, "served").get("ready"), "the httpGet probe")
    plane.wait(lambda: ("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with "
                        "statuscode: 404") in plane.events(ns, "missing"), "an HTTP 404 verdict")
    plane.wait(lambda: container_status(plane, ns, "doomed").get("restartCount", 0) >= 1,
               "the liveness restart")
    doomed = plane.events(ns, "doomed")
    assert ("Warning", "Unhealthy", "Liveness probe failed: ") in doomed
    assert ("Normal", "Killing",
            "Container main failed liveness probe, will be restarted") in doomed


def test_memory_limit_is_real_and_ends_in_oomkilled(plane):
    ns = plane.namespace("oom")
    hog = 'x=aaaaaaaaaaaaaaaa; while true; do x="$x$x"; done'
    plane.create(pod("hog", ns, hog, restart="Never",
                     resources={"limits": {"memory": "16Mi"}}))
    plane.wait(lambda: plane.get("v1", "Pod", ns, "hog")["status"]["phase"] == "Failed", "Failed")
    terminated = container_status(plane, ns, "hog")["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("OOMKilled", 137)


def test_init_containers_run_first_and_pods_can_succeed(plane):
    ns = plane.namespace("init")
    p = pod("once", ns, "cat /proc/1/cmdline; echo main done", restart="Never")
    p["spec"]["initContainers"] = [{"name": "setup", "image": SELFTEST_IMAGE,
                                    "command": ["sh", "-c", "echo setup done"]}]
    plane.create(p)
    done = plane.wait(lambda: (lambda x: x if x["status"]["phase"] == "Succeeded" else None)(
        plane.get("v1", "Pod", ns, "once")), "the pod to succeed")
    (init,) = done["status"]["initContainerStatuses"]
    assert init["state"]["terminated"]["reason"] == "Completed" and init["ready"] is True
    assert condition(done, "Initialized")["status"] == "True"
    assert (condition(done, "Ready")["status"], condition(done, "Ready")["reason"]) == \
        ("False", "PodCompleted")
    assert plane.logs(ns, "once", "setup") == "setup done\n"
    assert plane.logs(ns, "once").endswith("main done\n")


def test_deleting_a_pod_stops_and_removes_its_containers(plane):
    ns = plane.namespace("delete")
    plane.create(pod("gone", ns))
    plane.wait(lambda: container_status(plane, ns, "gone").get("ready"), "the pod to be ready")
    container_id = container_status(plane, ns, "gone")["containerID"].split("://")[1]
    plane.store.delete("v1", "Pod", ns, "gone")
    plane.wait(lambda: container_id not in plane.containers(), "the container to go")
    plane.wait(lambda: plane.get("v1", "Pod", ns, "gone") is None, "the pod object to go")
    assert ("Normal", "Killing", "Stopping container main") in plane.events(ns, "gone")


def _running(plane, ns: str, name: str) -> str:
    plane.wait(lambda: container_status(plane, ns, name).get("ready"), f"{name} to be ready")
    return container_status(plane, ns, name)["containerID"].split("://")[1]


@pytest.mark.parametrize("hook", [{"exec": {"command": ["sleep", "2"]}}, {"sleep": {"seconds": 2}}],
                         ids=["exec", "sleep"])
def test_a_deleted_pod_runs_pre_stop_then_sigterm_and_stays_until_its_containers_are_gone(plane, hook):
    ns = plane.namespace(f"grace-{next(iter(hook))}")
    trap_term = "trap 'exit 0' TERM; while true; do sleep 0.2; done"
    spec = pod("web", ns, trap_term, lifecycle={"preStop": hook})
    spec["spec"]["terminationGracePeriodSeconds"] = 120  # far above the bound below
    plane.create(spec)
    container_id = _running(plane, ns, "web")
    started = time.monotonic()

    deleting = plane.store.delete("v1", "Pod", ns, "web")

    assert deleting["metadata"]["deletionGracePeriodSeconds"] == 120
    assert deleting["metadata"]["deletionTimestamp"]
    assert plane.get("v1", "Pod", ns, "web"), "a running pod is only marked for deletion"
    plane.wait(lambda: plane.get("v1", "Pod", ns, "web") is None, "the pod object to go", timeout=180)
    took = time.monotonic() - started
    assert container_id not in plane.containers()
    # The hook's 2 s came first; SIGTERM then ended the container at once, long before the 120 s grace
    # period (the upper bound leaves a loaded machine an order of magnitude of room).
    assert 1.5 <= took < 60, took


def test_a_container_ignoring_sigterm_is_killed_when_the_grace_period_ends(plane):
    ns = plane.namespace("sigkill")
    spec = pod("stubborn", ns)  # sleep as PID 1: SIGTERM has no handler, so it is ignored
    spec["spec"]["terminationGracePeriodSeconds"] = 3
    plane.create(spec)
    container_id = _running(plane, ns, "stubborn")
    started = time.monotonic()

    plane.store.delete("v1", "Pod", ns, "stubborn")

    plane.wait(lambda: plane.get("v1", "Pod", ns, "stubborn") is None, "the pod object to go")
    assert time.monotonic() - started >= 2.5, "SIGKILL only after the grace period"
    assert container_id not in plane.containers()
