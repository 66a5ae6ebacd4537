"""A dotenv file named by `secrets[].envFile` inside a build context goes to the builder, and `COPY . .` puts it
in the image, unless the context's .dockerignore keeps it out (issue 22 point 6). First what docker does with
such a file, then that clusterctl refuses the profile, naming the file, the key and the image."""
from __future__ import annotations

import secrets

import pytest

from tests.integration.leaks import plant, private_tmp, sweep
from tests.integration.project import deployment, docker, fresh_project

DOCKERFILE = """FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY . /app
CMD ["/bin/sh", "-c", "sleep 3600"]
"""


@pytest.fixture
def app(bed_env):
    with fresh_project(bed_env, "envf") as project:
        context = project.image("web", dockerignore="*.log\n")
        (context / "Dockerfile").write_text(DOCKERFILE)
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        yield project


@pytest.mark.parametrize("env_file, dockerignore, in_image", [
    (".env", "*.log\n", True),
    (".env", "*.log\n.env\n", False),
    ("config/.env", "*.log\n.env\n", True),  # a pattern is anchored at the context root, unlike .gitignore
    ("config/.env", "**/.env\n", False),
])
def test_docker_copies_a_dotenv_file_of_the_context_into_the_image_unless_dockerignore_keeps_it_out(
        bed_env, app, env_file, dockerignore, in_image):
    context = app.root / "images" / "web"
    value = f"plant-{secrets.token_hex(8)}"
    (context / env_file).parent.mkdir(exist_ok=True)
    (context / env_file).write_text(f"DB_PASSWORD={value}\n")
    (context / ".dockerignore").write_text(dockerignore)
    tag = f"{app.repo('web')}:belief"
    built = docker("build", "-t", tag, str(context))
    assert built.returncode == 0, built.stderr
    shown = docker("run", "--rm", "--network", "none", tag, "cat", f"/app/{env_file}")
    assert (value in shown.stdout) is in_image, shown.stdout + shown.stderr
    app.profile(secrets=[{"name": "db", "envFile": f"images/web/{env_file}", "fromEnv": {"pw": "DB_PASSWORD"}}])
    checked = app.run(bed_env, "validate", env=private_tmp(bed_env))
    assert checked.code == (2 if in_image else 0), checked.output


def test_up_refuses_an_env_file_that_the_build_would_send_and_accepts_it_once_ignored(bed_env, app):
    planted = plant("DB_PASSWORD")
    context = app.root / "images" / "web"
    (context / ".env").write_text(f"DB_PASSWORD={planted.env['DB_PASSWORD']}\n")
    app.profile(secrets=[{"name": "db", "envFile": "images/web/.env", "fromEnv": {"password": "DB_PASSWORD"}}])

    result = app.run(bed_env, "up", env=private_tmp(bed_env))
    assert result.code == 2, result.stderr
    [problem] = result.report["error"]["details"]
    assert f"{app.profile_path}:" in problem and "secrets[0].envFile: " in problem, problem
    assert (f"{context / '.env'} is in the build context of image 'web' and is sent to the builder, where "
            "COPY can put it in the image; add .env to ") in problem, problem
    assert app.local_images() == {}
    assert sweep(planted, result=result, bed_env=bed_env) == []

    (context / ".dockerignore").write_text("*.log\n.env\n")
    checked = app.run(bed_env, "validate", env=private_tmp(bed_env))
    assert checked.code == 0, checked.stderr
