"""The identity guard refuses a context that no longer points at the cluster clusterctl created."""

import base64
import textwrap

import pytest

from clusterctl import identity
from clusterctl.errors import Busy, WrongCluster
from clusterctl.kubeconfig import endpoint
from clusterctl.lock import cluster_lock


def kubeconfig(path, server="https://127.0.0.1:40123", ca=b"CA-1"):
    path.write_text(textwrap.dedent(f"""\
        apiVersion: v1
        kind: Config
        clusters: [{{name: kind-dev, cluster: {{server: "{server}", certificate-authority-data: {base64.b64encode(ca).decode()}}}}}]
        contexts: [{{name: kind-dev, context: {{cluster: kind-dev, user: kind-dev}}}}]
        users: [{{name: kind-dev, user: {{}}}}]
        """))
    return path


@pytest.fixture
def stamped(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    config = kubeconfig(tmp_path / "config")
    stamp = identity.new_stamp("dev", "kind-dev", endpoint(config, "kind-dev"))
    identity.remember(config, stamp)
    return config, stamp


def test_the_same_cluster_passes(stamped):
    config, stamp = stamped
    found = identity.compare(config, "kind-dev", port_moves=False)
    assert (found.refusal, found.stamp, found.moved) == (None, stamp, False)
    identity.verify_live(stamp, stamp.id)


@pytest.mark.parametrize("change", [{"server": "https://10.0.0.5:6443"}, {"ca": b"another CA"},
                                    {"server": "https://127.0.0.1:40999", "ca": b"another CA"}])
@pytest.mark.parametrize("port_moves", [False, True])
def test_a_context_pointing_elsewhere_is_refused_naming_both_servers(stamped, change, port_moves):
    config, stamp = stamped
    kubeconfig(config, **change)
    refusal = identity.compare(config, "kind-dev", port_moves).refusal
    assert "now points at" in refusal.message
    assert stamp.server in refusal.message and change.get("server", stamp.server) in refusal.message


def test_a_loopback_port_move_with_the_same_ca_is_left_to_the_stamp_only_where_ports_move(stamped):
    config, stamp = stamped
    kubeconfig(config, server="https://127.0.0.1:40999")
    moved = identity.compare(config, "kind-dev", port_moves=True)
    assert moved.refusal is None and moved.moved and moved.seen.server == "https://127.0.0.1:40999"
    assert identity.compare(config, "kind-dev", port_moves=False).refusal is not None  # kind: fixed at creation
    kubeconfig(config, server="https://localhost:40999")  # another host, even a loopback one
    assert identity.compare(config, "kind-dev", port_moves=True).refusal is not None


def test_a_cluster_with_another_or_no_stamp_is_refused(stamped):
    config, stamp = stamped
    with pytest.raises(WrongCluster, match="no identity ConfigMap"):
        identity.verify_live(stamp, None)
    with pytest.raises(WrongCluster, match="identity 0000"):
        identity.verify_live(stamp, "0000")


def test_a_cluster_clusterctl_never_created_is_refused_with_the_adopt_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    config = kubeconfig(tmp_path / "config")
    refusal = identity.compare(config, "kind-dev", port_moves=False).refusal
    assert "--adopt" in refusal.hint


def test_ca_from_a_file_and_plain_http(tmp_path):
    ca = tmp_path / "ca.crt"
    ca.write_bytes(b"PEM")
    config = tmp_path / "config"
    config.write_text(textwrap.dedent(f"""\
        clusters: [{{name: a, cluster: {{server: "https://x", certificate-authority: {ca}}}}},
                   {{name: b, cluster: {{server: "http://127.0.0.1:8080"}}}}]
        contexts: [{{name: a, context: {{cluster: a}}}}, {{name: b, context: {{cluster: b}}}}]
        """))
    assert endpoint(config, "a").ca_fingerprint == __import__("hashlib").sha256(b"PEM").hexdigest()
    assert endpoint(config, "b").ca_fingerprint == "none"
    assert endpoint(config, "missing") is None


def test_lock_refuses_with_no_wait_and_names_the_holder(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    config = tmp_path / "config"
    said = []
    with cluster_lock(config, "kind-dev", "up", wait=False, say=said.append):
        import multiprocessing

        def second(queue):
            try:
                with cluster_lock(config, "kind-dev", "down", wait=False, say=print):
                    queue.put("acquired")
            except Busy as exc:
                queue.put(exc.message)

        queue = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(target=second, args=(queue,))
        child.start()
        child.join(60)  # generous bounds for a loaded machine; the child answers in milliseconds
        message = queue.get(timeout=60)
    assert message.startswith("`clusterctl up` (pid ") and "is running on context 'kind-dev'" in message


def test_lock_of_a_killed_run_is_free_and_reported(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    config = tmp_path / "config"
    lock_file = tmp_path / "home" / "locks" / f"{identity.key(config, 'kind-dev')}.lock"
    lock_file.parent.mkdir(parents=True)
    lock_file.write_text(json.dumps({"pid": 999999, "verb": "up", "started": 0}))  # its process is gone
    said = []
    with cluster_lock(config, "kind-dev", "up", wait=False, say=said.append):
        pass
    assert said and "ended without finishing" in said[0]
