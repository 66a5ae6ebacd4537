"""Where `up` puts the cluster's context: where the user's own kubectl, with the same $KUBECONFIG, looks.

kubectl reads the merge of every existing $KUBECONFIG file and writes a new entry into the only entry,
else the first existing file, else the LAST entry (client-go v0.33.0 tools/clientcmd/config.go
`PathOptions.GetDefaultFilename`, loader.go `Load`); it changes an entry in the file that defines it."""
from __future__ import annotations

import os

import pytest
import yaml

from tests.integration.project import deployment, fresh_project, step


def kubeconfig_env(bed_env, *names: str) -> dict[str, str]:
    return {"KUBECONFIG": os.pathsep.join(str(bed_env.root / "kc" / n) for n in names)}


def user_contexts(bed_env, env: dict[str, str]) -> list[str]:
    """`kubectl config get-contexts -o name` exactly as the user types it: no --kubeconfig."""
    done = bed_env.kubectl("config", "get-contexts", "-o", "name", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def file_contexts(path) -> list[str]:
    return [c["name"] for c in (yaml.safe_load(path.read_text()) or {}).get("contexts") or []]


def other_kubeconfig(path) -> None:
    """A file the user already had, with someone else's context."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "elsewhere",
        "clusters": [{"name": "elsewhere", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "elsewhere", "user": {"token": "t"}}],
        "contexts": [{"name": "elsewhere", "context": {"cluster": "elsewhere", "user": "elsewhere"}}]}))


@pytest.fixture
def app(bed_env):
    with fresh_project(bed_env, "kcfg") as project:
        project.image("web", cmd="sleep 3600")
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        yield project


@pytest.mark.parametrize("driver", ["kind", "minikube"])
@pytest.mark.parametrize("existing, written", [((), "new-b"), (("new-a",), "new-a"), (("new-b",), "new-b")])
def test_up_writes_the_context_where_the_users_kubectl_looks(bed_env, app, driver, existing, written):
    app.driver = driver
    app.profile()
    env = kubeconfig_env(bed_env, "new-a", "new-b")
    for name in existing:
        other_kubeconfig(bed_env.root / "kc" / name)

    result = app.run(bed_env, "up", env=env)

    assert result.code == 0, result.stderr
    assert app.context in user_contexts(bed_env, env)
    assert app.context in file_contexts(bed_env.root / "kc" / written)
    assert not bed_env.kubeconfig.exists()  # ~/.kube/config is not on the user's KUBECONFIG
    pods = bed_env.kubectl("get", "pods", "-n", app.namespace, "-o", "name", env=env, timeout=60)
    assert pods.returncode == 0 and pods.stdout.startswith("pod/web-"), pods.stderr


def test_a_context_kept_in_a_later_file_is_used_where_it_is(bed_env, app):
    app.profile()
    env = kubeconfig_env(bed_env, "new-a", "new-b")
    assert app.run(bed_env, "up", env=env).code == 0
    later = bed_env.root / "kc" / "new-b"
    assert app.context in file_contexts(later)
    other_kubeconfig(bed_env.root / "kc" / "new-a")  # now the first existing file, without our context

    again = app.run(bed_env, "up", env=env)

    assert again.code == 0, again.stderr
    assert not again.report["changed"] and step(again.report, "cluster")["status"] == "skipped"
    down = app.run(bed_env, "down", env=env)
    assert down.code == 0, down.stderr
    assert app.context not in file_contexts(later)
    assert user_contexts(bed_env, env) == ["elsewhere"]


def test_a_stale_cluster_entry_in_an_earlier_file_is_pointed_out(bed_env, app):
    """kubectl takes each name from the first file defining it, so the user's kubectl would reach another
    server than clusterctl does through the file holding the context."""
    app.profile()
    env = kubeconfig_env(bed_env, "new-a", "new-b")
    assert app.run(bed_env, "up", env=env).code == 0
    stale = bed_env.root / "kc" / "new-a"
    stale.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "clusters": [
        {"name": app.context, "cluster": {"server": "https://127.0.0.1:1"}}]}))

    again = app.run(bed_env, "up", env=env)

    assert again.code == 0, again.stderr
    assert any(f"cluster {app.context!r} from {stale}" in note for note in again.report["notes"]), again.report
