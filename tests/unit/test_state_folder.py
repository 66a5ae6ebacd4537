"""~/.clusterctl (CLUSTERCTL_HOME) is private whatever the umask: folders 0700, files 0600; a looser folder
of ours is tightened, one owned by someone else refused; the lock is never opened through a link."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from clusterctl import identity, lintcache, toolversions
from clusterctl.errors import ClusterctlError
from clusterctl.lock import cluster_lock

KUBECONFIG = Path("/nonexistent/kubeconfig")
CONTEXT = "kind-private"


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / "missing" / "state"
    monkeypatch.setenv("CLUSTERCTL_HOME", str(path))
    old = os.umask(0)  # the loosest umask: nothing may rely on it
    yield path
    os.umask(old)


def write_everything() -> None:
    identity.begin_create(KUBECONFIG, CONTEXT)
    identity.remember(KUBECONFIG, identity.Stamp("id", "p", CONTEXT, "https://127.0.0.1:1", "ab", 0.0))
    lintcache.store("0" * 64, [])
    toolversions._remember("/usr/bin/docker", [1, 2], "28.2.2")
    with cluster_lock(KUBECONFIG, CONTEXT, "up", True, lambda _: None):
        pass


def modes(root: Path) -> dict[str, str]:
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def expected(root: Path) -> dict[str, str]:
    return {name: oct(0o700 if (root / name).is_dir() else 0o600) for name in modes(root)}


def test_every_folder_is_0700_and_every_file_0600_whatever_the_umask(home):
    write_everything()

    assert len(modes(home)) >= 8  # home, clusters, locks, cache, cache/lint and their files
    assert modes(home) == expected(home)


def test_a_looser_folder_of_ours_is_tightened_with_what_it_holds(home):
    (home / "clusters").mkdir(parents=True)
    home.chmod(0o755)
    (home / "clusters").chmod(0o777)
    old = home / "clusters" / "old.json"
    old.write_text("{}")
    old.chmod(0o644)

    write_everything()

    assert modes(home) == expected(home)


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
def test_a_folder_owned_by_someone_else_is_refused_with_the_fix(home):
    home.mkdir(parents=True, mode=0o755)
    os.chown(home, 4242, 4242)

    with pytest.raises(ClusterctlError) as raised:
        identity.begin_create(KUBECONFIG, CONTEXT)

    assert str(home) in raised.value.message and "4242" in raised.value.message
    assert "CLUSTERCTL_HOME" in raised.value.hint
    assert not (home / "clusters").exists()


def lock_path(home: Path) -> Path:
    return home / "locks" / f"{identity.key(KUBECONFIG, CONTEXT)}.lock"


@pytest.mark.parametrize("target_exists", [True, False], ids=["to-a-file", "dangling"])
def test_a_link_in_place_of_the_lock_is_refused_naming_it(home, tmp_path, target_exists):
    victim = tmp_path / "victim"
    if target_exists:
        victim.write_text("keep me")
    lock = lock_path(home)
    lock.parent.mkdir(parents=True, mode=0o700)
    home.chmod(0o700)
    lock.symlink_to(victim)

    with pytest.raises(ClusterctlError) as raised:
        with cluster_lock(KUBECONFIG, CONTEXT, "up", True, lambda _: None):
            pytest.fail("ran under a lock opened through a link")

    assert str(lock) in raised.value.message and "link" in raised.value.message
    assert (victim.read_text() if target_exists else victim.exists()) == ("keep me" if target_exists else False)


def test_the_lock_is_not_inherited_by_children(home):
    with cluster_lock(KUBECONFIG, CONTEXT, "up", True, lambda _: None):
        fds = [fd for fd in Path("/proc/self/fd").iterdir()
               if os.path.realpath(fd) == str(lock_path(home))]
        assert fds
        for fd in fds:
            assert not os.get_inheritable(int(fd.name))
