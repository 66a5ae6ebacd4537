"""The CLI's wiring: help and version stay light, dry-run works without tools, a missing tool exits 3."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clusterctl.errorhandler import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args, path: str | None = None, cwd: Path = ROOT):
    env = {"PATH": path if path is not None else "/nonexistent", "HOME": "/nonexistent-home"}
    return subprocess.run([sys.executable, "-m", "clusterctl", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(flag):
    probe = (f"import sys; from clusterctl.errorhandler import main; code = main([{flag!r}]); "
             "heavy = [m for m in ('kubernetes', 'docker', 'sh', 'jsonschema', 'yaml', 'pathspec') if m in sys.modules]; "
             "print(code, heavy)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout
    assert out.strip().splitlines()[-1] == "0 []"


def test_up_without_kind_stops_at_preflight_naming_what_to_install():
    result = run("up", "dev")
    assert result.returncode == 3
    assert "missing kind, kubectl, docker" in result.stderr
    assert "https://kind.sigs.k8s.io/docs/user/quick-start/#installation" in result.stderr


def test_dry_run_works_without_any_tool_and_says_what_is_missing():
    result = run("up", "dev", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "kind create cluster --name dev" in result.stdout
    assert "missing on this machine: kind, kubectl, docker" in result.stdout


def test_dry_run_json_is_only_json_on_stdout():
    result = run("up", "minikube", "--dry-run", "--output", "json")
    doc = json.loads(result.stdout)
    assert doc["dryRun"] is True and doc["missingTools"] == ["minikube", "kubectl", "docker"]
    assert doc["steps"][2]["commands"] == [
        "minikube start -p shop --driver=docker --cpus=2 --memory=4096mb"]


def test_unknown_profile_is_bad_input_listing_the_available_ones(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["up", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert 'no profile named "nosuch"' in err and "dev, minikube" in err
    assert "Traceback" not in err


def test_bad_output_flag_is_bad_input(capsys):
    assert main(["status", "dev", "--output", "yaml"]) == 2


def test_redeploy_of_an_unknown_image_names_the_images(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["redeploy", "nope", "--dry-run"]) == 2
    assert "its images: catalogue, bff, frontend" in capsys.readouterr().err
