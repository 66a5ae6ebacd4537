"""Every lint rule: its id, severity, a one-line title and the default fix hint (docs/lint.md mirrors it)."""

from __future__ import annotations

from dataclasses import dataclass

from clusterctl.lint.model import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    hint: str


_RULES = (
    # Dockerfiles
    Rule("DF000", "error", "Dockerfile does not parse", "fix the instruction; see the Dockerfile reference"),
    Rule("DF001", "warning", "final stage runs as root", "add `USER 10001` (or a named non-root user) to the final stage"),
    Rule("DF002", "warning", "base image unpinned (:latest or no tag)", "pin a version tag, better a digest: `FROM image:1.2@sha256:...`"),
    Rule("DF003", "info", "base image pinned by tag only", "add the digest: `FROM image:1.2@sha256:...`"),
    Rule("DF004", "error", "secret literal in ENV or ARG", "pass it at run time (Kubernetes Secret); for the build, name it in the profile's images[].secrets and read it with `RUN --mount=type=secret`"),
    Rule("DF005", "warning", "toolchain image is the final stage", "build in a named stage and COPY --from it into a runtime image (distroless, alpine, scratch)"),
    Rule("DF006", "warning", "`COPY . .` before installing dependencies", "COPY the manifest and lock files first, install, then COPY the rest"),
    Rule("DF007", "warning", "no .dockerignore in the build context", "add a .dockerignore listing .git, node_modules, *.log and build output"),
    Rule("DF008", "warning", ".dockerignore lets .git, node_modules or logs in", "add the path to .dockerignore"),
    Rule("DF009", "warning", "package install leaves its cache in the layer", "clean up in the same RUN (`rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`)"),
    Rule("DF010", "warning", "apt-get install without --no-install-recommends", "use `apt-get install -y --no-install-recommends ...`"),
    Rule("DF011", "warning", "script piped from the network into a shell", "download to a file, verify its checksum, then run it"),
    # Kubernetes manifests
    Rule("K8S000", "error", "manifest does not parse", "fix the document: YAML with apiVersion, kind and metadata.name"),
    Rule("K8S001", "error", "object does not match the Kubernetes schema", "fix the field named in the message (`kubectl explain KIND.FIELD`)"),
    Rule("K8S002", "error", "apiVersion removed in the target Kubernetes version", "move to the replacement apiVersion (`kubectl convert`)"),
    Rule("K8S003", "warning", "apiVersion deprecated, removed in a later version", "move to the replacement apiVersion before upgrading"),
    Rule("K8S004", "warning", "container without resource requests or limits", "set resources.requests (cpu, memory) and resources.limits (memory)"),
    Rule("K8S005", "warning", "container without readiness or liveness probe", "add readinessProbe and livenessProbe (httpGet, tcpSocket or exec)"),
    Rule("K8S006", "warning", "image :latest or without a tag", "use an explicit tag, or a digest"),
    Rule("K8S007", "error", "privileged container", "remove securityContext.privileged; add only the capabilities you need"),
    Rule("K8S008", "warning", "hostPath volume", "use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret volume"),
    Rule("K8S009", "warning", "runAsNonRoot not set", "set securityContext.runAsNonRoot: true (pod or container)"),
    Rule("K8S010", "warning", "workload in the default namespace", "set metadata.namespace (and create the Namespace)"),
    Rule("K8S011", "warning", "Service selector matches no pod template", "make spec.selector match the pod template labels"),
    Rule("K8S012", "warning", "replicated workload without a PodDisruptionBudget", "add a policy/v1 PodDisruptionBudget selecting its pods"),
    Rule("K8S013", "error", "Secret with literal data in the repository", "create it at deploy time (kubectl create secret, External Secrets, SOPS)"),
    Rule("K8S014", "warning", "preStop sleep not shorter than terminationGracePeriodSeconds", "raise terminationGracePeriodSeconds above the preStop sleep plus shutdown time"),
    Rule("K8S015", "info", "schema validation skipped", "install kubernetes-validate, or use a Kubernetes version it ships schemas for"),
    Rule("K8S016", "error", "field needs a newer Kubernetes than the cluster may run", "pin cluster.kubernetesVersion (or nodeImage) to a version that has it, or do without the field"),
)
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def finding(rule_id: str, file: str, line: int, message: str, hint: str | None = None) -> Finding:
    rule = RULES[rule_id]
    return Finding(rule.id, rule.severity, file, line, message, hint or rule.hint)
