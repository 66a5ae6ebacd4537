"""The push token lives only in a private docker config for clusterctl's own registry calls (login, push,
manifest inspect), never in the user's ~/.docker; builds keep the user's config. What docker reads is from
docker/cli v28.2.2: cli/config/config.go (Dir, DOCKER_CONFIG, LoadDefaultConfigFile), cli/config/configfile/
file.go (ContainsAuth, GetCredentialsStore), cli/config/credentials/default_store.go (DetectDefaultStore),
cli/command/cli.go (resolveContextName) and cli/context/store (contexts under the config dir)."""

import base64
import json
import stat
from dataclasses import replace

import pytest

from clusterctl import runfolder
from clusterctl.context import Context
from clusterctl.profile.model import RegistryAuth, Shipping
from clusterctl.steps.ship import ShipImages
from tests.fakes import FakeAPI, FakeRunner, Silent, make_profile
from tests.unit.test_up_plan import REF

TOKEN = "push-token-0123456789abcdef"


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLUSTERCTL_HOME")  # the state folder under this HOME
    monkeypatch.setenv("PUSH_TOKEN", TOKEN)
    return home


def push_ctx(tmp_path, runner, registry="ghcr.io/o", auth=RegistryAuth("me", "PUSH_TOKEN")):
    profile = make_profile(tmp_path)
    profile = replace(profile, shipping=Shipping("push", registry, auth),
                      images=tuple(replace(i, repository=f"{registry}/{i.name}") for i in profile.images))
    return Context(profile, runner, Silent(), lambda k, c: FakeAPI())


def private_dir(home):
    return runfolder.path() / "docker"


def user_config(home, **doc):
    folder = home / ".docker"
    (folder / "contexts" / "meta").mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(doc))
    return folder


def test_login_push_and_manifest_inspect_use_a_private_docker_config_removed_after_the_run(tmp_path, home):
    user = user_config(home, currentContext="colima", credsStore="desktop",
                       credHelpers={"gcr.io": "gcloud"}, auths={"other.io": {"auth": "b3RoZXI6c2VjcmV0"}},
                       HttpHeaders={"X-Meta": "kept"})
    before = (user / "config.json").read_bytes()
    runner = FakeRunner()
    ctx = push_ctx(tmp_path, runner)
    ref = REF  # written out: tests/unit/test_up_plan.py
    env = {"DOCKER_CONFIG": str(private_dir(home))}
    runner.expect("docker", "manifest", "inspect", ref, returncode=1, stderr="no such manifest", env=env)
    runner.expect("docker", "login", "ghcr.io", "--username", "me", "--password-stdin", stdin=TOKEN, env=env)
    runner.expect("docker", "push", ref, env=env)
    step = ShipImages()

    assert step.check(ctx).done is False
    config = private_dir(home) / "config.json"
    written = json.loads(config.read_text())
    # Only the token for this registry, kept in the file itself: no credsStore or credHelpers for docker
    # to hand it to, and a non-empty `auths`, so docker does not pick a platform helper on its own.
    assert written == {"currentContext": "colima", "HttpHeaders": {"X-Meta": "kept"},
                       "auths": {"ghcr.io": {"auth": base64.b64encode(f"me:{TOKEN}".encode()).decode()}}}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(private_dir(home).stat().st_mode) == 0o700
    # The user's contexts, so currentContext (or DOCKER_CONTEXT) reaches the same engine as `docker build`.
    assert (private_dir(home) / "contexts").resolve() == (user / "contexts").resolve()
    step.run(ctx)
    ctx.close()

    runner.assert_done()
    assert not private_dir(home).exists()
    assert (user / "config.json").read_bytes() == before


def test_builds_keep_the_users_docker_config(tmp_path, home):
    runner = FakeRunner()
    ctx = push_ctx(tmp_path, runner)
    image = ctx.images[0]
    assert dict(ctx.docker.build_command(image, ctx.ref(image), "abc").env) == {}


def test_docker_config_env_names_the_users_folder(tmp_path, home, monkeypatch):
    elsewhere = tmp_path / "dotdocker"
    elsewhere.mkdir()
    (elsewhere / "config.json").write_text(json.dumps({"currentContext": "desktop-linux"}))
    monkeypatch.setenv("DOCKER_CONFIG", str(elsewhere))
    ctx = push_ctx(tmp_path, FakeRunner())
    env = ctx.registry_config.open("ghcr.io", "me", TOKEN)
    try:
        assert json.loads((private_dir(home) / "config.json").read_text())["currentContext"] == "desktop-linux"
        assert env == {"DOCKER_CONFIG": str(private_dir(home))}
    finally:
        ctx.close()


@pytest.mark.parametrize("host,key", [("docker.io", "https://index.docker.io/v1/"),
                                      ("index.docker.io", "https://index.docker.io/v1/"),
                                      ("127.0.0.1:5555", "127.0.0.1:5555")])
def test_the_token_is_filed_under_the_key_docker_looks_up(tmp_path, home, host, key):
    ctx = push_ctx(tmp_path, FakeRunner())
    ctx.registry_config.open(host, "me", TOKEN)
    try:
        assert list(json.loads((private_dir(home) / "config.json").read_text())["auths"]) == [key]
    finally:
        ctx.close()


def test_a_killed_runs_private_config_is_removed_by_the_next_run(tmp_path, home):
    stale = home / ".clusterctl" / "run" / "999999999-abc" / "docker"
    stale.mkdir(parents=True)
    (stale / "config.json").write_text("{}")
    ctx = push_ctx(tmp_path, FakeRunner())
    ctx.registry_config.open("ghcr.io", "me", TOKEN)
    ctx.close()
    assert not stale.exists()


def test_without_auth_the_registry_calls_keep_the_users_config(tmp_path, home):
    runner = FakeRunner()
    ctx = push_ctx(tmp_path, runner, auth=None)
    ref = REF  # written out: tests/unit/test_up_plan.py
    runner.expect("docker", "manifest", "inspect", ref, env={})
    assert ShipImages().check(ctx).done is True
    ctx.close()
    runner.assert_done()
    assert not list((home / ".clusterctl").glob("run/*/docker"))


def test_a_failed_push_still_removes_the_private_config(tmp_path, home):
    from clusterctl.app import Options, run_verb

    runner = FakeRunner()
    ctx = push_ctx(tmp_path, runner)
    ref = REF  # written out: tests/unit/test_up_plan.py
    env = {"DOCKER_CONFIG": str(private_dir(home))}
    runner.expect("docker", "manifest", "inspect", ref, returncode=1, env=env)
    runner.expect("docker", "login", "ghcr.io", "--username", "me", "--password-stdin", stdin=TOKEN, env=env)
    runner.expect("docker", "push", ref, returncode=1, stderr="denied: requested access to the resource is denied",
                  env=env)

    assert run_verb(ctx, "up", [ShipImages()], Options()) == 5
    runner.assert_done()
    assert not private_dir(home).exists()
