"""Registry credentials in push mode (issue 22 point 7): the push token never lands in the user's
~/.docker/config.json or anywhere under HOME or TMPDIR, and the in-cluster pull secret is built from a
separate pull credential (`shipping.auth.pullPasswordEnv`); without one, `up` says the pull secret holds a
write-scoped token. The bed's kubelet pulls with the pull secret's credentials, as a real one does."""
from __future__ import annotations

import base64
import json
import secrets
import signal

import pytest

from tests.bed.fixtures import require_pull_user
from tests.integration.leaks import Planted, Seen, private_tmp, sweep, watch_processes
from tests.integration.project import Project, deployment
from tests.integration.test_faults import SLOW_READY, launch, wait_for_watch  # noqa: F401

PUSH_ENV, PULL_ENV = "REGISTRY_PUSH_TOKEN", "REGISTRY_PULL_TOKEN"
WARNING = "the image pull Secret 'regcred' holds the push token from $REGISTRY_PUSH_TOKEN"


@pytest.fixture
def project(bed_env):
    made = Project(bed_env.root / "app", name="creds",
                   registry=f"{bed_env.bed.registry}/creds-{secrets.token_hex(4)}")
    made.image("web", cmd="sleep 3600")
    made.manifest("web.yaml", deployment("web", made.repo("web")))
    yield made
    made.remove_images()


def push_profile(project: Project, **pull) -> None:
    auth = {"username": "${BED_REGISTRY_USER}", "passwordEnv": PUSH_ENV, **pull}
    project.profile(shipping={"mode": "push", "registry": project.registry, "auth": auth, "pullSecret": "regcred"})


def pull_secret(bed_env, project: Project) -> dict:
    got = bed_env.kubectl("get", "secret", "regcred", "-n", project.namespace, "-o", "json",
                          "--context", project.context)
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def swept(planted: Planted, bed_env, seen: Seen, *runs, texts: dict | None = None) -> list[str]:
    """Every output, report and file under HOME and TMPDIR, and the argv of every process (`ps`). Not the
    children's environment: the planted token is the bed's own registry password, which every bed process
    holds in BED_REGISTRY_PASSWORD; tests/integration/test_child_env.py covers it under another name."""
    leaks = sweep(planted, bed_env=bed_env, processes=Seen(argv=seen.argv), texts=texts)
    for run in runs:
        leaks += sweep(planted, result=run)
    return leaks


def test_the_push_token_stays_out_of_home_and_temp_and_up_warns_about_the_pull_secret(bed_env, project):
    bed = bed_env.bed
    planted = Planted({PUSH_ENV: bed.registry_password}, user=bed.registry_user)
    env = {**planted.env, **private_tmp(bed_env)}
    push_profile(project)

    with watch_processes() as seen:
        first = project.run(bed_env, "up", "-v", env=env)
        text = project.run(bed_env, "up", json=False, env=env)

    assert first.code == 0 and text.code == 0, first.output + text.output
    docker_config = bed_env.home / ".docker" / "config.json"
    assert not docker_config.exists() or bed.registry_password not in docker_config.read_text()
    assert swept(planted, bed_env, seen, first, text) == []
    [note] = [n for n in first.report["notes"] if "pull Secret" in n]
    assert note.startswith(WARNING) and "shipping.auth.pullPasswordEnv" in note
    assert f"note: {WARNING}" in text.stdout


def test_the_pull_secret_holds_the_pull_credential_and_the_kubelet_pulls_with_it(bed_env, project):
    bed = bed_env.bed
    pull_user, pull_password = require_pull_user(bed)
    planted = Planted({PUSH_ENV: bed.registry_password}, user=bed.registry_user)
    push_profile(project, pullUsername="${BED_REGISTRY_PULL_USER}", pullPasswordEnv=PULL_ENV)

    with watch_processes() as seen:
        run = project.run(bed_env, "up", env={**planted.env, PULL_ENV: pull_password, **private_tmp(bed_env)})

    assert run.code == 0, run.output
    assert not any("pull Secret" in n for n in run.report["notes"])
    secret = pull_secret(bed_env, project)
    config = json.loads(base64.b64decode(secret["data"][".dockerconfigjson"]))
    assert config["auths"][bed.registry]["username"] == pull_user
    assert config["auths"][bed.registry]["password"] == pull_password
    pod = json.loads(bed_env.kubectl("get", "pods", "-n", project.namespace, "-o", "json",
                                     "--context", project.context).stdout)["items"][0]
    assert pod["status"]["phase"] == "Running"  # pulled from the registry with the pull user's credential
    assert swept(planted, bed_env, seen, run, texts={"pull secret": json.dumps(secret),
                                                     "pull secret config": json.dumps(config)}) == []


def test_a_wrong_pull_token_gives_image_pull_backoff(bed_env, project):
    """The pull secret, not the push login, is what the kubelet pulls with."""
    push_profile(project, pullPasswordEnv=PULL_ENV)

    run = project.run(bed_env, "up", env={PUSH_ENV: bed_env.bed.registry_password,
                                          PULL_ENV: f"wrong-{secrets.token_hex(8)}"})

    assert run.code == 7, run.output
    [diagnosis] = run.report["diagnoses"]
    assert diagnosis["reason"] == "ImagePull", diagnosis
    assert any("ImagePullBackOff" in e or "pull access denied" in e for e in diagnosis["events"]), diagnosis
    assert diagnosis["hint"] == f"the pull secret 'regcred' was refused: check the token in ${PULL_ENV} (user 'bed')"


def test_the_private_config_keeps_the_users_current_context(bed_env, monkeypatch):
    """docker 28.2.2 reads contexts from DOCKER_CONFIG/contexts and `currentContext` from its config.json
    (cli/command/cli.go resolveContextName): through clusterctl's private config it resolves the user's
    context (here one made with `docker context create`, on a socket path of its own), not the default."""
    from clusterctl.registryauth import PrivateDockerConfig

    user_dir, socket = bed_env.home / ".docker", bed_env.root / "engine.sock"
    socket.symlink_to("/var/run/docker.sock")
    env = {k: v for k, v in bed_env.env.items() if k not in ("DOCKER_HOST", "DOCKER_CONTEXT")}
    made = bed_env.run(["docker", "context", "create", "bed-engine", "--docker", f"host=unix://{socket}"],
                       env={**env, "DOCKER_CONFIG": str(user_dir)})
    assert made.returncode == 0, made.stderr
    assert bed_env.run(["docker", "context", "use", "bed-engine"],
                       env={**env, "DOCKER_CONFIG": str(user_dir)}).returncode == 0
    monkeypatch.setenv("HOME", str(bed_env.home))
    monkeypatch.delenv("CLUSTERCTL_HOME", raising=False)
    private = PrivateDockerConfig({})
    try:
        docker_env = private.open(bed_env.bed.registry, bed_env.bed.registry_user, bed_env.bed.registry_password)
        seen = bed_env.run(["docker", "context", "inspect", "--format", "{{.Name}} {{.Endpoints.docker.Host}}"],
                           env={**env, **docker_env})
        version = bed_env.run(["docker", "version", "--format", "{{.Server.Version}}"], env={**env, **docker_env})
    finally:
        private.close()
    assert seen.stdout.strip() == f"bed-engine unix://{socket}", seen.stderr
    assert version.returncode == 0 and version.stdout.strip(), version.stderr



@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_removes_its_private_docker_config(bed_env, project, launch, sig):
    """The private config lives until the run ends (the wait step here): Ctrl-C or SIGTERM removes it too."""
    project.manifest("web.yaml", deployment("web", project.repo("web"), container=SLOW_READY))
    push_profile(project)
    planted = Planted({PUSH_ENV: bed_env.bed.registry_password}, user=bed_env.bed.registry_user)
    bed_env.env.update(planted.env)
    running = launch(project)
    wait_for_watch(project.cluster(bed_env), 0, running)
    [folder] = (bed_env.home / ".clusterctl" / "run").glob(f"{running.pid}-*/docker")
    assert (folder / "config.json").is_file()

    running.send_signal(sig)
    running.communicate(timeout=120)

    assert running.returncode == 130
    assert not folder.exists()
    assert sweep(planted, bed_env=bed_env) == []
