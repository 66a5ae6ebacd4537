"""A small Dockerfile parser: enough structure, with line numbers, for the lint rules.

It follows BuildKit's frontend where it matters to us: parser directives (`# escape=`), comments and
blank lines inside continuations, heredocs on RUN/COPY/ADD, flags such as `--platform`, stages named
with `AS`, and global ARG defaults substituted into FROM.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

KEYWORDS = frozenset(
    "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL "
    "STOPSIGNAL USER VOLUME WORKDIR".split()
)
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
_FLAG_KEYWORDS = frozenset({"FROM", "RUN", "COPY", "ADD"})
_DIRECTIVE = re.compile(r"^#\s*(syntax|escape|check)\s*=\s*(.+?)\s*$", re.IGNORECASE)
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_FLAG = re.compile(r"^--([A-Za-z][A-Za-z0-9-]*)(?:=(\"[^\"]*\"|\S*))?(?:\s+|$)")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    args: str  # after the flags; continuation lines joined as BuildKit joins them
    line: int  # 1-based line of the keyword
    flags: dict[str, str] = field(default_factory=dict, compare=False)
    heredocs: tuple[str, ...] = ()

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form instruction, or None for shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return [str(v) for v in value] if isinstance(value, list) else None

    def script(self) -> str:
        """The command text a rule should read: shell form, exec form joined, plus heredoc bodies."""
        argv = self.exec_form()
        text = " ".join(argv) if argv is not None else self.args
        return "\n".join((text, *self.heredocs))


@dataclass
class Stage:
    index: int
    line: int
    base: str | None  # after ARG substitution; None when a variable has no default
    base_text: str  # as written
    name: str | None
    parent: "Stage | None"  # the earlier stage this one is built FROM, if any
    platform: str | None
    instructions: list[Instruction] = field(default_factory=list)


@dataclass
class Dockerfile:
    path: str
    instructions: list[Instruction]
    stages: list[Stage]
    global_args: dict[str, str | None]
    errors: list[tuple[int, str]]
    directives: dict[str, str]

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    lines = text.splitlines()
    directives, start = _directives(lines)
    escape = directives.get("escape", "\\")
    errors: list[tuple[int, str]] = []
    instructions = list(_instructions(lines, start, escape, errors))
    global_args, stages = _stages(instructions, errors)
    errors.sort()
    return Dockerfile(path, instructions, stages, global_args, errors, directives)


def _directives(lines: list[str]) -> tuple[dict[str, str], int]:
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _DIRECTIVE.match(line.strip())
        if not match or match.group(1).lower() in found:
            return found, index
        found[match.group(1).lower()] = match.group(2)
    return found, len(lines)


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _instructions(lines: list[str], index: int, escape: str, errors: list[tuple[int, str]]):
    while index < len(lines):
        if _is_blank_or_comment(lines[index]):
            index += 1
            continue
        first = index
        text, index = _logical_line(lines, index, escape)
        keyword, _, rest = text.strip().partition(" ")
        keyword = keyword.upper()
        if keyword not in KEYWORDS:
            errors.append((first + 1, f"unknown instruction {keyword!r}"))
            continue
        flags, args = _flags(rest.strip()) if keyword in _FLAG_KEYWORDS else ({}, rest.strip())
        heredocs: list[str] = []
        if keyword in _HEREDOC_KEYWORDS:
            for strip_tabs, _, word in _HEREDOC.findall(args):
                body, index = _heredoc(lines, index, word, bool(strip_tabs))
                heredocs.append(body)
        yield Instruction(keyword, args, first + 1, flags, tuple(heredocs))


def _logical_line(lines: list[str], index: int, escape: str) -> tuple[str, int]:
    """Join a line with its continuations; comment and blank lines inside are dropped, as BuildKit does."""
    parts: list[str] = []
    while index < len(lines):
        line = lines[index].rstrip()
        index += 1
        if parts and _is_blank_or_comment(line):
            continue
        if line.endswith(escape):
            parts.append(line[: -len(escape)])
            continue
        parts.append(line)
        break
    return "".join(parts), index


def _heredoc(lines: list[str], index: int, word: str, strip_tabs: bool) -> tuple[str, int]:
    body: list[str] = []
    while index < len(lines):
        line = lines[index]
        index += 1
        if (line.lstrip("\t") if strip_tabs else line) == word:
            break
        body.append(line.lstrip("\t") if strip_tabs else line)
    return "\n".join(body), index


def _flags(text: str) -> tuple[dict[str, str], str]:
    flags: dict[str, str] = {}
    while match := _FLAG.match(text):
        flags[match.group(1).lower()] = (match.group(2) or "").strip('"')
        text = text[match.end() :]
    return flags, text


def key_values(text: str) -> list[tuple[str, str | None]]:
    """ENV/ARG/LABEL pairs: `a=1 b="two words"`, or the legacy `ENV key value with spaces`."""
    try:
        words = shlex.split(text, posix=True)
    except ValueError:
        words = text.split()
    if words and "=" not in words[0]:
        # Legacy `ENV key value`; for ARG a bare name declares it without a default.
        rest = text.strip()[len(words[0]) :].strip()
        return [(words[0], rest or None)] if len(words) > 1 else [(words[0], None)]
    return [(w.partition("=")[0], w.partition("=")[2]) if "=" in w else (w, None) for w in words]


def substitute(text: str, values: dict[str, str | None]) -> str | None:
    """Expand $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alt}; None when a needed value is unknown."""
    unknown = False

    def expand(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match.group(1) or match.group(4)
        value = values.get(name)
        if match.group(2) == ":-":
            return value if value else match.group(3)
        if match.group(2) == ":+":
            return match.group(3) if value else ""
        if value is None:
            unknown = True
            return ""
        return value

    result = _VAR.sub(expand, text)
    return None if unknown else result


def _stages(instructions: list[Instruction], errors: list[tuple[int, str]]):
    global_args: dict[str, str | None] = {}
    stages: list[Stage] = []
    for inst in instructions:
        if inst.keyword == "FROM":
            stages.append(_stage(inst, len(stages), stages, global_args))
        elif stages:
            stages[-1].instructions.append(inst)
        elif inst.keyword == "ARG":
            global_args.update(key_values(inst.args))
        else:
            errors.append((inst.line, f"{inst.keyword} before the first FROM"))
    if not stages and not errors:
        errors.append((1, "no FROM instruction"))
    return global_args, stages


def _stage(inst: Instruction, index: int, earlier: list[Stage], args: dict[str, str | None]) -> Stage:
    words = inst.args.split()
    base_text = words[0] if words else ""
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    base = substitute(base_text, args)
    parent = next((s for s in reversed(earlier) if base and s.name == base.lower()), None)
    platform = inst.flags.get("platform")
    return Stage(index, inst.line, base, base_text, name, parent, platform)
