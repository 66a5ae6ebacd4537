"""Secrets that reach clusterctl's output for real are masked in every form (issue 22 point 3).

The app's container reads a profile Secret (secretKeyRef) and prints it raw, base64-encoded, URL-encoded
and JSON-escaped, then exits 1: `up` reports a CrashLoopBackOff with the log tail, in text, in JSON and on a
narrow terminal where rich folds the long lines; `redeploy` and `logs` show the same tail."""
from __future__ import annotations

import os
import re
import select
import subprocess
import time

import pytest

from tests.bed.fakecli.state import REPO_ROOT
from tests.integration.leaks import plant, sweep
from tests.integration.project import FAST, Project, deployment

WORKLOADS_FAILED = 7
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# What an app does with a token it was given: logs it, sends it as basic auth, in a URL, in a JSON body.
LEAKY_APP = r"""
echo "connecting with token $API_TOKEN"
echo "authorization: Basic $(printf %s "$API_TOKEN" | base64)"
echo "GET /login?token=$(printf %s "$API_TOKEN" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/"/%22/g' \
    -e 's/\\/%5C/g' -e 's/\//%2F/g' -e 's/+/%2B/g' -e 's/&/%26/g')"
echo "body {\"token\": \"$(printf %s "$API_TOKEN" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')\"}"
exit 1
"""
ENV = [{"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}}]
PROBED = {"readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 1, "periodSeconds": 1}}


@pytest.fixture
def project(bed_env):
    made = Project(bed_env.root / "app", name="mask")
    made.image("api", cmd="sh /leak.sh", files={"leak.sh": LEAKY_APP})
    made.manifest("api.yaml", deployment("api", made.repo("api"), container={"env": ENV, **PROBED}))
    made.profile(secrets=[{"name": "api", "fromEnv": {"token": "API_TOKEN"}}])
    yield made
    made.remove_images()


def logged(report: dict) -> list[str]:
    return [line for d in report["diagnoses"] for line in d["logs"]]


def test_up_masks_every_form_of_a_secret_the_app_logs_in_text_and_json(bed_env, project):
    planted = plant("API_TOKEN", tricky=True)  # `"` and `\` are escaped by JSON, `/ + & ` by URLs

    as_json = project.run(bed_env, "up", env=planted.env)
    as_text = project.run(bed_env, "up", json=False, env=planted.env)

    assert as_json.code == WORKLOADS_FAILED and as_text.code == WORKLOADS_FAILED, as_json.output + as_text.output
    lines = logged(as_json.report)  # the tail is there, with each form masked where it was
    assert "connecting with token ******" in lines and "authorization: Basic ******" in lines, lines
    assert "GET /login?token=******" in lines and 'body {"token": "******"}' in lines, lines
    assert "| GET /login?token=******" in as_text.stdout
    assert sweep(planted, result=as_json, bed_env=bed_env) == []
    assert sweep(planted, result=as_text) == []


def on_terminal(bed_env, project: Project, *args: str, env: dict[str, str], columns: int = 40) -> str:
    """Run clusterctl with stdout and stderr on a pseudo-terminal `columns` wide; what it drew."""
    master, slave = os.openpty()
    argv = ["python", "-m", "clusterctl", args[0], str(project.profile_path), *args[1:]]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=bed_env.root,
                            env={**bed_env.env, **FAST, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": str(columns),
                                 "TERM": "xterm", **env})
    os.close(slave)
    drawn, deadline = [], time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every writer is gone
                    break
                if not chunk:
                    break
                drawn.append(chunk)
    finally:
        os.close(master)
        proc.kill() if proc.poll() is None else None
        proc.wait(timeout=30)
    assert proc.returncode == WORKLOADS_FAILED, b"".join(drawn).decode(errors="replace")
    return b"".join(drawn).decode(errors="replace")


def test_a_long_secret_folded_over_terminal_lines_is_masked(bed_env, project):
    planted = plant("API_TOKEN")
    assert project.run(bed_env, "up", env=planted.env).code == WORKLOADS_FAILED  # built, shipped, crashing

    drawn = on_terminal(bed_env, project, "up", env=planted.env)

    screen = ANSI.sub("", drawn).replace("\r", "")
    assert "last log lines:" in screen and "connecting with" in screen, screen
    # rich folds a line wider than the terminal: read it as one to find a secret split across lines
    assert sweep(planted, texts={"terminal": screen, "terminal, unfolded": screen.replace("\n", "")}) == []


def test_redeploy_and_logs_mask_what_up_masks(bed_env, project):
    planted = plant("API_TOKEN")  # masked by `up` before the fix too: only the registration differs
    assert project.run(bed_env, "up", env=planted.env).code == WORKLOADS_FAILED

    redeploy = project.run(bed_env, "redeploy", "api", env=planted.env)
    logs = project.run(bed_env, "logs", "api", "-p", str(project.profile_path), profile=False, json=False,
                       env=planted.env)

    assert logs.code == 0 and "connecting with token ******" in logs.stdout, logs.output
    assert redeploy.code == WORKLOADS_FAILED, redeploy.output
    assert "connecting with token ******" in logged(redeploy.report), redeploy.report["diagnoses"]
    assert sweep(planted, result=redeploy) == [] and sweep(planted, result=logs) == []
