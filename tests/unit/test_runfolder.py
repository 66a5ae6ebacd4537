"""The kubernetes client's key files go to a 0700 folder of this run under ~/.clusterctl/run, removed on
the way out; folders left by runs that are gone (killed outright) are removed by the next."""
from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
import tempfile

import pytest
import yaml

from clusterctl import runfolder
from clusterctl.kube.api import KubeAPI


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def test_the_folder_is_private_to_this_run_and_removed(home):
    made = runfolder.path()

    assert made.parent == home / "run" and made.name.startswith(f"{os.getpid()}-")
    assert stat.S_IMODE(made.stat().st_mode) == 0o700 and runfolder.path() == made
    (made / "tmpkey").write_text("key")
    runfolder.remove()
    assert not made.exists()


def test_folders_of_runs_that_are_gone_are_removed_and_live_ones_kept(home):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (home / "run" / f"{gone}-abc").mkdir(parents=True)
    (home / "run" / f"{gone}-abc" / "tmpkey").write_text("left by a run killed outright")
    (home / "run" / f"{os.getppid()}-def").mkdir()

    runfolder.path()

    assert sorted(p.name.split("-")[0] for p in (home / "run").iterdir()) == sorted([str(os.getppid()),
                                                                                    str(os.getpid())])


def test_the_client_writes_the_kubeconfigs_data_there_and_nowhere_else(home, tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where mkstemp writes without a folder
    data = {name: base64.b64encode(f"-----{name}-----\n".encode()).decode() for name in ("ca", "cert", "key")}
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1",
                                               "certificate-authority-data": data["ca"]}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "c"}}],
        "users": [{"name": "c", "user": {"client-certificate-data": data["cert"],
                                         "client-key-data": data["key"]}}]}))

    KubeAPI(kubeconfig, "c")

    written = sorted(p.read_text() for p in runfolder.path().iterdir())
    assert written == ["-----ca-----\n", "-----cert-----\n", "-----key-----\n"]
    assert list(temp.iterdir()) == []
