"""Manifest rules: each fires on the offending key's line (counted in the whole file) and stays quiet otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterctl.lint import lint_files, lint_paths
from clusterctl.manifests.source import parse_manifest_text

DATA = Path(__file__).parent / "data" / "lint" / "k8s"

NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"

# A complete Deployment: every manifest rule is clean on it. Cases below change one thing.
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: ghcr.io/example/web:1.0
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 128Mi}
          readinessProbe:
            tcpSocket: {port: 8080}
          livenessProbe:
            tcpSocket: {port: 8080}
"""


def lint_yaml(tmp_path: Path, text: str, version: str | None = "1.32"):
    path = tmp_path / "manifests.yaml"
    path.write_text(text)
    return lint_paths([path], version)


def hits(findings, rule):
    return [f.line for f in findings if f.rule == rule]


def edit(old: str, new: str, text: str = DEPLOYMENT) -> str:
    assert old in text
    return text.replace(old, new, 1)


def pdb(selector: str = "matchLabels: {app: web}") -> str:
    return f"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n  namespace: shop\n" \
           f"spec:\n  minAvailable: 1\n  selector:\n    {selector}\n"


def service(selector: str) -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n" \
           f"spec:\n  selector: {selector}\n  ports:\n    - port: 80\n"


# (rule, YAML that fires, the lines it fires on, YAML that does not)
CASES = [
    ("K8S001", edit("  replicas: 1\n", "  replicas: \"1\"\n"), [7], DEPLOYMENT),
    ("K8S001", edit("          image:", "          imagePullPolicyy: Always\n          image:"), [18], DEPLOYMENT),
    ("K8S001", edit("kind: Deployment", "kind: Deploymnet"), [2], DEPLOYMENT),
    ("K8S001", edit("  selector:\n    matchLabels: {app: web}\n", ""), [6], DEPLOYMENT),
    ("K8S002", edit("apps/v1", "extensions/v1beta1"), [1], DEPLOYMENT),
    ("K8S002", pdb().replace("policy/v1", "policy/v1beta1"), [1], pdb()),
    ("K8S004", edit("            limits: {memory: 128Mi}\n", ""), [19], DEPLOYMENT),
    ("K8S004", edit("          resources:\n            requests: {cpu: 100m, memory: 64Mi}\n"
                    "            limits: {memory: 128Mi}\n", ""), [17], DEPLOYMENT),
    ("K8S005", edit("          livenessProbe:\n            tcpSocket: {port: 8080}\n", ""), [17], DEPLOYMENT),
    ("K8S006", edit("web:1.0", "web:latest"), [18], edit("web:1.0", "web@sha256:" + "b" * 64)),
    ("K8S006", edit("web:1.0", "web"), [18], edit("web:1.0", "web:2.1")),
    ("K8S007", edit("          image:", "          securityContext: {privileged: true}\n          image:"), [18],
     edit("          image:", "          securityContext: {privileged: false}\n          image:")),
    ("K8S008", edit("      containers:", "      volumes:\n        - name: sock\n          hostPath: {path: /run}\n"
                    "      containers:"), [18],
     edit("      containers:", "      volumes:\n        - name: tmp\n          emptyDir: {}\n      containers:")),
    ("K8S009", edit("        runAsNonRoot: true\n", "        runAsUser: 1000\n"), [17], DEPLOYMENT),
    ("K8S009", edit("          image:", "          securityContext: {runAsNonRoot: false}\n          image:"), [18],
     edit("      securityContext:\n        runAsNonRoot: true\n", "")
     .replace("          image:", "          securityContext: {runAsNonRoot: true}\n          image:")),
    ("K8S010", edit("  namespace: shop\n", ""), [3], edit("  namespace: shop\n", "  namespace: shop  # explicit\n")),
    ("K8S010", edit("namespace: shop", "namespace: default"), [5], DEPLOYMENT),
    ("K8S011", DEPLOYMENT + "---\n" + service("{app: frontend}"), [33], DEPLOYMENT + "---\n" + service("{app: web}")),
    ("K8S011", DEPLOYMENT + "---\n" + service("{app: web, tier: api}"), [33], DEPLOYMENT + "---\n" + service("{}")),
    ("K8S012", edit("replicas: 1", "replicas: 2"), [7], edit("replicas: 1", "replicas: 2") + "---\n" + pdb()),
    ("K8S012", edit("replicas: 1", "replicas: 3") + "---\n" + pdb("matchLabels: {app: api}"), [7],
     edit("replicas: 1", "replicas: 3") + "---\n"
     + pdb("matchExpressions:\n      - {key: app, operator: In, values: [web, api]}")),
    ("K8S013", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ndata:\n  password: aHVudGVyMg==\n",
     [6], "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\n"),
    ("K8S014", edit("          readinessProbe:", "          lifecycle:\n            preStop:\n"
                    "              exec: {command: [/bin/sh, -c, sleep 30]}\n          readinessProbe:"), [23],
     edit("          readinessProbe:", "          lifecycle:\n            preStop:\n"
          "              exec: {command: [/bin/sh, -c, sleep 30]}\n          readinessProbe:")
     .replace("      securityContext:", "      terminationGracePeriodSeconds: 60\n      securityContext:")),
    ("K8S014", edit("          readinessProbe:", "          lifecycle:\n            preStop:\n"
                    "              sleep: {seconds: 15}\n          readinessProbe:")
     .replace("      securityContext:", "      terminationGracePeriodSeconds: 10\n      securityContext:"), [24],
     edit("          readinessProbe:", "          lifecycle:\n            preStop:\n"
          "              sleep: {seconds: 15}\n          readinessProbe:")),
]


@pytest.mark.parametrize("rule, bad, lines, good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_the_offending_line_and_not_on_the_clean_case(tmp_path, rule, bad, lines, good):
    assert hits(lint_yaml(tmp_path, bad), rule) == lines
    assert hits(lint_yaml(tmp_path, good), rule) == []


def test_the_complete_deployment_is_clean():
    assert lint_paths([DATA / "good"], "1.32") == []


def test_profile_path_with_good_dockerfile_and_manifests_is_clean():
    dockerfile = DATA.parent / "docker" / "go-good" / "Dockerfile"
    path = DATA / "good" / "app.yaml"
    docs = parse_manifest_text(path.read_text(), str(path))
    assert lint_files([dockerfile], docs, "v1.32.0", namespace="shop") == []


def test_deprecated_api_warns_before_its_removal(tmp_path):
    text = pdb().replace("policy/v1", "policy/v1beta1")
    [warning] = [f for f in lint_yaml(tmp_path, text, "1.24") if f.rule.startswith("K8S00")]
    assert (warning.rule, warning.severity, warning.line) == ("K8S003", "warning", 1)
    assert "removed in 1.25" in warning.message and "policy/v1" in warning.hint
    assert hits(lint_yaml(tmp_path, text, "1.25"), "K8S002") == [1]
    assert hits(lint_yaml(tmp_path, text, None), "K8S002") == [1]


def test_jobs_need_no_probes(tmp_path):
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: shop}\nspec:\n  template:\n"
        "    spec:\n      restartPolicy: Never\n      securityContext: {runAsNonRoot: true}\n      containers:\n"
        "        - name: migrate\n          image: ghcr.io/example/migrate:1.0\n"
        "          resources: {requests: {cpu: 10m}, limits: {memory: 64Mi}}\n"
    )
    assert lint_yaml(tmp_path, job) == []


def test_lines_count_in_the_whole_multi_document_file():
    findings = lint_paths([DATA / "bad" / "app.yaml"], "1.32")
    assert [(f.rule, f.line) for f in findings] == [
        ("K8S002", 1), ("K8S010", 3), ("K8S004", 12), ("K8S005", 12), ("K8S009", 12),
        ("K8S010", 17), ("K8S012", 20), ("K8S004", 30), ("K8S005", 30), ("K8S006", 31), ("K8S001", 33),
        ("K8S009", 34), ("K8S007", 35), ("K8S014", 37), ("K8S008", 42), ("K8S011", 50), ("K8S013", 59),
    ]
    assert {f.file for f in findings} == {str(DATA / "bad" / "app.yaml")}


def test_profile_namespace_and_managed_images(tmp_path):
    text = edit("  namespace: shop\n", "").replace("web:1.0", "web")
    docs = parse_manifest_text(text, "app.yaml")
    plain = lint_files([], docs, "1.32")
    assert {"K8S006", "K8S010"} <= {f.rule for f in plain}
    wired = lint_files([], docs, "1.32", namespace="shop", managed_images=["ghcr.io/example/web"])
    assert wired == []


SLEEP_HOOK = edit("          livenessProbe:\n",
                  "          lifecycle:\n            preStop:\n              sleep: {seconds: 5}\n          livenessProbe:\n")


@pytest.mark.parametrize("pinned, oldest, rules", [
    ("1.27", None, {"K8S001", "K8S016"}),  # 1.27 has no such field
    ("1.29", None, {"K8S016"}),  # the field exists, its gate is off: dropped, then refused
    ("1.30", None, set()),
    (None, "v1.27.3", {"K8S001", "K8S016"}),  # unpinned: the oldest cluster the profile may land on
    (None, None, set()),  # plain `clusterctl lint PATH`: today's Kubernetes
])
def test_prestop_sleep_needs_a_cluster_of_1_30(pinned, oldest, rules):
    findings = lint_files([], parse_manifest_text(SLEEP_HOOK, "app.yaml"), pinned, oldest_version=oldest)
    assert {f.rule for f in findings} == rules
    assert {f.line for f in findings} <= {26}  # the `sleep:` key


def test_an_unpinned_profile_still_checks_apiversions_against_today():
    old_api = edit("apiVersion: apps/v1", "apiVersion: flowcontrol.apiserver.k8s.io/v1beta2", NAMESPACE.replace(
        "apiVersion: v1\nkind: Namespace", "apiVersion: apps/v1\nkind: FlowSchema"))
    findings = lint_files([], parse_manifest_text(old_api, "fs.yaml"), None, oldest_version="v1.27.3")
    assert "K8S002" in {f.rule for f in findings}  # removed in 1.29: a new kind cluster refuses it
