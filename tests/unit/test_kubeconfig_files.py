"""Which kubeconfig file clusterctl uses, by kubectl's rules (client-go v0.33.0 tools/clientcmd:
config.go GetDefaultFilename for a new entry, loader.go Load: the first file defining a name wins)."""
import os

import pytest

from clusterctl.kubeconfig import chain, file_for, shadowed, write_target

KIND_DEV = "contexts:\n- name: kind-dev\n  context: {cluster: kind-dev, user: kind-dev}\n"


def env_of(tmp_path, *names):
    return {"KUBECONFIG": os.pathsep.join(str(tmp_path / n) if n else "" for n in names), "HOME": "/home/dev"}


def test_chain_drops_empty_and_repeated_entries_and_defaults_to_home(tmp_path):
    assert chain(env_of(tmp_path, "a", "", "b", "a")) == [tmp_path / "a", tmp_path / "b"]
    assert [p.as_posix() for p in chain({"HOME": "/home/dev"})] == ["/home/dev/.kube/config"]


@pytest.mark.parametrize("names, existing, target", [
    (("only",), (), "only"),
    (("a", "b"), (), "b"),  # none exists: the LAST entry
    (("a", "b", "c"), ("b", "c"), "b"),
    (("a", "b"), ("a",), "a"),
])
def test_write_target(tmp_path, names, existing, target):
    for name in existing:
        (tmp_path / name).write_text("")
    assert write_target(env_of(tmp_path, *names)) == tmp_path / target


def test_file_for_is_the_first_file_defining_the_context(tmp_path):
    (tmp_path / "a").write_text("contexts: []\n")
    (tmp_path / "b").write_text(KIND_DEV)
    (tmp_path / "c").write_text(KIND_DEV)
    env = env_of(tmp_path, "a", "b", "c")
    assert file_for(env, "kind-dev") == tmp_path / "b"
    assert file_for(env, "kind-other") == tmp_path / "a"  # a new entry goes to the first existing file


def test_file_for_ignores_unreadable_files(tmp_path):
    (tmp_path / "a").write_text("{not yaml: [")
    (tmp_path / "b").mkdir()
    assert file_for(env_of(tmp_path, "a", "b"), "kind-dev") == tmp_path / "a"


def test_shadowed_names_the_earlier_file_kubectl_takes_the_cluster_or_user_from(tmp_path):
    (tmp_path / "a").write_text("clusters: [{name: kind-dev, cluster: {server: 'https://127.0.0.1:1'}}]\n")
    (tmp_path / "b").write_text(KIND_DEV)
    env = env_of(tmp_path, "a", "b")
    assert file_for(env, "kind-dev") == tmp_path / "b"
    assert shadowed(env, tmp_path / "b", "kind-dev") == [f"cluster 'kind-dev' from {tmp_path / 'a'}"]
    assert shadowed(env, tmp_path / "elsewhere", "kind-dev") == []  # an explicit file is used alone
    (tmp_path / "a").write_text("users: [{name: kind-dev, user: {}}]\n")
    assert shadowed(env, tmp_path / "b", "kind-dev") == [f"user 'kind-dev' from {tmp_path / 'a'}"]
