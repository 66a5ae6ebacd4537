"""Row 8 of issue 10: a deleted namespace stays Terminating while its pods run preStop and their grace
period, and the API server refuses new content in it; `up` right after `down --keep-cluster` must wait."""
from __future__ import annotations

import json

import pytest

from tests.integration.project import Project, deployment, fresh_project, pods, step

GRACE, PRE_STOP = 15, 5


@pytest.fixture
def project(bed_env):
    with fresh_project(bed_env, "nsgone") as made:
        yield made


def namespace(bed_env, project: Project) -> dict | None:
    got = bed_env.kubectl("get", "namespace", project.namespace, "-o", "json", "--context", project.context)
    return json.loads(got.stdout) if got.returncode == 0 else None


def test_up_right_after_down_keep_cluster_waits_for_the_terminating_namespace(bed_env, project):
    project.image("web", cmd="sleep 3600")  # sleep as PID 1 ignores SIGTERM: the pod lasts its grace period
    slow_stop = {"lifecycle": {"preStop": {"exec": {"command": ["sleep", str(PRE_STOP)]}}}}
    project.manifest("web.yaml", deployment("web", project.repo("web"), replicas=2, container=slow_stop,
                                            pod={"terminationGracePeriodSeconds": GRACE}))
    project.profile()
    assert project.run(bed_env, "up").code == 0
    before = {p["uid"] for p in pods(bed_env, project.namespace, project.context)}

    down = project.run(bed_env, "down", "--keep-cluster")

    assert down.code == 0, down.stderr
    left = namespace(bed_env, project)
    assert left and left["status"]["phase"] == "Terminating" and left["metadata"]["deletionTimestamp"]
    again = project.run(bed_env, "down", "--keep-cluster")  # a second DELETE of the namespace would be a 409
    assert again.code == 0, again.output

    up = project.run(bed_env, "up")

    assert up.code == 0, up.stderr
    assert "terminat" in step(up.report, "namespace")["detail"]
    assert namespace(bed_env, project)["status"]["phase"] == "Active"
    running = pods(bed_env, project.namespace, project.context)
    assert len(running) == 2 and {p["phase"] for p in running} == {"Running"}
    assert not before & {p["uid"] for p in running}
    assert "terminating" in step(down.report, "delete-applied")["detail"]
