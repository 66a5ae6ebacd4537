"""clusterctl's state folder, ~/.clusterctl (CLUSTERCTL_HOME): private to its user whatever the umask.

It holds the identity records of the clusters clusterctl made (guard.py trusts them), the run locks and
caches. Folders are 0700 and files 0600. A folder of ours with looser modes is tightened with the files it
holds; one owned by someone else is refused: its owner could read or replace what clusterctl trusts.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from clusterctl.errors import BadInput


def home() -> Path:
    return Path(os.environ.get("CLUSTERCTL_HOME") or Path.home() / ".clusterctl")


def folder(*parts: str) -> Path:
    """home()/parts..., every level made 0700 or checked and tightened."""
    path = home()
    path.parent.mkdir(parents=True, exist_ok=True)  # the folders above are the user's, modes left alone
    _private(path)
    for part in parts:
        path = path / part
        _private(path)
    return path


def _private(path: Path) -> None:
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.stat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise BadInput(f"{path} is not a folder; clusterctl keeps its state there",
                       hint="move it away, or set CLUSTERCTL_HOME to a folder of your own")
    if info.st_uid != os.getuid():
        raise BadInput(f"{path} belongs to uid {info.st_uid}, not to you (uid {os.getuid()}); clusterctl keeps "
                       "cluster identities and locks there and will not trust a folder someone else controls",
                       hint=f"`chown -R {os.getuid()} {path}` if it is yours, or set CLUSTERCTL_HOME to a folder "
                            "of your own")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(path, 0o700)
        for entry in os.scandir(path):
            if entry.is_file(follow_symlinks=False):
                os.chmod(entry.path, 0o600)


def _folders_of(path: Path) -> None:
    folder(*path.parent.relative_to(home()).parts)


def write_text(path: Path, text: str) -> None:
    """Replace `path` (under home(), its folders made private first) at once with a 0600 file. The temporary
    name is created exclusively and without following links, so nothing planted there is written through."""
    _folders_of(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "w") as handle:
        os.fchmod(fd, 0o600)  # the umask may have taken bits off; exact modes make a check simple
        handle.write(text)
    os.replace(tmp, path)


def open_private(path: Path) -> int:
    """A file descriptor on `path` (under home(), its folders made private first), made 0600 if absent, never
    through a symbolic link, not inherited by children."""
    _folders_of(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BadInput(f"{path} is a symbolic link; clusterctl does not open its files through links",
                           hint=f"remove it (`rm {path}`) and rerun") from None
        raise
    os.fchmod(fd, 0o600)
    return fd
