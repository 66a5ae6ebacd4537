"""Valid profiles: defaults, extends merging, interpolation, relative paths and where each key was written."""

from pathlib import Path

import pytest

from clusterctl import profile
from clusterctl.profile import (
    Build,
    Cluster,
    Image,
    KindSettings,
    ManifestSource,
    MinikubeSettings,
    PortMapping,
    RegistryAuth,
    SecretSpec,
    Shipping,
    Wait,
)

DATA = Path(__file__).parent / "data" / "profiles"
APP = DATA / "app"
PROFILES = DATA / "profiles"


def test_a_profile_by_name_is_found_from_a_nested_directory():
    assert profile.resolve("base", cwd=APP / "src") == PROFILES / "base.yaml"


def test_a_profile_by_path_is_relative_to_cwd():
    assert profile.resolve("profiles/push.yaml", cwd=DATA) == PROFILES / "push.yaml"


def test_base_profile_with_defaults():
    loaded = profile.load("base", cwd=DATA, env={"HOME": "/home/dev"})
    assert loaded.name == "base" and loaded.source == PROFILES / "base.yaml"
    assert loaded.cluster == Cluster(
        name="shop", driver="kind", kubernetes_version="v1.32.0", node_image=None,
        kubeconfig=Path("/home/dev/.kube/config"),
        kind=KindSettings(control_planes=1, workers=1, extra_port_mappings=(PortMapping(30080, 8080, "127.0.0.1", "TCP"),)),
        minikube=MinikubeSettings(),
    )
    assert loaded.namespace == "shop"
    assert loaded.shipping == Shipping(mode="load", registry=None, auth=None, pull_secret=None)
    assert loaded.images == (
        Image("bff", APP, APP / "Dockerfile", (("GO_VERSION", "1.22"),), None, None, "bff"),
        Image("worker", APP, APP / "Dockerfile.dev", (), None, None, "worker"),
    )
    assert loaded.manifests == (ManifestSource(APP / "k8s", "dir"),)
    assert loaded.secrets == (SecretSpec("db", "Opaque", APP / "app.env", (("url", "DB_URL"),)),)
    assert loaded.wait == Wait(timeout_s=120.0, workloads=None, restart_tolerance=2)
    assert loaded.build.parallelism == 4


def test_extends_merges_mappings_images_and_secrets_by_name_and_replaces_lists():
    loaded = profile.load("dev", cwd=DATA, env={"WORKERS": "3"})
    assert loaded.cluster.name == "shop"  # from the base
    assert loaded.cluster.kind.workers == 3  # child wins; interpolated numbers are numbers
    assert loaded.cluster.kind.extra_port_mappings == (PortMapping(30080, 8080),)  # kept from the base
    assert [i.name for i in loaded.images] == ["bff", "worker", "web"]
    bff = loaded.images[0]
    assert bff.target == "runtime" and bff.context == APP
    assert bff.build_args == (("GO_VERSION", "1.22"), ("DEBUG", "true"))
    assert loaded.manifests == (ManifestSource(APP / "overlay", "kustomize"),)
    assert loaded.secrets == (SecretSpec("db", "Opaque", APP / "app.env", (("url", "DB_URL"), ("user", "DB_USER"))),)
    assert loaded.wait == Wait(timeout_s=120.0, workloads=("deployment/bff", "statefulset/db"), restart_tolerance=0)


@pytest.mark.parametrize(
    ("env", "namespace", "workers"),
    [({}, "shop-dev", 2), ({"NAMESPACE": "team-a"}, "team-a", 2), ({"NAMESPACE": "", "WORKERS": "0"}, "shop-dev", 0)],
)
def test_interpolation_defaults(env, namespace, workers):
    loaded = profile.load("dev", cwd=DATA, env=env)
    assert (loaded.namespace, loaded.cluster.kind.workers) == (namespace, workers)


def test_locate_points_at_the_file_that_wrote_each_key():
    loaded = profile.load("dev", cwd=DATA, env={})
    dev, base = str(PROFILES / "dev.yaml"), str(PROFILES / "base.yaml")
    assert loaded.locate("images[0].target") == (dev, 10)
    assert loaded.locate("images[0].context") == (base, 14)
    assert loaded.locate("images[1]") == (base, 17)
    assert loaded.locate("images[2].dockerfile") == (dev, 13)  # defaulted: its image's line
    assert loaded.locate("cluster.name") == (base, 4)
    assert loaded.locate("nowhere.at.all") == (dev, 1)


def test_paths_of_a_base_in_another_directory_stay_relative_to_the_base():
    loaded = profile.load("uses-shared", cwd=DATA, env={})
    shared = DATA / "shared"
    assert loaded.cluster.name == "shared" and loaded.namespace == "shop"
    assert loaded.manifests == (ManifestSource(shared / "k8s" / "app.yaml", "file"),)
    (api,) = loaded.images
    assert api.context == APP / "src"  # the child's override, relative to the child
    assert api.dockerfile == APP / "Dockerfile"  # relative to the context


def test_push_profile():
    loaded = profile.load("push", cwd=DATA, env={"GITHUB_ACTOR": "tiga"})
    assert loaded.shipping == Shipping("push", "ghcr.io/tigaweb", RegistryAuth("tiga", "GHCR_TOKEN"), "ghcr-pull")
    assert [i.repository for i in loaded.images] == ["ghcr.io/tigaweb/bff", "localhost:5000/shop/web"]
    assert loaded.images[1].build_args == (("PRICE", "$5"),)
    assert loaded.cluster.kind == KindSettings(config=APP / "kind-config.yaml")
    assert loaded.build == Build(3)


PULL_TOKEN_PROFILE = """\
apiVersion: clusterctl.dev/v1alpha1
kind: Profile
cluster: {name: ci, driver: kind}
namespace: ci
shipping:
  mode: push
  registry: ghcr.io/tigaweb
  auth:
    username: ${GITHUB_ACTOR}
    passwordEnv: GHCR_TOKEN
    pullUsername: tiga-reader
    pullPasswordEnv: GHCR_PULL_TOKEN
  pullSecret: ghcr-pull
"""


def test_push_profile_with_a_separate_pull_token(tmp_path):
    (tmp_path / "ci.yaml").write_text(PULL_TOKEN_PROFILE)
    loaded = profile.load(str(tmp_path / "ci.yaml"), env={"GITHUB_ACTOR": "tiga"})
    auth = RegistryAuth("tiga", "GHCR_TOKEN", pull_username="tiga-reader", pull_password_env="GHCR_PULL_TOKEN")
    assert loaded.shipping == Shipping("push", "ghcr.io/tigaweb", auth, "ghcr-pull")
    assert loaded.shipping.auth.pull_user == "tiga-reader"
    assert RegistryAuth("tiga", "GHCR_TOKEN", pull_password_env="GHCR_PULL_TOKEN").pull_user == "tiga"


def test_minikube_profile():
    loaded = profile.load("minikube", cwd=DATA, env={"HOME": "/home/dev"})
    assert loaded.cluster.minikube == MinikubeSettings(nodes=2, cpus=4, memory_mb=4096, driver="podman",
                                                      extra_args=("--addons=ingress",))
    assert loaded.cluster.kind == KindSettings()
    assert loaded.cluster.kubeconfig == Path.home() / ".kube" / "mk.yaml"
    assert loaded.wait.timeout_s == 90.0


@pytest.mark.parametrize("existing, chosen", [((), "new-b"), (("new-a",), "new-a"), (("new-b",), "new-b"),
                                             (("new-a", "new-b"), "new-a")])
def test_default_kubeconfig_is_where_kubectl_writes_a_new_entry(tmp_path, existing, chosen):
    """client-go config.go GetDefaultFilename: the first existing entry, else the LAST (not ~/.kube/config)."""
    for name in existing:
        (tmp_path / name).write_text("apiVersion: v1\n")
    env = {"KUBECONFIG": f"{tmp_path / 'new-a'}:{tmp_path / 'new-b'}", "HOME": "/home/dev"}
    assert profile.load("base", cwd=DATA, env=env).cluster.kubeconfig == tmp_path / chosen


def test_default_kubeconfig_is_the_file_that_already_holds_the_context(tmp_path):
    (tmp_path / "a").write_text("apiVersion: v1\ncontexts: []\n")
    (tmp_path / "b").write_text("contexts:\n- name: kind-shop\n  context: {cluster: kind-shop, user: kind-shop}\n")
    env = {"KUBECONFIG": f"{tmp_path / 'a'}:{tmp_path / 'b'}", "HOME": "/home/dev"}
    loaded = profile.load("base", cwd=DATA, env=env)
    assert loaded.cluster.context == "kind-shop" and loaded.cluster.kubeconfig == tmp_path / "b"


def test_loaded_profiles_are_frozen():
    loaded = profile.load("base", cwd=DATA, env={})
    with pytest.raises(AttributeError):
        loaded.namespace = "other"


def test_build_secrets_load_and_merge_key_by_key_next_to_build_args(tmp_path):
    head = "apiVersion: clusterctl.dev/v1alpha1\nkind: Profile\n"
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "base.yaml").write_text(
        head + "cluster: {name: shop, driver: kind}\nnamespace: shop\n"
        "images:\n  - name: web\n    context: ctx\n    secrets: {npm_token: NPM_TOKEN}\n"
        "shipping:\n  mode: push\n  registry: ghcr.io/acme\n  auth: {username: me, passwordEnv: GHCR_TOKEN}\n")
    (tmp_path / "dev.yaml").write_text(
        head + "extends: ./base.yaml\nimages:\n  - name: web\n    secrets: {pip_token: PIP_TOKEN}\n"
        "    buildArgs: {GO_VERSION: '${GO_VERSION:-1.22}'}\n")
    [web] = profile.load(str(tmp_path / "dev.yaml"), env={}).images
    assert web.build_secrets == (("npm_token", "NPM_TOKEN"), ("pip_token", "PIP_TOKEN"))
    assert web.build_args == (("GO_VERSION", "1.22"),)
