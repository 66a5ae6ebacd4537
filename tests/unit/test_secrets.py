"""Secrets come from the environment or an envFile, travel on stdin, and never appear in output."""

import base64
import json
from dataclasses import replace

import pytest

from clusterctl import redact
from clusterctl.errors import BadInput, CommandFailed
from clusterctl.profile.model import RegistryAuth, SecretSpec, Shipping
from clusterctl.runner import Command
from clusterctl.secrets import desired_secrets, register_profile_secrets
from clusterctl.tools.docker import Docker
from tests.fakes import FakeRunner, make_profile

TOKEN = "ghp_s3cr3t-token-value"


def profile_with_secret(tmp_path, env_file=None):
    spec = SecretSpec(name="db-config", env_file=env_file,
                      from_env=(("db-url", "DB_URL"), ("db-username", "DB_USERNAME"), ("db-password", "DB_PASSWORD")))
    return replace(make_profile(tmp_path), secrets=(spec,))


def test_secret_built_from_env_file_with_the_process_env_winning(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text('DB_URL="postgres://db:5432/shop"\nexport DB_USERNAME=app\nDB_PASSWORD=from-file\n')
    [doc] = desired_secrets(profile_with_secret(tmp_path, env_file), {"DB_PASSWORD": "from-env"})
    data = {k: base64.b64decode(v).decode() for k, v in doc["data"].items()}
    assert data == {"db-url": "postgres://db:5432/shop", "db-username": "app", "db-password": "from-env"}
    assert doc["metadata"]["namespace"] == "shop" and doc["type"] == "Opaque"


def test_every_missing_variable_is_named(tmp_path):
    with pytest.raises(BadInput) as err:
        desired_secrets(profile_with_secret(tmp_path), {"DB_URL": "x"})
    assert "DB_USERNAME (secret 'db-config' key 'db-username')" in err.value.message
    assert "DB_PASSWORD" in err.value.message


def test_pull_secret_from_the_registry_credentials(tmp_path):
    shipping = Shipping(mode="push", registry="ghcr.io/team", auth=RegistryAuth("me", "GHCR_TOKEN"),
                        pull_secret="regcred")
    profile = replace(make_profile(tmp_path), shipping=shipping)
    [doc] = desired_secrets(profile, {"GHCR_TOKEN": TOKEN})
    config = json.loads(base64.b64decode(doc["data"][".dockerconfigjson"]))
    assert doc["type"] == "kubernetes.io/dockerconfigjson"
    assert config["auths"]["ghcr.io"]["password"] == TOKEN
    register_profile_secrets(profile, {"GHCR_TOKEN": TOKEN})
    assert redact.redact(f"token {TOKEN} leaked") == "token ****** leaked"
    encoded = doc["data"][".dockerconfigjson"]  # the token's bits, inside the whole document's base64
    masked = redact.redact(encoded)
    assert redact.MASK in masked and len(encoded) - len(masked) + len(redact.MASK) >= len(TOKEN)


def test_registry_token_goes_on_stdin_and_never_into_argv_display_or_errors():
    redact.register(TOKEN)  # as every verb does with the profile's values, up front
    runner = FakeRunner().expect("docker", "login", "ghcr.io", "--username", "me", "--password-stdin",
                                 stdin=TOKEN, returncode=1, stderr=f"Error: bad credentials for {TOKEN}\n")
    with pytest.raises(CommandFailed) as err:
        Docker(runner).login("ghcr.io", "me", TOKEN)
    shown = runner.calls[0]
    assert TOKEN not in " ".join(shown.argv) and TOKEN not in shown.display()
    assert TOKEN not in err.value.message and TOKEN not in "\n".join(err.value.details)


def test_displayed_commands_are_redacted():
    redact.register(TOKEN)
    assert TOKEN not in Command(("curl", "-H", f"Authorization: {TOKEN}")).display()


def test_up_names_unset_secret_variables_before_anything_runs(tmp_path, monkeypatch):
    from clusterctl import plans
    from clusterctl.context import Context
    from clusterctl.orchestrator import run_steps
    from tests.fakes import FakeAPI, Silent

    monkeypatch.delenv("DB_URL", raising=False)
    runner = FakeRunner()  # no command may run: the fake refuses any
    ctx = Context(profile_with_secret(tmp_path), runner, Silent(), lambda k, c: FakeAPI())
    report = run_steps(ctx, "up", plans.up())
    assert isinstance(report.error, BadInput) and "DB_URL" in report.error.message
    assert [(s.name, s.status) for s in report.steps] == [("lint", "done"), ("preflight", "failed")]
    assert runner.calls == []



def test_secret_variables_lists_every_variable_the_profile_names_once(tmp_path):
    from clusterctl.secrets import secret_variables

    profile = replace(make_profile(tmp_path),
                      secrets=(SecretSpec("db", from_env=(("password", "DB_PASSWORD"), ("user", "DB_USER"))),
                               SecretSpec("api", from_env=(("key", "DB_PASSWORD"),))),
                      shipping=Shipping("push", "ghcr.io/acme", RegistryAuth("bot", "GHCR_TOKEN"), "regcred"))
    assert secret_variables(profile) == ("DB_PASSWORD", "DB_USER", "GHCR_TOKEN")
    [image] = profile.images
    profile = replace(profile, images=(replace(image, build_secrets=(("npm", "NPM_TOKEN"), ("db", "DB_USER"))),))
    assert secret_variables(profile) == ("DB_PASSWORD", "DB_USER", "GHCR_TOKEN", "NPM_TOKEN")


PULL_TOKEN = "read-only-pull-token-42"


def push_profile(tmp_path, auth: RegistryAuth):
    return replace(make_profile(tmp_path), shipping=Shipping("push", "ghcr.io/team", auth, "regcred"))


def pull_config(doc: dict) -> dict:
    return json.loads(base64.b64decode(doc["data"][".dockerconfigjson"]))["auths"]["ghcr.io"]


def test_the_pull_secret_holds_the_pull_credential_and_not_the_push_token(tmp_path):
    auth = RegistryAuth("me", "GHCR_TOKEN", pull_username="reader", pull_password_env="GHCR_PULL_TOKEN")
    [doc] = desired_secrets(push_profile(tmp_path, auth), {"GHCR_TOKEN": TOKEN, "GHCR_PULL_TOKEN": PULL_TOKEN})
    assert pull_config(doc) == {"username": "reader", "password": PULL_TOKEN,
                                "auth": base64.b64encode(f"reader:{PULL_TOKEN}".encode()).decode()}
    pushed = (TOKEN, base64.b64encode(TOKEN.encode()).decode(), base64.b64encode(f"me:{TOKEN}".encode()).decode())
    assert not any(form in json.dumps(doc) or form in base64.b64decode(doc["data"][".dockerconfigjson"]).decode()
                   for form in pushed)


def test_the_pull_user_defaults_to_the_push_user(tmp_path):
    auth = RegistryAuth("me", "GHCR_TOKEN", pull_password_env="GHCR_PULL_TOKEN")
    [doc] = desired_secrets(push_profile(tmp_path, auth), {"GHCR_TOKEN": TOKEN, "GHCR_PULL_TOKEN": PULL_TOKEN})
    assert (pull_config(doc)["username"], pull_config(doc)["password"]) == ("me", PULL_TOKEN)


def test_an_unset_pull_token_variable_is_named(tmp_path):
    auth = RegistryAuth("me", "GHCR_TOKEN", pull_password_env="GHCR_PULL_TOKEN")
    with pytest.raises(BadInput) as err:
        desired_secrets(push_profile(tmp_path, auth), {"GHCR_TOKEN": TOKEN})
    assert "GHCR_PULL_TOKEN (pull secret 'regcred')" in err.value.message


def test_up_warns_when_the_pull_secret_holds_the_push_token(tmp_path, monkeypatch):
    from clusterctl.context import Context
    from clusterctl.steps.secrets import EnsureSecrets
    from tests.fakes import FakeAPI, Silent

    monkeypatch.setenv("GHCR_TOKEN", TOKEN)
    monkeypatch.setenv("GHCR_PULL_TOKEN", PULL_TOKEN)
    warned = Context(push_profile(tmp_path, RegistryAuth("me", "GHCR_TOKEN")), FakeRunner(), Silent(),
                     lambda k, c: FakeAPI())
    separate = Context(push_profile(tmp_path, RegistryAuth("me", "GHCR_TOKEN", pull_password_env="GHCR_PULL_TOKEN")),
                       FakeRunner(), Silent(), lambda k, c: FakeAPI())
    EnsureSecrets().check(warned)
    EnsureSecrets().check(separate)
    assert warned.notes == [
        "the image pull Secret 'regcred' holds the push token from $GHCR_TOKEN, which can write to ghcr.io: "
        "anyone who can read Secrets in namespace 'shop' can push images; set shipping.auth.pullPasswordEnv "
        "to the variable of a read-only token (and shipping.auth.pullUsername if its user differs)"]
    assert separate.notes == []


def test_secret_variables_include_the_pull_token_variable(tmp_path):
    from clusterctl.secrets import secret_variables

    auth = RegistryAuth("me", "GHCR_TOKEN", pull_password_env="GHCR_PULL_TOKEN")
    assert secret_variables(push_profile(tmp_path, auth)) == ("GHCR_TOKEN", "GHCR_PULL_TOKEN")
