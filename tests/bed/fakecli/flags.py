"""A small pflag-style argv parser, so the stand-ins accept and reject what cobra does."""
from __future__ import annotations

import re
from dataclasses import dataclass


class FlagError(Exception):
    """Worded as pflag words it, e.g. `unknown flag: --foo`."""


@dataclass(frozen=True)
class Flag:
    name: str
    short: str | None = None
    kind: str = "str"  # str | bool | int | list (comma separated, repeatable)
    default: object = None


@dataclass
class Parsed:
    values: dict
    args: list[str]
    changed: set[str]

    def __getitem__(self, name: str):
        return self.values[name]


def parse(argv: list[str], flags: list[Flag], allow_unknown: bool = False) -> Parsed:
    """Parse flags anywhere in argv; `allow_unknown` swallows `--x=v` and bare `--x`."""
    by_long = {f.name: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    values = {f.name: ([] if f.kind == "list" and f.default is None else f.default) for f in flags}
    parsed = Parsed(values, [], set())
    i = 0
    while i < len(argv):
        tok = argv[i]
        i += 1
        if tok == "--":
            parsed.args.extend(argv[i:])
            break
        if tok.startswith("--"):
            name, eq, inline = tok[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                if allow_unknown:
                    continue
                raise FlagError(f"unknown flag: --{name}")
            i = _take(parsed, flag, f"--{name}", inline if eq else None, argv, i)
        elif tok.startswith("-") and len(tok) > 1:
            i = _short(parsed, by_short, tok, argv, i)
        else:
            parsed.args.append(tok)
    return parsed


def _short(parsed: Parsed, by_short: dict, tok: str, argv: list[str], i: int) -> int:
    letters = tok[1:]
    while letters:
        letter, letters = letters[0], letters[1:]
        flag = by_short.get(letter)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: {letter!r} in {tok}")
        if flag.kind == "bool":
            inline = letters[1:] if letters.startswith("=") else None
            _set(parsed, flag, f"-{letter}", inline if inline is not None else "true")
            if inline is not None:
                return i
            continue
        value = letters[1:] if letters.startswith("=") else letters
        return _take(parsed, flag, f"'{letter}' in -{letter}", value or None, argv, i)
    return i


def _take(parsed: Parsed, flag: Flag, shown: str, inline: str | None, argv: list[str], i: int) -> int:
    if inline is None and flag.kind == "bool":
        inline = "true"
    if inline is None:
        if i >= len(argv):
            raise FlagError(f"flag needs an argument: {shown}")
        inline, i = argv[i], i + 1
    _set(parsed, flag, f"--{flag.name}", inline)
    return i


def _set(parsed: Parsed, flag: Flag, shown: str, raw: str) -> None:
    parsed.changed.add(flag.name)
    if flag.kind == "bool":
        parsed.values[flag.name] = _bool(raw, shown)
    elif flag.kind == "int":
        try:
            parsed.values[flag.name] = int(raw)
        except ValueError:
            raise FlagError(
                f'invalid argument "{raw}" for "{shown}" flag: '
                f'strconv.ParseInt: parsing "{raw}": invalid syntax') from None
    elif flag.kind == "list":
        parsed.values[flag.name] = [*parsed.values[flag.name], *(v for v in raw.split(",") if v)]
    else:
        parsed.values[flag.name] = raw


def _bool(raw: str, shown: str) -> bool:
    if raw in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if raw in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise FlagError(f'invalid argument "{raw}" for "{shown}" flag: '
                    f'strconv.ParseBool: parsing "{raw}": invalid syntax')


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def go_duration(raw: str, shown: str) -> float:
    """Seconds in a Go duration (`30s`, `1m30s`); a bare number is pflag's error."""
    if raw in ("0", ""):
        return 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", raw)
    if not parts or "".join(n + u for n, u in parts) != raw.lstrip("+"):
        why = "missing unit in duration" if re.fullmatch(r"\d+(\.\d+)?", raw) else "invalid duration"
        raise FlagError(f'invalid argument "{raw}" for "{shown}" flag: time: {why} "{raw}"')
    return sum(float(n) * _UNITS[u] for n, u in parts)


def go_format_duration(seconds: float) -> str:
    """Go's Duration.String() for whole seconds: 0s, 12s, 1m0s, 1h2m3s."""
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}h{m}m{s}s"
    if m:
        return f"{m}m{s}s"
    return f"{s}s"
