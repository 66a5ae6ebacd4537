"""Every JSON document clusterctl prints validates against the documented, versioned schema."""

import json
from pathlib import Path

import jsonschema
import pytest

from clusterctl.diagnose import Diagnosis
from clusterctl.errors import WorkloadsFailed
from clusterctl.orchestrator import RunReport, StepOutcome
from clusterctl.report import as_json
from clusterctl.steps.wait import WorkloadReport
from clusterctl.waiter import Workload

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report.schema.json").read_text())


def validate(doc):
    jsonschema.validate(json.loads(json.dumps(doc)), SCHEMA)


def test_a_failed_up_with_workloads_and_diagnoses():
    report = RunReport("up", "dev", "kind-dev", steps=[
        StepOutcome("build", "Build 1 image", "build", "done", "bff:abc", 1.2),
        StepOutcome("wait", "Wait for workloads", "ready", "failed", "not ready", 5.0)],
        seconds=6.2, error=WorkloadsFailed("not ready: deployment/bff", hint="see above"))
    workloads = [WorkloadReport(Workload("Deployment", "shop", "bff"), 0, 2, "Failed: CrashLoopBackOff", 4,
                                "ghcr.io/o/bff:abc", None, [])]
    diagnoses = [Diagnosis("deployment/bff", "CrashLoopBackOff", "bff-1", "bff", "back-off", ["BackOff: x"],
                           ["panic"], "read the logs")]
    doc = as_json(report, workloads, ["a note"], diagnoses)
    validate(doc)
    assert doc["ok"] is False and doc["error"]["exitCode"] == 7


def test_a_no_op_up():
    report = RunReport("up", "dev", "kind-dev", steps=[
        StepOutcome("apply", "Apply", "apply", "skipped", "unchanged", 0.1)], seconds=0.9)
    doc = as_json(report, [], [])
    validate(doc)
    assert doc["changed"] is False and doc["error"] is None


def test_the_schema_rejects_an_unknown_step_status():
    report = RunReport("up", "dev", "kind-dev", steps=[StepOutcome("x", "X", "apply", "maybe", "", 0.0)])
    with pytest.raises(jsonschema.ValidationError):
        validate(as_json(report, [], []))
