"""Fixtures: a control-plane process (plain HTTP or TLS + token) and real kubectl against it."""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bed.selftest.apiclient import InProcess

REPO = Path(__file__).resolve().parents[3]
KUBECTL = "/usr/bin/kubectl"


@dataclass
class Bed:
    url: str
    state_dir: Path
    kubeconfig: Path
    home: Path
    tls_dir: Path | None

    def kubectl(self, *args: str, stdin: str | None = None, timeout: float = 30):
        env = {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        argv = [KUBECTL, "--kubeconfig", str(self.kubeconfig),
                "--cache-dir", str(self.home / "cache"), *args]
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env,
                              timeout=timeout)

    def requests(self) -> list[str]:
        return (self.state_dir / "requests.log").read_text().splitlines()


def make_tls(tls_dir: Path) -> None:
    tls_dir.mkdir(parents=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=tls_dir, check=True, capture_output=True,
                       timeout=30)
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"]
    openssl("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=bed-ca",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-x509", *key, "-keyout", "server.key", "-out", "server.crt",
            "-subj", "/CN=kube-apiserver", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-addext", "extendedKeyUsage=serverAuth")
    (tls_dir / "token").write_text("selftest-token-0123456789\n")


def write_kubeconfig(path: Path, url: str, tls_dir: Path | None) -> None:
    cluster = {"server": url}
    user: dict = {}
    if tls_dir:
        cluster["certificate-authority-data"] = base64.b64encode(
            (tls_dir / "ca.crt").read_bytes()).decode()
        user["token"] = (tls_dir / "token").read_text().strip()
    config = {"apiVersion": "v1", "kind": "Config", "current-context": "bed",
              "clusters": [{"name": "bed", "cluster": cluster}],
              "contexts": [{"name": "bed", "context": {"cluster": "bed", "user": "bed",
                                                       "namespace": "default"}}],
              "users": [{"name": "bed", "user": user}]}
    path.write_text(json.dumps(config))


def start_controlplane(state_dir: Path, tls_dir: Path | None, *extra: str):
    argv = [sys.executable, "-m", "tests.bed.controlplane", "--name", "selftest",
            "--flavor", "kind", "--state-dir", str(state_dir), "--node", "selftest-control-plane",
            *extra]
    if tls_dir:
        argv += ["--tls-dir", str(tls_dir)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    log = open(state_dir.parent / "controlplane.log", "wb")
    proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    log.close()
    info_path = state_dir / "apiserver.json"
    deadline = time.monotonic() + 60  # polled: imports alone can take seconds on a loaded machine
    while not info_path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_controlplane(proc)
            raise RuntimeError((state_dir.parent / "controlplane.log").read_text())
        time.sleep(0.05)
    return proc, json.loads(info_path.read_text())


def stop_controlplane(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
        return -9


@pytest.fixture(scope="session", params=["http", "https"])
def bed(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"bed-{request.param}")
    tls_dir = root / "tls" if request.param == "https" else None
    if tls_dir:
        make_tls(tls_dir)
    state_dir = root / "state"
    state_dir.mkdir()
    proc, info = start_controlplane(state_dir, tls_dir)
    home = root / "home"
    home.mkdir()
    kubeconfig = root / "kubeconfig"
    write_kubeconfig(kubeconfig, info["url"], tls_dir)
    yield Bed(info["url"], state_dir, kubeconfig, home, tls_dir)
    assert stop_controlplane(proc) == 0
    assert not (state_dir / "apiserver.json").exists()


@pytest.fixture
def api(tmp_path):
    """An in-process API server (no controllers), driven with raw requests."""
    server = InProcess(tmp_path / "state")
    yield server
    server.close()
