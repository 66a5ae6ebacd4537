"""`clusterctl lint`: rules for Dockerfiles and Kubernetes manifests (docs/lint.md lists them).

Entry points: `lint_paths` for files and directories, `lint_files` for a profile's Dockerfiles and parsed
manifests, `strict` for --strict, `findings_json` for --output json. Schemas load on first use only.
"""

from clusterctl.lint.engine import lint_files, lint_paths
from clusterctl.lint.model import Finding, findings_json, has_errors, sort_findings, strict

__all__ = ["Finding", "findings_json", "has_errors", "lint_files", "lint_paths", "sort_findings", "strict"]
