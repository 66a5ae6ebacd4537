"""Issue 22 point 4: a run leaves no key material behind. The kubernetes client writes the kubeconfig's
certificate-authority-data, client-certificate-data and client-key-data to temp files and removes them
only from an atexit hook (kubernetes-client/python `kubernetes/config/kube_config.py`,
`_create_temp_file_with_content`, v37.0.2); kind's kubeconfig carries the cluster admin's private key.

Each run gets a private TMPDIR: its files are counted before and after `up`, `status` and an `up`
stopped by Ctrl-C or SIGTERM during the wait, and every file under HOME and TMPDIR is searched for the key."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml

from tests.integration.leaks import Planted, private_tmp, sweep
from tests.integration.project import deployment, fresh_project
from tests.integration.test_faults import SLOW_READY, assert_converged, launch, wait_for_watch  # noqa: F401
from tests.integration.test_interrupts import SIGNALS, interrupt


@pytest.fixture
def project(bed_env):
    with fresh_project(bed_env, "keys") as made:
        made.image("web")
        yield made


def admin_key(bed_env, context: str) -> Planted:
    """The private key kind put in the kubeconfig, as the client would write it out (PEM)."""
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    user = next(u["user"] for u in config["users"] if u["name"] == context)
    return Planted({"client-key-data": base64.b64decode(user["client-key-data"]).decode()})


def files(tmp: dict[str, str]) -> list[str]:
    return sorted(str(p) for p in Path(tmp["TMPDIR"]).rglob("*"))


def test_up_and_status_leave_no_file_in_the_temp_folder_and_the_key_nowhere(bed_env, project):
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile()
    tmp = private_tmp(bed_env)

    up = project.run(bed_env, "up", env=tmp)
    assert_converged(up)
    key = admin_key(bed_env, project.context)
    assert sweep(key, result=up, bed_env=bed_env) == []
    assert files(tmp) == []

    status = project.run(bed_env, "status", env=tmp)
    assert status.code == 0, status.stderr
    assert sweep(key, result=status, bed_env=bed_env) == []
    assert files(tmp) == []


@pytest.mark.parametrize("sig", SIGNALS)
def test_ctrl_c_or_sigterm_during_the_wait_leaves_no_file_in_the_temp_folder(bed_env, project, launch, sig):
    project.manifest("web.yaml", deployment("web", project.repo("web"), container=SLOW_READY))
    project.profile(timeout="5m")
    tmp = private_tmp(bed_env)
    running = launch(project, env=tmp)
    wait_for_watch(project.cluster(bed_env), 0, running)  # the API client is loaded: its files exist now

    interrupt(running, sig)

    assert sweep(admin_key(bed_env, project.context), bed_env=bed_env) == []
    assert files(tmp) == []
