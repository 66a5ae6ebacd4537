"""The kubelet's pure parts: image references, back-off, `docker run` argv, environment and the
log refusals, checked without docker."""
from __future__ import annotations

import base64
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.bed.apiserver.store import Store
from tests.bed.kubelet import env, logs, runspec
from tests.bed.kubelet.backoff import Backoff, go_duration
from tests.bed.kubelet.docker import Result
from tests.bed.kubelet.imageref import InvalidImageName, normalise
from tests.bed.kubelet.images import Image, ImageError, ImageManager

pytestmark = pytest.mark.integration

OPTS = SimpleNamespace(name="unit", state_dir="/bed/kind/unit")
IMAGE = Image("docker.io/library/app:1", "sha256:" + "a" * 64, "sha256:" + "a" * 64)


@pytest.mark.parametrize("ref, want", [
    ("bff:1", "docker.io/library/bff:1"),
    ("u/bff:1", "docker.io/u/bff:1"),
    ("ghcr.io/o/bff:1", "ghcr.io/o/bff:1"),
    ("busybox", "docker.io/library/busybox:latest"),
    ("127.0.0.1:5000/app:2", "127.0.0.1:5000/app:2"),
    ("localhost/app", "localhost/app:latest"),
])
def test_references_are_normalised_like_containerd(ref, want):
    assert normalise(ref) == want


def test_unparsable_references_carry_the_kubelet_message():
    with pytest.raises(InvalidImageName) as err:
        normalise("Busy:1")
    assert str(err.value) == ('Failed to apply default image tag "Busy:1": couldn\'t parse image '
                              'name "Busy:1": invalid reference format: repository name (Busy) '
                              "must be lowercase")


def test_durations_print_like_go():
    assert [go_duration(s) for s in (0.3, 0.5, 1, 2.5, 10, 80, 300)] == \
        ["300ms", "500ms", "1s", "2.5s", "10s", "1m20s", "5m0s"]


def test_backoff_doubles_to_its_cap_and_forgets_after_a_quiet_spell():
    now = [100.0]
    b = Backoff(0.5, 2.0, clock=lambda: now[0])
    assert not b.in_backoff()
    seen = []
    for _ in range(4):
        b.next()
        seen.append(b.duration)
    assert seen == [0.5, 1.0, 2.0, 2.0]
    assert b.in_backoff() and b.remaining() == 2.0
    now[0] += 5  # more than 2*cap without a failure
    b.next()
    assert b.duration == 0.5


def pod(**spec) -> dict:
    return {"metadata": {"name": "web-1", "namespace": "shop", "uid": "u-1"},
            "spec": {"containers": [{"name": "app", "image": "app:1"}], **spec}}


def test_run_argv_maps_the_container_spec_without_any_variable_value():
    container = {"name": "app", "image": "app:1", "command": ["/bin/server", "--port"],
                 "args": ["$(PORT)"], "workingDir": "/srv",
                 "env": [{"name": "PORT", "value": "8080"}],
                 "resources": {"limits": {"memory": "64Mi", "cpu": "500m"}},
                 "securityContext": {"runAsUser": 1000}}
    argv = runspec.run_argv(OPTS, pod(securityContext={"runAsGroup": 3000}), container, IMAGE, 2,
                            "/tmp/env-file", ["CERT"])
    assert argv[:4] == ["run", "-d", "--name", "k8s_app_web-1_shop_u-1_2"]
    joined = " ".join(argv)
    for expected in ("--network none", "--label clusterctl-bed.cluster=unit",
                     "--label clusterctl-bed.state-dir=/bed/kind/unit",
                     "--label io.kubernetes.pod.uid=u-1", "--env-file /tmp/env-file", "-e CERT",
                     "--memory 67108864 --memory-swap 67108864", "--cpus 0.5",
                     "--user 1000:3000", "--workdir /srv"):
        assert expected in joined
    assert argv[-5:] == ["--entrypoint", "/bin/server", IMAGE.run_as, "--port", "8080"]


def test_start_passes_values_through_a_private_env_file_or_the_cli_environment():
    seen = {}

    class FakeDocker:
        def run(self, *argv, env=None):
            path = argv[argv.index("--env-file") + 1]
            seen.update(argv=argv, env=env, content=Path(path).read_text(),
                        mode=stat.S_IMODE(os.stat(path).st_mode), path=path)
            return Result(0, "cid\n", "")

    variables = {"DB_URL": "postgres://user:s3cret@db/shop", "CERT": "-----BEGIN-----\nxyz\n"}
    res = runspec.start(FakeDocker(), OPTS, pod(), {"name": "app", "image": "app:1"}, IMAGE, 0,
                        variables)
    assert res.out == "cid\n"
    assert not any("s3cret" in a or "xyz" in a for a in seen["argv"])
    assert seen["content"] == "DB_URL=postgres://user:s3cret@db/shop\n" and seen["mode"] == 0o600
    assert seen["env"] == {"CERT": "-----BEGIN-----\nxyz\n"} and "CERT" in seen["argv"]
    assert not Path(seen["path"]).exists(), "the env file is removed once docker run returns"


def test_registries_off_this_host_are_never_contacted():
    class NoDocker:
        def run(self, *argv, **kwargs):
            raise AssertionError(f"docker {argv} must not run")

    manager = ImageManager(NoDocker(), None, SimpleNamespace(current=dict))
    events: list[tuple] = []
    with pytest.raises(ImageError) as err:
        manager.ensure(pod(), {"name": "app", "image": "nginx:1.27"}, Backoff(0.5, 5.0),
                       lambda *event: events.append(event))
    ref = "docker.io/library/nginx:1.27"
    assert (err.value.reason, err.value.message) == ("ErrImagePull", (
        f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": failed to '
        'do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.27": dial '
        "tcp: lookup registry-1.docker.io: no such host"))
    assert [e[1] for e in events] == ["Pulling", "Failed"]


@pytest.fixture
def store():
    s = Store(gc_delay=0.01, namespace_delay=0.01)
    s.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    yield s
    s.close()


def resolve(store, *variables, env_from=()):
    container = {"name": "app", "image": "app:1", "env": list(variables), "envFrom": list(env_from)}
    return env.resolve(store, pod(), container, {"cpu": "4", "memory": "8Gi"})


def secret_ref(name: str, key: str, **extra) -> dict:
    return {"name": "DB", "valueFrom": {"secretKeyRef": {"name": name, "key": key, **extra}}}


def test_environment_messages_match_the_kubelet(store):
    with pytest.raises(env.ConfigError, match=r'^secret "db-config" not found$'):
        resolve(store, secret_ref("db-config", "db-url"))
    store.create({"apiVersion": "v1", "kind": "Secret",
                  "metadata": {"name": "db-config", "namespace": "shop"},
                  "data": {"other": base64.b64encode(b"x").decode()}})
    with pytest.raises(env.ConfigError,
                       match=r"^couldn't find key db-url in Secret shop/db-config$"):
        resolve(store, secret_ref("db-config", "db-url"))
    with pytest.raises(env.ConfigError, match=r'^configmap "settings" not found$'):
        resolve(store, env_from=[{"configMapRef": {"name": "settings"}}])
    assert resolve(store, secret_ref("db-config", "db-url", optional=True)) == {}


def test_environment_sources_resolve_in_order(store):
    store.create({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "settings", "namespace": "shop"},
                  "data": {"MODE": "prod", "LEVEL": "info"}})
    got = resolve(store, {"name": "LEVEL", "value": "debug"},
                  {"name": "WHO", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                  {"name": "GREETING", "value": "$(WHO) in $(CFG_MODE), $$(WHO) $(NOPE)"},
                  {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory",
                                                                     "divisor": "1Gi"}}},
                  env_from=[{"configMapRef": {"name": "settings"}, "prefix": "CFG_"}])
    assert got == {"CFG_MODE": "prod", "CFG_LEVEL": "info", "LEVEL": "debug", "WHO": "web-1",
                   "GREETING": "web-1 in prod, $(WHO) $(NOPE)", "MEM": "8"}


def logged_pod(state: dict, last: dict | None = None, containers=("app",)) -> dict:
    p = pod()
    p["spec"]["containers"] = [{"name": n, "image": "app:1"} for n in containers]
    p["spec"]["nodeName"] = "n1"
    p["status"] = {"containerStatuses": [{"name": "app", "state": state,
                                          "lastState": {"terminated": last} if last else {}}]}
    return p


@pytest.mark.parametrize("pod_, container, previous, message", [
    (logged_pod({"running": {}}), "web", False, "container web is not valid for pod web-1"),
    (logged_pod({"running": {}}, containers=("app", "side")), None, False,
     "a container name must be specified for pod web-1, choose one of: [app side]"),
    (logged_pod({"running": {}}), "app", True,
     'previous terminated container "app" in pod "web-1" not found'),
    (logged_pod({"waiting": {"reason": "ImagePullBackOff"}}), "app", False,
     'container "app" in pod "web-1" is waiting to start: trying and failing to pull image'),
    (logged_pod({"waiting": {"reason": "ContainerCreating"}}), "app", False,
     'container "app" in pod "web-1" is waiting to start: ContainerCreating'),
])
def test_log_refusals_carry_the_real_messages(pod_, container, previous, message):
    store = SimpleNamespace(get=lambda *a: pod_)
    provide = logs.provider(store, docker=None)
    with pytest.raises(ValueError) as err:
        provide("shop", "web-1", container, previous, None, False)
    assert str(err.value) == message


class SizedDocker:
    """`docker image inspect --format '{{.Id}} {{.Size}}' ID...` from a table."""

    def __init__(self, sizes: dict[str, int]):
        self.sizes = sizes

    def run(self, *args: str, **_) -> Result:
        ids = args[args.index("{{.Id}} {{.Size}}") + 1:]
        return Result(0, "".join(f"{i} {self.sizes[i]}\n" for i in ids if i in self.sizes), "")


def test_node_status_images_are_capped_largest_first_with_five_names_each():
    from tests.bed.kubelet.nodestatus import MAX_IMAGES, image_list, system_images

    loaded = {f"docker.io/library/app{n:02d}:1": f"sha256:{n:064x}" for n in range(60)}
    loaded.update({f"docker.io/library/alias{n}:1": f"sha256:{0:064x}" for n in range(7)})
    sizes = {f"sha256:{n:064x}": 1000 + n for n in range(60)}
    listed = image_list("kind", "v1.32.0", loaded, SizedDocker(sizes))
    assert len(listed) == MAX_IMAGES
    assert [i["sizeBytes"] for i in listed] == sorted((i["sizeBytes"] for i in listed), reverse=True)
    system = {ref for ref, _, _ in system_images("kind", "v1.32.0")}
    assert system <= {n for i in listed for n in i["names"]}  # large: always reported
    reported = {n for i in listed for n in i["names"]}
    assert "docker.io/library/app59:1" in reported and "docker.io/library/app00:1" not in reported
    assert all(len(i["names"]) <= 5 for i in listed)


def test_node_status_images_lag_until_the_next_listing(tmp_path):
    import json

    from tests.bed.apiserver.bootstrap import bootstrap
    from tests.bed.kubelet.images import NodeImages
    from tests.bed.kubelet.nodestatus import NodeImageStatus

    opts = SimpleNamespace(name="unit", flavor="kind", nodes=["n1"], k8s_version="v1.32.0", state_dir=tmp_path,
                           node_cpu="4", node_memory="8Gi", image_list_period=3600)
    store = Store()
    bootstrap(store, opts)
    status = NodeImageStatus(store, opts, SizedDocker({"sha256:" + "b" * 64: 5}), NodeImages(tmp_path))

    def names() -> set[str]:
        images = store.get("v1", "Node", None, "n1")["status"]["images"]
        return {n for i in images for n in i["names"]}

    status.refresh()
    (tmp_path / "node-images.json").write_text(json.dumps({"images": {"docker.io/library/bff:1": "sha256:" + "b" * 64}}))
    assert "docker.io/library/bff:1" not in names()  # loaded, not yet listed
    status.refresh()
    assert "docker.io/library/bff:1" in names()
    store.close()
