"""Rollouts as a real cluster does them: the seeds' main loop (a crash-looping service, fix, `redeploy`)
while the old ReplicaSet's pods linger, a progress deadline left from the last rollout, and StatefulSet
partitions and OnDelete, judged by kubectl's rollout status rules (pkg/polymorphichelpers/rollout_status.go)."""
from __future__ import annotations

import pytest

from tests.integration.project import Project, deployment, pods, workload

WORKLOADS_FAILED = 7
# Ready only once a probe passes: a container that dies at once is never counted Ready in between.
# `sleep` as PID 1 ignores SIGTERM, so each replaced pod would take the default 30 s grace period, and a
# StatefulSet rolls the next ordinal only once the old pod is gone.
GRACEFUL = {"terminationGracePeriodSeconds": 2}
PROBED = {"readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 1, "periodSeconds": 1}}


@pytest.fixture
def project(bed_env):
    made = Project(bed_env.root / "app", name="roll")
    yield made
    made.remove_images()


def test_redeploy_of_a_crash_fix_succeeds_while_the_old_pods_still_crash(bed_env, project):
    project.image("bff", cmd="echo booting bff; echo 'fatal: no config'; exit 3")
    project.manifest("bff.yaml", deployment("bff", project.repo("bff"), replicas=2, container=PROBED))
    project.profile()
    broken = project.run(bed_env, "up")
    assert broken.code == WORKLOADS_FAILED, broken.output
    old_image = workload(broken.report, "bff")["image"]
    crashing = [p for p in pods(bed_env, project.namespace, project.context) if p["image"] == old_image]
    assert len(crashing) == 2 and any(p["restarts"] > 2 for p in crashing), crashing  # past restartTolerance

    project.image("bff", cmd="echo booting bff; sleep 3600")
    fixed = project.run(bed_env, "redeploy", "bff")

    assert fixed.code == 0, fixed.output
    bff = workload(fixed.report, "bff")
    assert (bff["status"], bff["ready"], bff["desired"]) == ("Ready", 2, 2)
    assert bff["image"] != old_image and bff["restarts"] == 0, bff
    assert fixed.report["diagnoses"] == []
    live = [p for p in pods(bed_env, project.namespace, project.context) if p["phase"] == "Running"]
    assert {p["image"] for p in live} >= {bff["image"]}


def test_a_progress_deadline_left_from_the_last_rollout_does_not_fail_the_fix(bed_env, project):
    # The controllers act on a spec change 3 s after it is written: clusterctl's first look at the
    # redeployed Deployment still shows the last rollout's ProgressDeadlineExceeded.
    env = {"CLUSTERCTL_BED_OBSERVE_LAG": "3"}
    project.image("bff", cmd="sleep 3600")  # never ready: the probe wants /ready
    probe = {"readinessProbe": {"exec": {"command": ["test", "-f", "/ready"]}, "periodSeconds": 1}}
    bff = deployment("bff", project.repo("bff"), container=probe)
    bff["spec"]["progressDeadlineSeconds"] = 20  # past any pod start on a busy machine
    project.manifest("bff.yaml", bff)
    project.profile()
    stuck = project.run(bed_env, "up", env=env)
    assert stuck.code == WORKLOADS_FAILED, stuck.output
    assert "progress deadline" in stuck.report["error"]["message"], stuck.report["error"]

    project.image("bff", cmd="touch /ready; sleep 3600")
    fixed = project.run(bed_env, "redeploy", "bff", env=env)

    assert fixed.code == 0, fixed.output
    assert workload(fixed.report, "bff")["status"] == "Ready"


def statefulset(name: str, image: str, replicas: int, strategy: dict) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
            "spec": {"replicas": replicas, "serviceName": name, "selector": {"matchLabels": labels},
                     "podManagementPolicy": "Parallel", "updateStrategy": strategy,
                     "template": {"metadata": {"labels": labels}, "spec": GRACEFUL | {
                         "containers": [{"name": name, "image": image}]}}}}


def daemonset(name: str, image: str, strategy: dict) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": labels}, "updateStrategy": strategy,
                     "template": {"metadata": {"labels": labels}, "spec": GRACEFUL | {
                         "containers": [{"name": name, "image": image}]}}}}


def test_a_partitioned_statefulset_is_rolled_out_once_the_pods_above_the_partition_are(bed_env, project):
    project.image("db", cmd="sleep 3600", files={"version": "1\n"})
    project.manifest("db.yaml", statefulset("db", project.repo("db"), 3, {"rollingUpdate": {"partition": 2}}))
    project.profile(timeout="30s")
    assert project.run(bed_env, "up").code == 0
    (project.root / "images" / "db" / "files" / "version").write_text("2\n")

    result = project.run(bed_env, "redeploy", "db")

    assert result.code == 0, result.output
    db = workload(result.report, "db")
    assert (db["status"], db["ready"], db["desired"]) == ("Ready", 3, 3)
    images = {p["name"]: p["image"] for p in pods(bed_env, project.namespace, project.context)}
    assert images["db-2"] == db["image"] and images["db-0"] == images["db-1"] != db["image"]


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet"])
def test_on_delete_is_ready_without_a_roll_and_the_report_says_so(bed_env, project, kind):
    project.image("agent", cmd="sleep 3600", files={"version": "1\n"})
    make = statefulset if kind == "StatefulSet" else daemonset
    args = (2,) if kind == "StatefulSet" else ()
    project.manifest("agent.yaml", make("agent", project.repo("agent"), *args, {"type": "OnDelete"}))
    project.profile(timeout="30s")
    first = project.run(bed_env, "up")
    assert first.code == 0, first.output
    (project.root / "images" / "agent" / "files" / "version").write_text("2\n")

    result = project.run(bed_env, "redeploy", "agent")

    assert result.code == 0, result.output
    agent = workload(result.report, "agent")
    assert agent["status"] == "Ready"
    assert {p["image"] for p in pods(bed_env, project.namespace, project.context)} == \
        {workload(first.report, "agent")["image"]}, "OnDelete: nothing is rolled"
    notes = " ".join(result.report["notes"])
    assert f"{kind.lower()}/agent" in notes and "OnDelete" in notes and "delete" in notes, notes
