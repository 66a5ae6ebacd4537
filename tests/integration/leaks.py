"""Plant secret values, run clusterctl, and look for them everywhere a secret could escape to.

    planted = plant("DB_PASSWORD", "NPM_TOKEN")        # distinct values, one per variable
    with watch_processes() as seen:                     # every process's argv and environment, sampled
        result = project.run(bed_env, "up", env={**planted.env, **private_tmp(bed_env)})
    assert sweep(planted, result=result, bed_env=bed_env, processes=seen, images=[...]) == []

A value is searched in every form a tool or an encoder derives from it (raw, base64, base64 of
`user:value`, URL-quoted, JSON-escaped), so a leak through kubectl's base64 or a JSON report is found.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import subprocess
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


@dataclass
class Planted:
    env: dict[str, str]
    user: str = "planted-user"

    def forms(self) -> dict[str, str]:
        """{text to search for: what it is} for every value and its derived forms."""
        found: dict[str, str] = {}
        for name, value in self.env.items():
            b64 = base64.b64encode(value.encode()).decode()
            pair = base64.b64encode(f"{self.user}:{value}".encode()).decode()
            for form, what in ((value, ""), (b64, " (base64)"), (pair, " (base64 of user:value)"),
                               (b64.rstrip("="), " (base64)"), (urllib.parse.quote(value, safe=""), " (URL)"),
                               (json.dumps(value)[1:-1], " (JSON)"), (_go_json(value), " (JSON, Go)")):
                found.setdefault(form, f"${name}{what}")
        return found


def _go_json(value: str) -> str:
    """As kubectl and docker print it: Go's encoding/json escapes <, > and & too (encode.go HTMLEscape)."""
    return json.dumps(value, ensure_ascii=False)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026")


def plant(*names: str, tricky: bool = False) -> Planted:
    """A distinct value per name; `tricky` adds the characters JSON and URLs escape."""
    extra = '"\\/+& ' if tricky else ""
    return Planted({name: f"plant{extra}{name.lower()}-{secrets.token_hex(8)}" for name in names})


def private_tmp(bed_env) -> dict[str, str]:
    """TMPDIR for the run: a folder of the test's own, so every temp file it leaves can be read."""
    tmp = bed_env.root / "tmp"
    tmp.mkdir(exist_ok=True)
    return {"TMPDIR": str(tmp)}


@dataclass
class Seen:
    """argv and environment of every process seen while the watch ran, by pid."""
    argv: dict[int, str] = field(default_factory=dict)
    environ: dict[int, str] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)

    def lineage(self, pid: int) -> Iterator[str]:
        """The argv of pid and of each ancestor seen."""
        while pid in self.argv:
            yield self.argv[pid]
            pid = self.parent.get(pid, 0)


def _sample(seen: Seen, own: set[int]) -> None:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in own:
            continue
        pid = int(entry.name)
        # environ first: a process in execve or exiting reads an empty cmdline; read after its environ, the
        # cmdline is the one that goes with it. An empty read never replaces an argv already seen.
        with contextlib.suppress(OSError):
            environ = (entry / "environ").read_bytes().replace(b"\0", b"\n").decode("utf-8", "replace")
            argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            seen.environ[pid] = environ or seen.environ.get(pid, "")
            seen.argv[pid] = argv or seen.argv.get(pid, "")
            seen.parent.setdefault(pid, int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]))


@contextlib.contextmanager
def watch_processes(interval: float = 0.05) -> Iterator[Seen]:
    """Samples /proc (what `ps` and `ps e` show) until the block ends."""
    seen, stop = Seen(), threading.Event()
    own = {os.getpid()}

    def loop() -> None:
        while not stop.is_set():
            _sample(seen, own)
            stop.wait(interval)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()
        _sample(seen, own)


def _is_clusterctl(argv: str) -> bool:
    # clusterctl itself was handed the secrets by the user; only what it passes on counts.
    return "-m clusterctl" in argv or argv.split(" ", 1)[0].endswith("/clusterctl")


def _passed_on_purpose(lineage: Iterator[str], environ: str) -> str:
    """The environment less the variables that its argv, or an ancestor's, names as `--secret id=ID,env=VAR`:
    docker reads a build secret from there (the only way in that is not argv or a file) and hands its whole
    environment to the buildx plugin it runs, so that one variable is no leak there."""
    named = {var for argv in lineage
             for var in re.findall(r"--secret[= ](?:\S*,)?env=([A-Za-z_][A-Za-z0-9_]*)", argv)}
    return "\n".join(line for line in environ.split("\n") if line.split("=", 1)[0] not in named)


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                yield path


def image_history(ref: str) -> str:
    """What `docker history --no-trunc` and the image config show of ref."""
    parts = []
    for argv in (["docker", "history", "--no-trunc", "--format", "{{.CreatedBy}}", ref],
                 ["docker", "image", "inspect", "--format", "{{json .Config}}", ref]):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        parts.append(done.stdout + done.stderr)
    return "\n".join(parts)


def sweep(planted: Planted, *, result=None, bed_env=None, processes: Seen | None = None,
          images: tuple[str, ...] | list[str] = (), texts: dict[str, str] | None = None) -> list[str]:
    """Every place a planted value (in any form) was found: 'where: which'. Empty means no leak.

    Searched: the run's stdout, stderr and JSON report; every file under the test's HOME and TMPDIR
    (kubeconfig excepted: it holds the cluster's own credentials, not the profile's); the argv of every
    process seen, and the environment of every one but clusterctl itself (less a build secret's variable in
    the docker process whose argv names it, and in the plugins it runs); each image's history and config;
    and any extra `texts`."""
    places: dict[str, str] = dict(texts or {})
    if result is not None:
        places["stdout"], places["stderr"] = result.stdout, result.stderr
        if result.report is not None:
            places["JSON report"] = json.dumps(result.report)
    if bed_env is not None:
        for root in (bed_env.home, bed_env.root / "tmp"):
            for path in _files(root):
                if path != bed_env.kubeconfig:
                    places[f"file {path}"] = path.read_bytes().decode("utf-8", "replace")
    if processes is not None:
        for pid, argv in processes.argv.items():
            places[f"argv of pid {pid} ({argv[:80]})"] = argv
            if not _is_clusterctl(argv) and pid in processes.environ:
                places[f"environment of pid {pid} ({argv[:80]})"] = _passed_on_purpose(processes.lineage(pid),
                                                                                        processes.environ[pid])
    for ref in images:
        places[f"image {ref}"] = image_history(ref)
    leaks = []
    for form, what in planted.forms().items():
        leaks += [f"{where}: {what}" for where, text in places.items() if form in text]
    return leaks
