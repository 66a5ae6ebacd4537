"""The runner seam withholds the profile's secret variables from every child; a command that needs one
names it in its own Command.env."""
from __future__ import annotations

from pathlib import Path

from clusterctl.app import Options, make_context
from clusterctl.runner import Command, LocalRunner


def child_env(runner: LocalRunner, **extra: str) -> dict[str, str]:
    result = runner.run(Command(("env",), env=extra)).check()
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)


def test_withheld_variables_do_not_reach_the_child_and_the_rest_does(monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", "withheld-db")
    monkeypatch.setenv("SSH_AUTH_SOCK", "/run/agent.sock")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy:3128")
    runner = LocalRunner(withhold=("DB_PASSWORD", "NOT_SET"))

    env = child_env(runner)

    assert "DB_PASSWORD" not in env
    assert (env["SSH_AUTH_SOCK"], env["HTTPS_PROXY"]) == ("/run/agent.sock", "http://proxy:3128")


def test_a_command_names_a_withheld_variable_it_needs_in_its_own_env(monkeypatch):
    monkeypatch.setenv("NPM_TOKEN", "withheld-npm")
    runner = LocalRunner(withhold=("NPM_TOKEN",))

    assert child_env(runner, NPM_TOKEN="given-npm")["NPM_TOKEN"] == "given-npm"


def test_the_run_withholds_every_secret_variable_the_profile_names(tmp_path: Path, monkeypatch):
    profile = tmp_path / "p.yaml"
    profile.write_text("""apiVersion: clusterctl.dev/v1alpha1
kind: Profile
cluster: {name: envs, driver: kind}
namespace: demo
shipping:
  mode: push
  registry: 127.0.0.1:5000/team
  auth: {username: me, passwordEnv: REGISTRY_TOKEN}
secrets:
  - name: app
    fromEnv: {db: DB_PASSWORD, api: API_KEY}
""")
    for name in ("REGISTRY_TOKEN", "DB_PASSWORD", "API_KEY", "UNRELATED"):
        monkeypatch.setenv(name, f"value-of-{name}")
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))

    ctx = make_context(str(profile), Options())

    env = child_env(ctx.runner)
    assert {"REGISTRY_TOKEN", "DB_PASSWORD", "API_KEY"} & set(env) == set()
    assert env["UNRELATED"] == "value-of-UNRELATED"
