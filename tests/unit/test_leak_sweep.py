"""The leak sweep used by the secret tests finds a planted value in each place and form it searches."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
from types import SimpleNamespace

from tests.integration.leaks import plant, sweep, watch_processes


def test_each_place_and_form_is_searched(tmp_path):
    planted = plant("API_TOKEN", tricky=True)
    value = planted.env["API_TOKEN"]
    home = tmp_path / "home"
    (home / ".clusterctl").mkdir(parents=True)
    (home / ".clusterctl" / "state.json").write_text(json.dumps({"v": value}))  # JSON-escaped
    bed_env = SimpleNamespace(home=home, root=tmp_path, kubeconfig=home / ".kube" / "config")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp" / "key").write_text(base64.b64encode(f"planted-user:{value}".encode()).decode())
    child = [sys.executable, "-c", "import time; time.sleep(0.5)", base64.b64encode(value.encode()).decode()]
    with watch_processes() as seen:
        subprocess.run(child, env={"LEAKED": value}, check=True)
    as_kubectl_prints_it = json.dumps(value)[1:-1].replace("&", "\\u0026")  # Go escapes & in JSON
    result = SimpleNamespace(stdout=as_kubectl_prints_it, stderr=f"error: {value}", report={"detail": value})

    leaks = sweep(planted, result=result, bed_env=bed_env, processes=seen)

    assert any(x.startswith("stderr: $API_TOKEN") for x in leaks)
    assert "stdout: $API_TOKEN (JSON, Go)" in leaks
    assert any(x.startswith("JSON report: $API_TOKEN (JSON)") for x in leaks)
    assert any("state.json: $API_TOKEN (JSON)" in x for x in leaks)
    assert any("tmp/key: $API_TOKEN (base64 of user:value)" in x for x in leaks)
    assert any(x.startswith("argv of pid") and x.endswith("$API_TOKEN (base64)") for x in leaks)
    assert any(x.startswith("environment of pid") and x.endswith("$API_TOKEN") for x in leaks)


def test_a_clean_run_finds_nothing(tmp_path):
    planted = plant("API_TOKEN")
    result = SimpleNamespace(stdout="ok", stderr="", report={"steps": []})
    assert sweep(planted, result=result) == []


def test_a_build_secret_variable_is_no_leak_only_in_the_process_that_names_it_and_its_plugins(tmp_path):
    planted = plant("NPM_TOKEN", "DB_PASSWORD")
    (tmp_path / "b.py").write_text("import subprocess, sys\n"
                                   "subprocess.run([sys.executable, '-c', 'import time; time.sleep(0.5)', 'plugin'])\n")
    builder = [sys.executable, "b.py", "--secret", "id=npm,env=NPM_TOKEN"]
    other = [sys.executable, "-c", "import time; time.sleep(0.5)", "kubectl"]
    with watch_processes(interval=0.02) as seen:
        procs = [subprocess.Popen(argv, env=planted.env, cwd=tmp_path) for argv in (builder, other)]
        for proc in procs:
            proc.wait()

    leaks = sweep(planted, processes=seen)

    assert not any("--secret" in x and "$NPM_TOKEN" in x for x in leaks)
    assert any("--secret" in x and x.endswith("$DB_PASSWORD") for x in leaks)
    assert not any("plugin" in x and "$NPM_TOKEN" in x for x in leaks)
    assert any("plugin" in x and x.endswith("$DB_PASSWORD") for x in leaks)
    assert any("kubectl" in x and x.endswith("$NPM_TOKEN") for x in leaks)
