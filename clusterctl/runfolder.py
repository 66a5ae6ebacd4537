"""A 0700 folder of this run under ~/.clusterctl/run for what must not outlive it: the files the kubernetes
client writes from a kubeconfig's certificate-authority-data, client-certificate-data and client-key-data
(kind's holds the cluster admin's private key), and the private docker config of the registry calls
(clusterctl/registryauth.py). Never the shared temp folder.

The client writes each to a file (`kube_config.py`, `_create_temp_file_with_content`, in the folder it is
given, else the temp folder) and removes them only from an atexit hook, which `os._exit` skips
(clusterctl/__main__.py). `remove` runs on every way out of `main`; a run killed outright leaves its folder,
private, and the next run that loads the client removes the folders of runs that are gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from clusterctl.statedir import folder

_made: list[Path] = []
_lock = threading.Lock()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def path() -> Path:
    """This run's folder, made on first use."""
    with _lock:
        if not _made:
            runs = folder("run")
            for entry in runs.iterdir():
                pid = entry.name.split("-", 1)[0]
                if pid.isdigit() and not pid_alive(int(pid)):
                    shutil.rmtree(entry, ignore_errors=True)
            _made.append(Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=runs)))
        return _made[0]


def remove() -> None:
    with _lock:
        for made in _made:
            shutil.rmtree(made, ignore_errors=True)
        _made.clear()
