"""The one seam through which clusterctl runs external commands (docker, kind, minikube, kubectl).

Only this module starts processes. A command is an argv list, never a shell string; its stdin and
environment may carry secrets, so neither is ever shown. Children inherit clusterctl's environment
minus the variables the profile names as secret (`withhold`); a command that needs one names it in
its own env. A result carries argv, exit code, output and duration; `Result.check` turns a failure
into `CommandFailed`, which shows the command and its output.
"""

from __future__ import annotations

import os
import shlex
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol

from clusterctl import redact
from clusterctl.errors import ClusterctlError, CommandFailed, Interrupted, MissingTool

OutputSink = Callable[[str], None]


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    stdin: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    timeout: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "argv", tuple(str(a) for a in self.argv))

    def display(self) -> str:
        shown = shlex.join(self.argv)
        if self.stdin is not None:
            shown += " <stdin>"
        return redact.redact(shown)


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    duration: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def check(self, failure: type[ClusterctlError] = ClusterctlError, hint: str | None = None) -> "Result":
        if not self.ok:
            raise CommandFailed(self, failure=failure, hint=hint)
        return self


class Runner(Protocol):
    def run(self, cmd: Command, on_output: OutputSink | None = None) -> Result: ...

    def which(self, tool: str) -> str | None: ...


class LocalRunner:
    """Runs commands with `sh`, each in its own session so an interrupt can stop the whole child tree."""

    def __init__(self, observer: Callable[[Command], None] | None = None, withhold: Iterable[str] = ()):
        self._observer = observer
        self._withhold = frozenset(withhold)
        self._running: dict[int, object] = {}
        self._lock = threading.Lock()
        self._stopping = False  # set by terminate_all: a job still in flight must not start more

    def which(self, tool: str) -> str | None:
        return shutil.which(tool)

    def run(self, cmd: Command, on_output: OutputSink | None = None) -> Result:
        import sh  # deferred: `clusterctl --help` must not pay for it

        if self._observer:
            self._observer(cmd)
        path = self.which(cmd.argv[0])
        if path is None:
            raise MissingTool(f"{cmd.argv[0]} is not installed or not on PATH")
        out: list[str] = []
        err: list[str] = []

        def sink(buffer: list[str]) -> Callable[[str], None]:
            def take(line: str) -> None:
                buffer.append(line)
                on_output(redact.redact(line.rstrip("\n")))
            return take

        # sh's line callbacks cost ~0.1 s per command (its reader threads' poll interval), so only
        # commands whose output is shown live (build, push, load) stream; the rest are read at exit.
        streams = {"_out": sink(out), "_err": sink(err)} if on_output else {}

        with self._lock:
            if self._stopping:
                raise Interrupted(f"not started, stopping: {cmd.display()}")
        started = time.monotonic()
        proc = sh.Command(path)(
            *cmd.argv[1:],
            _in=cmd.stdin,
            _env={**{k: v for k, v in os.environ.items() if k not in self._withhold}, **cmd.env},
            _cwd=str(cmd.cwd) if cmd.cwd else None,
            **streams,
            _bg=True,
            _bg_exc=False,
            _new_session=True,
            _ok_code=list(range(-64, 256)),
            _timeout=cmd.timeout,
            _decode_errors="replace",
        )
        with self._lock:
            self._running[id(proc)] = proc
            if self._stopping:  # started while terminate_all ran
                _signal_group(proc.pid, "SIGKILL")
        try:
            proc.wait()
            code = proc.exit_code
        except sh.TimeoutException:
            code = 124
            err.append(f"timed out after {cmd.timeout}s\n")
        # Not in a `finally`: a Ctrl-C raised while this thread waits must leave the child registered,
        # or terminate_all would not know it and it would outlive clusterctl.
        with self._lock:
            self._running.pop(id(proc), None)
        if not on_output:
            out, err = [proc.stdout.decode("utf-8", "replace")], [proc.stderr.decode("utf-8", "replace"), *err]
        return Result(cmd.argv, code, "".join(out), "".join(err), time.monotonic() - started)

    def terminate_all(self) -> None:
        """Stop every running child (Ctrl-C, SIGTERM): TERM to its process group, KILL after a grace period."""
        with self._lock:
            self._stopping = True
            procs = list(self._running.values())
        for proc in procs:
            _signal_group(proc.pid, "SIGTERM")
        deadline = time.monotonic() + 5
        for proc in procs:
            while _group_alive(proc) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _group_alive(proc):
                _signal_group(proc.pid, "SIGKILL")


def _group_alive(proc) -> bool:
    """The child, or a process it started in its group: `docker run -d` (kind makes its nodes with it)
    catches SIGTERM and finishes its request first, so the tool may be gone while its docker is not."""
    if proc.is_alive():
        return True
    for stat in Path("/proc").glob("[0-9]*/stat"):  # Linux; elsewhere only the child can be watched
        try:
            state, _, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue
        if group == str(proc.pid) and state not in ("Z", "X"):
            return True
    return False


def _signal_group(pid: int, name: str) -> None:
    import signal

    try:
        os.killpg(pid, getattr(signal, name))
    except (ProcessLookupError, PermissionError):
        pass
