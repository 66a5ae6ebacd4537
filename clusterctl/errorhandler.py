"""The one place that turns outcomes into exit codes (README: Exit codes). Expected errors never show a
traceback; unexpected ones show one without locals, since kubeconfigs and tokens live there."""

from __future__ import annotations

import os
import signal
import sys
import traceback

from clusterctl import redact
from clusterctl.errors import ClusterctlError

UNEXPECTED, BAD_INPUT, INTERRUPTED = 1, 2, 130


def _wants_json(argv: list[str]) -> bool:
    return any(a in ("-o=json", "--output=json") for a in argv) or any(
        a in ("-o", "--output") and b == "json" for a, b in zip(argv, argv[1:]))


def _report(error: ClusterctlError, as_json: bool) -> None:
    if as_json:
        doc = {"schema": "clusterctl.dev/report/v1", "ok": False,
               "error": {"kind": error.kind, "exitCode": error.exit_code, "message": error.message,
                         "hint": error.hint, "details": error.details}}
        print(redact.dumps(doc, indent=2))
        return
    lines = [f"error: {error.message}", *(f"  {d}" for d in error.details)]
    if error.hint:
        lines.append(f"hint: {error.hint}")
    print(redact.redact("\n".join(lines)), file=sys.stderr)


def _sigterm_as_interrupt(signum, frame):
    # One path for Ctrl-C and SIGTERM, from the first instruction: children stopped, exit 130.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    import typer
    from typer.main import get_command

    from clusterctl.cli import app

    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    try:
        # Without standalone mode, typer returns a command's exit code instead of raising Exit.
        code = get_command(app).main(args=argv, prog_name="clusterctl", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return INTERRUPTED
    except typer.TyperException as exc:  # usage errors and bad parameters (typer vendors click)
        exc.show()
        return BAD_INPUT
    except ClusterctlError as exc:
        _report(exc, _wants_json(argv))
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as exc:  # the last resort: a bug, reported without locals
        print(redact.redact(f"unexpected error: {type(exc).__name__}: {exc}"), file=sys.stderr)
        if os.environ.get("CLUSTERCTL_DEBUG"):
            print(redact.redact("".join(traceback.format_exception(exc))), file=sys.stderr)
        else:
            print("set CLUSTERCTL_DEBUG=1 to see the traceback, and please report it", file=sys.stderr)
        return UNEXPECTED
