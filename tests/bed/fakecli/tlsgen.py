"""CA, server certificate (SAN IP:127.0.0.1), the admin's client certificate and a bearer token for one
control plane. kind's kubeconfig carries the client certificate and key (kubeadm's admin.conf); the token
is what the bed's own tools (and minikube's entry) authenticate with."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

_EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650"]


def generate(tls_dir: Path, ca_dir: Path | None = None) -> None:
    """ca_dir: a CA shared by several clusters (minikube keeps one in MINIKUBE_HOME for every profile),
    made once; else a CA of the cluster's own (kind makes one per cluster)."""
    tls_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_dir = ca_dir or tls_dir
    _ensure_ca(ca_dir)
    if ca_dir != tls_dir:
        shutil.copyfile(ca_dir / "ca.crt", tls_dir / "ca.crt")
    _openssl(["req", "-x509", *_EC, "-keyout", "server.key", "-out", "server.crt",
              "-subj", "/CN=kube-apiserver", "-CA", str(ca_dir / "ca.crt"), "-CAkey", str(ca_dir / "ca.key"),
              "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
              "-addext", "extendedKeyUsage=serverAuth",
              "-addext", "basicConstraints=critical,CA:FALSE",
              "-addext", "keyUsage=critical,digitalSignature"], tls_dir)
    # kubeadm's admin.conf user: a client certificate of the cluster CA, embedded as data by kind.
    _openssl(["req", "-x509", *_EC, "-keyout", "client.key", "-out", "client.crt",
              "-subj", "/O=kubeadm:cluster-admins/CN=kubernetes-admin",
              "-CA", str(ca_dir / "ca.crt"), "-CAkey", str(ca_dir / "ca.key"),
              "-addext", "extendedKeyUsage=clientAuth",
              "-addext", "basicConstraints=critical,CA:FALSE",
              "-addext", "keyUsage=critical,digitalSignature,keyEncipherment"], tls_dir)
    token = _openssl(["rand", "-hex", "32"], tls_dir).strip()
    fd = os.open(tls_dir / "token", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    (tls_dir / "server.key").chmod(0o600)
    (tls_dir / "client.key").chmod(0o600)


def _ensure_ca(ca_dir: Path) -> None:
    ca_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(ca_dir / ".ca.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two starts in one MINIKUBE_HOME make one CA
        if (ca_dir / "ca.crt").exists():
            return
        _openssl(["req", "-x509", *_EC, "-keyout", "ca.key", "-out", "ca.crt",
                  "-subj", "/CN=clusterctl-bed-ca",
                  "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign"], ca_dir)
        (ca_dir / "ca.key").chmod(0o600)


def _openssl(args: list[str], cwd: Path) -> str:
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {proc.stderr.strip()}")
    return proc.stdout
