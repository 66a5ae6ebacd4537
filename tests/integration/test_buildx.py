"""`docker build` through buildx: a selected docker-container builder keeps the result in its build cache,
not in the engine, unless `--load` (docker/buildx v0.36.1 build/build.go warnOnNoOutput, build/opt.go).
The docker CLI sends plain `docker build` to the docker-driver builder of the current context unless
`docker buildx install` set the alias or BUILDX_BUILDER names a builder (docker/cli v28.2.2
cmd/docker/builder.go processBuilder). The engine here has no buildx and cannot pull moby/buildkit, so a
stand-in plugin (tests/bed/fakecli/buildx.py) is installed into this test's own DOCKER_CONFIG only."""
from __future__ import annotations

import pytest

from tests.bed.fakecli import buildx
from tests.integration.project import deployment, fresh_project, step, workload


@pytest.fixture
def app(bed_env):
    with fresh_project(bed_env, "bx") as project:
        project.image("web", cmd="sleep 3600")
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        project.profile()
        yield project


@pytest.mark.parametrize("alias, builder_env", [
    (True, {}),  # docker buildx install; docker buildx create --use --driver docker-container
    (False, {"BUILDX_BUILDER": "ctr"}),
    (False, {}),  # plain docker build: the CLI pins the context's docker-driver builder
])
def test_up_leaves_the_built_image_in_the_engine_whatever_the_builder(bed_env, app, alias, builder_env):
    config = bed_env.root / "docker-config"
    buildx.install(config, "ctr", driver="docker-container", alias=alias)

    code, report, _, err = app.run(bed_env, "up", env={"DOCKER_CONFIG": str(config), **builder_env})

    assert code == 0, (report or {}).get("error") or err
    assert step(report, "build")["status"] == "done" and step(report, "ship")["status"] == "done"
    assert workload(report, "web")["image"] in app.local_images()
    assert "No output specified" not in err
