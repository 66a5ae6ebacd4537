"""What a person sees while clusterctl runs: live lines on a terminal, plain lines elsewhere, NO_COLOR,
folded tool output that a failure unfolds, -v, and JSON mode's silence."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clusterctl.console import Console

ROOT = Path(__file__).resolve().parents[2]
SGR = re.compile(r"\x1b\[([0-9;]*)m")


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    encoding = "utf-8"


def plain(text: str) -> str:
    """What the terminal shows once the live region is gone: the permanent lines, escapes removed."""
    text = re.sub(r"\x1b\[\?25[lh]", "", text)
    lines = []
    for raw in text.split("\n"):
        erased = raw.count("\x1b[1A\x1b[2K")  # the live region erasing its lines upwards
        if erased:
            del lines[len(lines) - erased:]
        lines.append(re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\r", "", raw))
    return "\n".join(lines)


def colours(text: str) -> set[str]:
    found = set()
    for params in SGR.findall(text):
        found |= {p for p in params.split(";") if p and (30 <= int(p) <= 38 or 90 <= int(p) <= 97)}
    return found


def build_that_fails(console: Console) -> None:
    console.step_started("Check tools")
    console.step_finished("Check tools", "done", "docker 28.2.2", 0.31)
    console.step_started("Ensure kind cluster 'dev'")
    console.step_finished("Ensure kind cluster 'dev'", "skipped", "exists", 0.2)
    console.step_started("Build 2 images")
    console.command("docker build -t ghcr.io/o/bff:1 .")
    bff, web = console.tool_output("bff"), console.tool_output("web")
    for n in range(20):
        bff(f"bff step {n}")
        web(f"web step {n}")
    bff("main.go:12: undefined: Foo")
    web("Successfully built 1234")
    console.step_finished("Build 2 images", "failed", "image 'bff' failed: command \"docker build\" exited 1", 1.5)


@pytest.fixture(autouse=True)
def colour_allowed(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)


def test_plain_lines_when_stderr_is_not_a_terminal():
    err = Pipe()
    build_that_fails(Console(err=err))
    lines = err.getvalue().splitlines()
    assert lines[:3] == [" ✓ Check tools (docker 28.2.2) [0.3s]",
                         " ↷ Ensure kind cluster 'dev' (exists) [0.2s]",
                         " ✗ Build 2 images (image 'bff' failed: command \"docker build\" exited 1) [1.5s]"]
    assert "\x1b" not in err.getvalue()


def test_a_failure_unfolds_the_last_lines_of_the_failing_tool_only():
    err = Pipe()
    build_that_fails(Console(err=err))
    tail = [line.removeprefix("     │ ") for line in err.getvalue().splitlines()[3:]]
    assert tail == [f"bff step {n}" for n in range(9, 20)] + ["main.go:12: undefined: Foo"]


def test_a_failure_naming_no_tool_shows_the_last_one_that_wrote():
    err = Pipe()
    console = Console(err=err)
    console.step_started("Push images")
    console.tool_output("ghcr.io/o/bff:1")("denied: requested access to the resource is denied")
    console.step_finished("Push images", "failed", "push failed", 0.4)
    assert err.getvalue().splitlines()[-1] == "     │ denied: requested access to the resource is denied"


def test_successful_tool_output_stays_folded():
    err = Pipe()
    console = Console(err=err)
    console.step_started("Build 1 image")
    console.command("docker build .")
    console.tool_output("bff")("Step 1/3 : FROM scratch")
    console.step_finished("Build 1 image", "done", "bff:1", 0.8)
    assert err.getvalue().splitlines() == [" ✓ Build 1 image (bff:1) [0.8s]"]


def test_verbose_shows_every_command_and_the_output_as_it_comes():
    err = Pipe()
    console = Console(verbose=True, err=err)
    console.step_started("Build 1 image")
    console.command("docker build .")
    console.tool_output("bff")("Step 1/3 : FROM scratch")
    console.step_finished("Build 1 image", "failed", "image 'bff' failed", 0.8)
    assert err.getvalue().splitlines() == [" • Build 1 image ...", "   $ docker build .",
                                           "   [bff] Step 1/3 : FROM scratch",
                                           " ✗ Build 1 image (image 'bff' failed) [0.8s]"]


def test_json_mode_prints_nothing_on_stderr_and_no_live_region():
    err = Terminal()
    console = Console(quiet=True, err=err)
    build_that_fails(console)
    console.error("boom", ["detail"], "hint")
    assert err.getvalue() == ""


def test_a_terminal_gets_the_same_lines_in_colour_with_the_failing_tail():
    err = Terminal()
    build_that_fails(Console(err=err))
    shown = plain(err.getvalue()).splitlines()
    assert shown[:3] == [" ✓ Check tools (docker 28.2.2) [0.3s]",
                         " ↷ Ensure kind cluster 'dev' (exists) [0.2s]",
                         " ✗ Build 2 images (image 'bff' failed: command \"docker build\" exited 1) [1.5s]"]
    assert shown[-2:] == ["     │ bff step 19", "     │ main.go:12: undefined: Foo"]
    assert "web step" not in "\n".join(shown)
    assert {"31", "32"} <= colours(err.getvalue())  # red ✗, green ✓


def test_no_color_keeps_the_marks_and_drops_the_colours(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    err = Terminal()
    build_that_fails(Console(err=err))
    assert colours(err.getvalue()) == set()
    assert " ✓ Check tools" in plain(err.getvalue()) and " ✗ Build 2 images" in plain(err.getvalue())


def test_dumb_terminal_is_plain(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    err = Terminal()
    build_that_fails(Console(err=err))
    assert "\x1b" not in err.getvalue()


def test_the_live_region_shows_the_running_step_and_what_its_tools_do():
    from rich.console import Console as RichConsole

    console = Console(err=Terminal())
    console.step_started("Build 1 image")
    console.tool_output("bff")("Step 2/3 : RUN make")
    console.command("kind load docker-image --name dev ghcr.io/o/bff:1")
    screen = RichConsole(file=io.StringIO(), width=100)
    screen.print(console._live._render())
    console.step_finished("Build 1 image", "done", "", 1.0)
    lines = [line.rstrip() for line in screen.file.getvalue().splitlines()]
    assert re.fullmatch(r" \S Build 1 image  \d+\.\ds", lines[0])
    assert lines[1] == "     bff Step 2/3 : RUN make"
    assert re.fullmatch(r"     ↳ loading ghcr.io/o/bff:1 into the nodes  \d+\.\ds", lines[2])


def test_a_push_shows_its_layers_as_a_bar():
    from rich.console import Console as RichConsole

    console = Console(err=Terminal())
    console.step_started("Push images")
    push = console.tool_output("reg/bff:1")
    for line in ["The push refers to repository [reg/bff]", "aaaaaaaaaaaa: Preparing", "bbbbbbbbbbbb: Preparing",
                 "cccccccccccc: Preparing", "aaaaaaaaaaaa: Pushed", "bbbbbbbbbbbb: Layer already exists"]:
        push(line)
    screen = RichConsole(file=io.StringIO(), width=100)
    screen.print(console._live._render())
    console.step_finished("Push images", "done", "", 1.0)
    assert "↑ reg/bff:1" in screen.file.getvalue() and "2/3 layers" in screen.file.getvalue()


def test_the_report_is_a_table_on_a_terminal_and_plain_text_in_a_pipe():
    from clusterctl.report import WorkloadTable

    rows = [["deployment/bff", "1/1", "Ready", "0", "ghcr.io/o/bff:1", "2.0s"]]
    piped, tty = Pipe(), Terminal()
    Console(out=piped, err=Pipe()).print(WorkloadTable(rows))
    Console(out=tty, err=Pipe()).print(WorkloadTable(rows))
    assert piped.getvalue().splitlines()[1] == "deployment/bff  1/1    Ready   0         ghcr.io/o/bff:1  2.0s"
    assert "───" in tty.getvalue() and "\x1b[" in tty.getvalue()


def test_secrets_are_masked_on_a_terminal_too():
    from clusterctl import redact

    redact.register("s3cr3t-token")
    err = Terminal()
    console = Console(err=err)
    console.step_started("Log in")
    console.step_finished("Log in", "failed", "login with s3cr3t-token refused", 0.1)
    assert "s3cr3t-token" not in err.getvalue() and redact.MASK in err.getvalue()


def test_a_plain_console_never_imports_rich():
    probe = ("import io, sys; from clusterctl.console import Console; c = Console(err=io.StringIO()); "
             "c.step_started('x'); c.step_finished('x', 'done', '', 0.1); print('rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["logs", "--help"], ["urls", "--help"]])
def test_help_never_imports_rich(args):
    probe = (f"import sys; from clusterctl.errorhandler import main; main({args!r}); "
             "print('rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr
