"""Issue 22 point 8: no child of clusterctl (docker, kind, kubectl, and what they start) gets a variable the
profile names as secret. Push mode, so every secret kind is planted: secrets[].fromEnv values and the
registry password (shipping.auth.passwordEnv), which `docker login` must still receive on stdin."""
from __future__ import annotations

from tests.integration.leaks import Planted, plant, sweep, watch_processes
from tests.integration.project import deployment, step
from tests.integration.test_push import project  # noqa: F401  (a repository of our own in the registry)


def test_no_child_process_gets_a_secret_variable_of_the_profile(bed_env, project):
    bed = bed_env.bed
    project.image("web")
    project.manifest("web.yaml", deployment("web", project.repo("web")))
    project.profile(shipping={"mode": "push", "registry": project.registry,
                              "auth": {"username": bed.registry_user, "passwordEnv": "REGISTRY_TOKEN"},
                              "pullSecret": "regcred"},
                    secrets=[{"name": "app", "fromEnv": {"db": "DB_PASSWORD", "api": "API_KEY"}}])
    planted = plant("DB_PASSWORD", "API_KEY")
    # The registry's password cannot be chosen and every process of the bed's users holds it (in
    # BED_REGISTRY_PASSWORD, emptied for this run): it goes in under a name of this test's own, and the
    # processes are searched for that variable; output and report for its value.
    token = Planted({"REGISTRY_TOKEN": bed.registry_password}, user=bed.registry_user)

    with watch_processes() as seen:
        up = project.run(bed_env, "up", env={**planted.env, **token.env, "BED_REGISTRY_PASSWORD": ""})

    assert up.code == 0, up.output
    assert step(up.report, "ship")["status"] == "done"  # docker login got the password it needed
    children = [argv for argv in seen.argv.values() if " build " in argv or "kubectl" in argv]
    assert children, "no docker build or kubectl was seen: the watch saw nothing"
    assert sweep(planted, result=up, processes=seen) == []
    assert sweep(token, result=up) == []
    holders = [argv for pid, argv in seen.argv.items()
               if "\nREGISTRY_TOKEN=" in "\n" + seen.environ.get(pid, "") and "-m clusterctl" not in argv]
    assert holders == []
