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


@pytest.fixture
def pointed_elsewhere(bed_env):
    """(P, Q, P's server, Q's server) with P's context pointing at Q."""
    made = []
    for name in ("gp", "gq"):
        project = Project(bed_env.root / name, name=name)
        project.image("web", cmd="sleep 3600")
        project.manifest("web.yaml", deployment("web", project.repo("web")))
        project.profile()
        result = project.run(bed_env, "up")
        assert result.code == 0, result.output
        made.append(project)
    config = yaml.safe_load(bed_env.kubeconfig.read_text())
    p_entry, q_entry = _entry(config, "kind-gp"), _entry(config, "kind-gq")
    p_server, q_server = p_entry["server"], q_entry["server"]
    p_entry.update(server=q_server, **{"certificate-authority-data": q_entry["certificate-authority-data"]})
    bed_env.kubeconfig.write_text(yaml.safe_dump(config))
    yield made[0], made[1], p_server, q_server
    for project in made:
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
