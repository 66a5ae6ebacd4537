"""Find a profile: a path to a YAML file, or a name looked up as profiles/<name>.yaml upwards from cwd."""

from __future__ import annotations

from pathlib import Path

from clusterctl.errors import BadInput
from clusterctl.profile.check import is_dir, is_file, path_problem, suggest

PROFILES_DIR = "profiles"
SUFFIXES = (".yaml", ".yml")


def is_path(arg: str) -> bool:
    return "/" in arg or "\\" in arg or arg.endswith(SUFFIXES) or arg in (".", "..")


def resolve(arg: str, cwd: Path | None = None) -> Path:
    cwd = (cwd or Path.cwd()).absolute()
    if not arg:
        raise BadInput("no profile given", hint="pass a profile name (profiles/<name>.yaml) or a path to a YAML file")
    if is_path(arg):
        return _existing_file(cwd / Path(arg).expanduser())
    searched = [cwd, *cwd.parents]
    for directory in searched:
        for suffix in SUFFIXES:
            candidate = directory / PROFILES_DIR / f"{arg}{suffix}"
            if is_file(candidate):
                return candidate.resolve()
    raise _unknown(arg, searched)


def available(directories: list[Path]) -> list[tuple[str, Path]]:
    """(name, profiles dir) of every profile in the profiles/ folders of these directories, nearest first."""
    found: dict[str, Path] = {}
    for directory in directories:
        folder = directory / PROFILES_DIR
        if is_dir(folder):
            for file in sorted(folder.iterdir()):
                if file.suffix in SUFFIXES and is_file(file):
                    found.setdefault(file.stem, folder)
    return list(found.items())


def _existing_file(path: Path) -> Path:
    problem = path_problem(path, "file")
    if problem:
        raise BadInput(f"cannot read the profile: {problem}", hint="give the path of a profile YAML file")
    return path.resolve()


def _unknown(arg: str, searched: list[Path]) -> BadInput:
    names = [name for name, _ in available(searched)]
    listing = f"available: {', '.join(names)}" if names else "no profiles found"
    where = ", ".join(str(d / PROFILES_DIR) for d in searched)
    return BadInput(f'no profile named "{arg}"{suggest(arg, names)}; {listing}',
                    hint=f"looked for {arg}.yaml in {where}; or pass a path to a profile file")
