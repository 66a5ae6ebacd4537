"""kind's output rules: program output on stdout, everything else on stderr, `-q` mutes stderr."""
from __future__ import annotations

import sys

from .docker import RunError


class KindError(Exception):
    """An error kind prints as `ERROR: <chain>` (plus `Command Output` for a failed command)."""

    def __init__(self, message: str, output: str | None = None):
        super().__init__(message)
        self.output = output

    @classmethod
    def wrap(cls, prefix: str, err: RunError) -> "KindError":
        return cls(f"{prefix}: {err}", err.output)


class KindLog:
    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def info(self, message: str) -> None:
        if self.quiet:
            return
        sys.stderr.write(message if message.endswith("\n") else message + "\n")
        sys.stderr.flush()

    def out(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def error(self, err: KindError) -> None:
        self.info(f"ERROR: {err}")
        if err.output is not None:
            self.info(f"\nCommand Output: {err.output}")


class Status:
    """Progress lines as kind prints them when stderr is not a terminal."""

    def __init__(self, log: KindLog):
        self.log = log
        self.current = ""

    def start(self, step: str) -> None:
        self.end(True)
        self.current = step
        self.log.info(f" • {step}  ...")

    def end(self, success: bool) -> None:
        if self.current:
            self.log.info(f" {'✓' if success else '✗'} {self.current}")
            self.current = ""
