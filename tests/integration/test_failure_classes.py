"""Every failure class `up` diagnoses: the reason, the events, the log tail and the hint that names the
fix, in the JSON report and in the text report, and the documented exit code (7 failed, 8 timeout).

Each test runs `up` twice on the same broken app: once for JSON, once for text (the second run builds,
ships and applies nothing, and meets the same failure)."""
from __future__ import annotations

import base64
import json
import re
import struct

import pytest

from tests.integration.project import Project, Result, deployment, job, step

WORKLOADS_FAILED, TIMEOUT = 7, 8
# Ready only once a probe passes: a container that dies at once is never counted Ready in between.
PROBED = {"readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 1, "periodSeconds": 1}}
COUNT = re.compile(r" \(x\d+\)$")


@pytest.fixture
def project(bed_env):
    made = Project(bed_env.root / "app", name="fail")
    yield made
    made.remove_images()


def up_json_and_text(bed_env, project: Project, expected: int, env: dict | None = None) -> tuple[Result, Result]:
    as_json = project.run(bed_env, "up", env=env)
    assert as_json.code == expected, as_json.output
    as_text = project.run(bed_env, "up", json=False, env=env)
    assert as_text.code == expected, as_text.output
    assert as_json.report["error"]["exitCode"] == expected
    return as_json, as_text


def diagnosis(result: Result, workload: str) -> dict:
    found = [d for d in result.report["diagnoses"] if d["workload"] == workload]
    assert found, result.report["diagnoses"]
    return found[0]


def assert_in_text(text: Result, d: dict, reason: str) -> None:
    """The text report carries the same diagnosis: class, events, log lines and hint."""
    assert f"✗ {d['workload']}: {reason}" in text.stdout, text.stdout
    for event in d["events"]:  # the second run has seen more of them: compare without the count
        assert f"event  {COUNT.sub('', event)}" in text.stdout, text.stdout
    for line in d["logs"]:
        assert f"| {line}" in text.stdout
    assert f"fix: {d['hint']}" in text.stdout


def test_crash_loop_shows_the_previous_instance_logs(bed_env, project):
    project.image("crashy", cmd="echo booting crashy; echo 'fatal: config /etc/crashy.toml not found'; exit 3")
    project.manifest("crashy.yaml", deployment("crashy", project.repo("crashy"), container=PROBED))
    project.profile()

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "deployment/crashy")
    assert d["reason"] == "CrashLoopBackOff" and d["container"] == "crashy"
    assert "fatal: config /etc/crashy.toml not found" in d["logs"] and "booting crashy" in d["logs"]
    assert any(e.startswith("BackOff:") for e in d["events"]), d["events"]
    assert "previous instance" in d["hint"]
    assert_in_text(as_text, diagnosis(as_json, "deployment/crashy"), "CrashLoopBackOff")
    assert "last log lines:" in as_text.stdout


def test_image_not_loaded_is_an_image_pull_failure_with_the_fix(bed_env, project):
    project.image("web")
    ghost = project.repo("ghost") + ":1.0"  # not in the profile's images: nobody builds or loads it
    project.manifest("ghost.yaml", deployment("ghost", ghost))
    project.profile(images=[{"name": "web", "context": "images/web"}])

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "deployment/ghost")
    assert d["reason"] == "ImagePull"
    assert any(ghost in e for e in d["events"]), d["events"]
    assert ghost in d["hint"] and "add it to the profile's images" in d["hint"]
    assert_in_text(as_text, d, "ImagePull")


def test_latest_tag_pulls_past_the_loaded_image(bed_env, project, busybox_image):
    project.image("web")
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()
    assert project.run(bed_env, "up").code == 0
    cached = busybox_image(project.repo("cached") + ":latest", "sleep 3600")
    loaded = bed_env.kind("load", "docker-image", "--name", project.name, cached)
    assert loaded.returncode == 0, loaded.stderr
    project.manifest("cached.yaml", deployment("cached", cached))
    project.profile(images=[{"name": "web", "context": "images/web"}])

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "deployment/cached")
    assert d["reason"] == "ImagePull"
    assert "imagePullPolicy Always" in d["hint"] and ":latest" in d["hint"], d["hint"]
    assert d["events"]
    assert_in_text(as_text, d, "ImagePull")


SECRET_VALUES = {"DB_URL": "postgres://app:Zq7-not-for-logs@db:5432/shop", "DB_PASSWORD": "Zq7-not-for-logs"}


def test_missing_secret_then_declared_from_the_environment(bed_env, project):
    project.image("api")
    env = [{"name": "DB_URL", "valueFrom": {"secretKeyRef": {"name": "db-config", "key": "db-url"}}}]
    project.manifest("api.yaml", deployment("api", project.repo("api"), container={"env": env}))
    project.profile()

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "deployment/api")
    assert d["reason"] == "CreateContainerConfigError"
    assert "db-config" in d["message"] and "db-config" in d["hint"] and "secrets:" in d["hint"]
    assert_in_text(as_text, d, "CreateContainerConfigError")

    project.profile(secrets=[{"name": "db-config", "fromEnv": {"db-url": "DB_URL", "db-password": "DB_PASSWORD"}}])
    fixed = project.run(bed_env, "up", "-v", env=SECRET_VALUES)
    fixed_text = project.run(bed_env, "up", "-v", json=False, env=SECRET_VALUES)

    assert fixed.code == 0, fixed.output
    assert fixed_text.code == 0, fixed_text.output
    assert step(fixed.report, "secrets")["status"] == "done"
    for value in SECRET_VALUES.values():
        assert value not in fixed.output and value not in fixed_text.output
    live = bed_env.kubectl("get", "secret", "db-config", "-n", project.namespace, "-o", "json",
                           "--context", project.context)
    data = json.loads(live.stdout)["data"]
    assert base64.b64decode(data["db-url"]).decode() == SECRET_VALUES["DB_URL"]


def test_oom_killed(bed_env, project):
    # One process that doubles a string: the OOM killer takes the container's main process itself
    # (under `sh -c "head | tail"` it may take only `tail`, and sh exits 137 without an OOM kill).
    project.image("hog", cmd=["awk", 'BEGIN { s = "x"; while (1) s = s s }'])
    limits = {"resources": {"limits": {"memory": "16Mi"}}, **PROBED}
    project.manifest("hog.yaml", deployment("hog", project.repo("hog"), container=limits))
    project.profile()

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "deployment/hog")
    assert d["reason"] == "OOMKilled", d
    assert "OOMKilled" in as_json.report["error"]["message"]
    assert "resources.limits.memory" in d["hint"]
    assert d["events"]
    assert_in_text(as_text, d, "OOMKilled")


def aarch64_elf() -> bytes:
    """An ELF header for another CPU: the kernel refuses it with ENOEXEC (exec format error)."""
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)  # 64-bit, little-endian, version 1
    return struct.pack("<16sHHIQQQIHHHHHH", ident, 2, 183, 1, 0x400000, 64, 0, 0, 64, 56, 0, 0, 0, 0)


def test_exec_format_error(bed_env, project):
    context = project.image("arm", cmd=[], entrypoint=["/app"], files={"app": aarch64_elf()})
    (context / "files" / "app").chmod(0o755)
    project.manifest("arm.yaml", deployment("arm", project.repo("arm"), container=PROBED))
    project.profile()

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "deployment/arm")
    assert d["reason"] == "ExecFormatError"
    assert "platform" in d["hint"] and "architecture" in d["hint"]
    assert d["events"]
    assert_in_text(as_text, d, "ExecFormatError")


def test_unschedulable_names_the_resource(bed_env, project):
    project.image("big")
    requests = {"resources": {"requests": {"cpu": "64"}}}
    project.manifest("big.yaml", deployment("big", project.repo("big"), container=requests))
    project.profile(timeout="4s")

    as_json, as_text = up_json_and_text(bed_env, project, TIMEOUT)

    d = diagnosis(as_json, "deployment/big")
    assert d["reason"] == "Unschedulable"
    assert "cpu" in d["message"].lower()
    assert any(e.startswith("FailedScheduling:") for e in d["events"]), d["events"]
    assert "resources.requests" in d["hint"]
    assert "deployment/big" in as_json.report["error"]["message"]
    assert_in_text(as_text, d, "Unschedulable")


def test_failed_job(bed_env, project):
    project.image("migrate", cmd="echo 'migration 0042 failed: relation users exists'; exit 1")
    project.manifest("migrate.yaml", job("migrate", project.repo("migrate"), backoff_limit=1))
    project.profile()

    as_json, as_text = up_json_and_text(bed_env, project, WORKLOADS_FAILED)

    d = diagnosis(as_json, "job/migrate")
    assert "migration 0042 failed: relation users exists" in d["logs"], d
    assert d["events"] and d["hint"]
    assert "job/migrate" in as_json.report["error"]["message"]
    assert_in_text(as_text, d, d["reason"])


def test_failing_readiness_probe_ends_in_a_timeout_that_says_why(bed_env, project):
    project.image("web", cmd="echo serving; sleep 3600")
    probe = {"readinessProbe": {"exec": {"command": ["false"]}, "periodSeconds": 1}}
    project.manifest("web.yaml", deployment("web", project.repo("web"), container=probe))
    project.profile(timeout="4s")

    as_json, as_text = up_json_and_text(bed_env, project, TIMEOUT)

    d = diagnosis(as_json, "deployment/web")
    assert d["reason"] == "ReadinessProbeFailing"
    assert any(e.startswith("Unhealthy:") and "Readiness probe" in e for e in d["events"]), d["events"]
    assert "readiness probe" in d["hint"]
    error = as_json.report["error"]
    assert "timed out after 4s" in error["message"]
    assert "deployment/web (" in error["message"] and "ReadinessProbeFailing" in error["message"]
    assert_in_text(as_text, d, "ReadinessProbeFailing")
    assert "deployment/web" in as_text.stderr and "timed out" in as_text.stderr


def test_wait_timeout_lists_what_is_still_not_ready(bed_env, project):
    project.image("slow", cmd="sleep 60")
    project.image("quick", cmd="sleep 3600")
    # Nothing is wrong with the Job: it only takes longer than wait.timeout.
    project.manifest("slow.yaml", job("slow", project.repo("slow")))
    project.manifest("quick.yaml", deployment("quick", project.repo("quick")))
    project.profile(timeout="4s")

    as_json, as_text = up_json_and_text(bed_env, project, TIMEOUT)

    report = as_json.report
    assert "timed out after 4s" in report["error"]["message"]
    assert "job/slow" in report["error"]["message"] and "deployment/quick" not in report["error"]["message"]
    statuses = {w["name"]: w["status"] for w in report["workloads"]}
    assert statuses["quick"] == "Ready" and statuses["slow"] != "Complete"
    assert step(report, "wait")["status"] == "failed"
    assert "timed out after 4s" in as_text.stderr and "job/slow" in as_text.stderr
