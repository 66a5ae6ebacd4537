"""A rejected apply says what the API server said, in the message itself, and exits 6."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterctl.errors import ApplyRejected
from clusterctl.tools.kubectl import Kubectl
from tests.fakes import FakeRunner

INVALID = ('The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
           'map[string]string{"app":"web"}: `selector` does not match template `labels`')


def kubectl(runner: FakeRunner) -> Kubectl:
    return Kubectl(runner, Path("/home/me/.kube/config"), "kind-dev")


def test_the_api_servers_words_are_the_message_and_warnings_are_skipped():
    runner = FakeRunner().expect("kubectl", "--kubeconfig", "/home/me/.kube/config", "--context", "kind-dev",
                                 "apply", "-f", "-", returncode=1,
                                 stderr=f"Warning: resource deployments/web is missing an annotation\n{INVALID}\n")

    with pytest.raises(ApplyRejected) as caught:
        kubectl(runner).apply("{}")

    error = caught.value
    assert error.exit_code == 6 and error.kind == "apply-rejected"
    assert error.message == f"kubectl apply was rejected: {INVALID}"
    assert error.details[0].startswith("$ kubectl --kubeconfig /home/me/.kube/config --context kind-dev apply")
    assert error.details[-1] == INVALID and error.hint


def test_a_silent_failure_still_gives_a_message():
    runner = FakeRunner().expect("kubectl", "--kubeconfig", "/home/me/.kube/config", "--context", "kind-dev",
                                 "apply", "-f", "-", returncode=1)

    with pytest.raises(ApplyRejected, match="exited with code 1"):
        kubectl(runner).apply("{}")
