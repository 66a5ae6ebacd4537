"""Drift: does the live object still hold every field the render sets? (issue 10, row 10)"""

import copy

from clusterctl.drift import drift

RENDERED = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop", "labels": {"app.kubernetes.io/managed-by": "clusterctl"},
                 "annotations": {"clusterctl.dev/applied-hash": "abc"}},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "web", "image": "web:1", "ports": [{"containerPort": 80}],
                                                   "resources": {"limits": {"cpu": 0.5, "memory": "1024Mi"}}}]}}},
}


def live() -> dict:
    """The render as a real API server returns it: defaults, status and bookkeeping added."""
    obj = copy.deepcopy(RENDERED)
    obj["metadata"].update(uid="u1", generation=3, resourceVersion="9")
    obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = "{}"
    obj["spec"].update(revisionHistoryLimit=10, progressDeadlineSeconds=600)
    container = obj["spec"]["template"]["spec"]["containers"][0]
    container.update(imagePullPolicy="IfNotPresent", terminationMessagePath="/dev/termination-log")
    container["ports"][0]["protocol"] = "TCP"
    container["resources"]["limits"] = {"cpu": "500m", "memory": "1Gi"}
    obj["status"] = {"replicas": 2}
    return obj


def test_server_defaults_and_canonical_quantities_are_not_drift():
    assert drift(RENDERED, live()) is None


def test_kubectl_scale_is_drift_even_though_the_hash_annotation_stayed():
    scaled = live()
    scaled["spec"]["replicas"] = 1
    assert drift(RENDERED, scaled) == "spec.replicas"


def test_set_image_and_rollout_undo_are_drift():
    edited = live()
    edited["spec"]["template"]["spec"]["containers"][0]["image"] = "web:by-hand"
    assert drift(RENDERED, edited) == "spec.template.spec.containers[0].image"


def test_a_removed_label_is_drift_an_added_one_is_not():
    relabelled = live()
    relabelled["metadata"]["labels"] = {"team": "x"}
    assert drift(RENDERED, relabelled) == "metadata.labels.app.kubernetes.io/managed-by"
    extra = live()
    extra["metadata"]["labels"]["team"] = "x"  # kubectl apply would keep it too
    assert drift(RENDERED, extra) is None


def test_a_secret_is_compared_as_stored():
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"token": "hi"}}
    assert drift(secret, {"metadata": {"name": "s"}, "data": {"token": "aGk="}}) is None
    assert drift(secret, {"metadata": {"name": "s"}, "data": {"token": "eW8="}}) == "data.token"
