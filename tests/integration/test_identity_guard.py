"""Issue 19: a context pointed at another cluster gets no request at all, from any verb.

Two clusters P and Q made by clusterctl; P's kubeconfig entry is edited to Q's server and CA (what a
stale or hand-edited kubeconfig does). Every verb of P must refuse with exit 11 naming both servers, and
Q's requests.log must show nothing from that run: not even the GET of the identity ConfigMap.
"""
from __future__ import annotations

import pytest
import yaml

from tests.integration.project import Project, deployment, requests_mark, requests_since

VERBS = [("up",), ("redeploy", "web"), ("status",), ("urls",), ("logs", "web"), ("down", "--keep-cluster"),
         ("down",)]


def _entry(config: dict, name: str) -> dict:
    return next(c["cluster"] for c in config["clusters"] if c["name"] == name)


def _two_clusters(bed_env, driver: str, names: tuple[str, str]):
    """(P, Q, P's server, Q's server) with P's context pointing at Q, as `up` made them."""
    made = []
    for name in names:
        project = Project(bed_env.root / name, name=name, driver=driver)
        project.image("web", cmd="sleep 3600")
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        project.profile()
        result = project.run(bed_env, "up")
        assert result.code == 0, result.output
        made.append(project)
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    p_entry, q_entry = _entry(config, made[0].context), _entry(config, made[1].context)
    p_server, q_server = p_entry["server"], q_entry["server"]
    p_entry.update(server=q_server, **{"certificate-authority-data": q_entry["certificate-authority-data"]})
    bed_env.kubeconfig.write_text(yaml.safe_dump(config))
    return made[0], made[1], p_server, q_server


@pytest.fixture
def pointed_elsewhere(bed_env):
    found = _two_clusters(bed_env, "kind", ("gp", "gq"))
    yield found
    for project in found[:2]:
        project.remove_images()


def test_a_context_pointing_at_another_cluster_gets_no_request_from_any_verb(bed_env, pointed_elsewhere):
    p, q, p_server, q_server = pointed_elsewhere
    wrong = []
    for verb in VERBS:
        mark = requests_mark(q.cluster(bed_env))
        if verb[0] == "logs":  # text only, and the profile is an option
            result = p.run(bed_env, *verb, "-p", str(p.profile_path), json=False, profile=False)
        else:
            result = p.run(bed_env, *verb)
        sent = requests_since(q.cluster(bed_env), mark)
        if result.code != 11 or p_server not in result.output or q_server not in result.output or sent:
            wrong.append(f"{' '.join(verb)}: exit {result.code}, sent to Q {sent}: {result.output[-400:]}")
    assert wrong == []
    assert p.cluster(bed_env).exists()  # nothing deleted either

    mark = requests_mark(q.cluster(bed_env))
    forced = p.run(bed_env, "down", "--force")

    assert forced.code == 0, forced.output
    assert any("overridden by --force" in note and q_server in note for note in forced.report["notes"])
    assert requests_since(q.cluster(bed_env), mark) == []
    assert not p.cluster(bed_env).exists() and q.cluster(bed_env).exists()


def test_minikube_profiles_share_a_ca_so_the_ca_alone_lets_nothing_through(bed_env):
    """minikube signs every profile of one MINIKUBE_HOME with the same CA (localpath.CACert): a context
    moved to a sibling profile's loopback port looks like minikube's own port move. minikube status says
    whether the context is where the profile's API is published (Kubeconfig: Configured), without a request."""
    p, q, p_server, q_server = _two_clusters(bed_env, "minikube", ("mp", "mq"))
    try:
        for verb in (("status",), ("up",)):
            mark = requests_mark(q.cluster(bed_env))
            result = p.run(bed_env, *verb)
            assert result.code == 11, result.output
            assert p_server in result.output and q_server in result.output
            assert requests_since(q.cluster(bed_env), mark) == []
    finally:
        for project in (p, q):
            project.remove_images()
