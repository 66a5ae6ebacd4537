"""The controllers' pure parts: quantities, rollout arithmetic, conditions and the scheduler's
verdicts, checked without threads or docker."""
from __future__ import annotations

import pytest

from tests.bed.controllers import quantity, scheduler
from tests.bed.controllers.deployment_status import max_unavailable, surge_and_unavailable
from tests.bed.controllers.nodeaffinity import node_matches, pin_to_node
from tests.bed.controllers.objects import SAFE_ALPHABET, set_condition, template_hash

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("text, value", [
    ("250m", 0.25), ("2", 2.0), ("1.5", 1.5), ("128Mi", 128 * 2**20), ("1G", 1e9), ("1e3", 1000.0),
])
def test_quantities(text, value):
    assert quantity.parse(text) == value


def test_pod_requests_take_limits_when_unset_and_the_largest_init_container():
    spec = {"containers": [{"resources": {"requests": {"cpu": "100m"}}},
                           {"resources": {"limits": {"cpu": "200m", "memory": "64Mi"}}}],
            "initContainers": [{"resources": {"requests": {"cpu": "1"}}}]}
    assert quantity.pod_requests(spec) == {"cpu": 1.0, "memory": 64 * 2**20}


def deployment(replicas: int, surge="25%", unavailable="25%", kind="RollingUpdate") -> dict:
    return {"spec": {"replicas": replicas, "strategy": {
        "type": kind, "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}}}


def test_rolling_update_bounds_round_like_the_deployment_controller():
    assert surge_and_unavailable(deployment(1), 1) == (1, 0)
    assert surge_and_unavailable(deployment(10), 10) == (3, 2)
    assert surge_and_unavailable(deployment(4, surge=0, unavailable=0), 4) == (0, 1)
    assert max_unavailable(deployment(4, kind="Recreate")) == 0


def test_template_hash_is_stable_and_safe():
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}
    h = template_hash(template)
    assert h == template_hash({**template}) and set(h) <= set(SAFE_ALPHABET)
    assert h != template_hash({**template, "metadata": {"labels": {"app": "api"}}})


def test_set_condition_keeps_times_unless_the_status_moves():
    old = [{"type": "Available", "status": "True", "reason": "A", "lastTransitionTime": "t0"}]
    same = set_condition(old, {"type": "Available", "status": "True", "reason": "A",
                               "lastTransitionTime": "t1"})
    assert same is old
    reworded = set_condition(old, {"type": "Available", "status": "True", "reason": "B",
                                   "lastTransitionTime": "t1"})
    assert reworded[0]["lastTransitionTime"] == "t0" and reworded[0]["reason"] == "B"
    flipped = set_condition(old, {"type": "Available", "status": "False", "reason": "C",
                                  "lastTransitionTime": "t2"})
    assert flipped[0]["lastTransitionTime"] == "t2"


def node(name: str, **labels: str) -> dict:
    return {"metadata": {"name": name, "labels": labels}}


def test_node_selection_by_labels_expressions_and_pinned_name():
    assert node_matches({"nodeSelector": {"disk": "ssd"}}, node("a", disk="ssd"))
    assert not node_matches({"nodeSelector": {"disk": "ssd"}}, node("a"))
    spec = {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "zone", "operator": "In", "values": ["x", "y"]}]}]}}}}
    assert node_matches(spec, node("a", zone="y")) and not node_matches(spec, node("a", zone="z"))
    pinned: dict = {}
    pin_to_node(pinned, "b")
    assert node_matches(pinned, node("b")) and not node_matches(pinned, node("a"))


def test_fit_error_reads_like_the_scheduler():
    text = scheduler._fit_error(3, [["Insufficient cpu", "Insufficient memory"],
                                    ["node(s) didn't match Node's node affinity/selector"],
                                    ["Insufficient cpu"]])
    assert text == ("0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match "
                    "Node's node affinity/selector, 2 Insufficient cpu. preemption: 0/3 nodes are "
                    "available: 1 Preemption is not helpful for scheduling., 2 No preemption "
                    "victims found for incoming pod.")
