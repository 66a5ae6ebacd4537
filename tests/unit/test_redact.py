"""Masking registered secrets: every derived form, before JSON encoding, before rich folds a line, and the
same values registered up front for every verb, short ones refused."""

import base64
import io
import json
import re
import secrets
import urllib.parse

import pytest

from clusterctl import redact
from clusterctl.app import Options, make_context
from clusterctl.console import Console
from clusterctl.errors import BadInput

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def fresh(extra: str = "") -> str:
    """A value of its own per test: registrations are process-wide."""
    return f"tok{extra}-{secrets.token_hex(10)}"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("form", ["raw", "base64", "base64 unpadded", "base64 inside a longer stream",
                                  "URL", "URL plus", "JSON", "JSON (Go, HTML-safe)"])
def test_each_derived_form_of_a_value_is_masked(form):
    value = fresh('"\\/+&< é')
    redact.register(value)
    shown = {"raw": value, "base64": b64(value), "base64 unpadded": b64(value).rstrip("="),
             # the value 1 byte into a base64 stream (a whole .dockerconfigjson, say): its middle is fixed
             "base64 inside a longer stream": b64("{" + value + "}"),
             "URL": urllib.parse.quote(value, safe=""), "URL plus": urllib.parse.quote_plus(value),
             "JSON": json.dumps(value)[1:-1],
             # Go's encoding/json (kubectl) keeps UTF-8 but escapes <, > and & (encode.go appendString)
             "JSON (Go, HTML-safe)": json.dumps(value, ensure_ascii=False)[1:-1].replace("<", "\\u003c")
             .replace("&", "\\u0026")}[form]
    masked = redact.redact(f"before {shown} after")
    assert masked.startswith("before ") and masked.endswith(" after") and redact.MASK in masked
    if form == "base64 inside a longer stream":  # at most the edge characters, which mix in the neighbours
        assert len(masked) <= len("before  after") + len(redact.MASK) + 8, masked
    else:
        assert masked == f"before {redact.MASK} after"


def test_each_line_of_a_multi_line_value_is_masked_alone():
    body = [base64.b64encode(secrets.token_bytes(48)).decode() for _ in range(26)]  # an RSA-2048 key's size
    pem = "\n".join(["-----BEGIN PRIVATE KEY-----", *body, "-----END PRIVATE KEY-----", ""])
    redact.register(pem)
    for line in body:  # a log tail or a stream shows one line at a time
        assert redact.redact(f"key: {line}") == f"key: {redact.MASK}"
    assert redact.redact(json.dumps({"key": pem})) == json.dumps({"key": redact.MASK})


def test_the_json_error_report_masks_values_json_would_escape(capsys):
    from clusterctl.errorhandler import _report

    value = fresh('"\\')
    redact.register(value)
    _report(BadInput(f"rejected {value}", details=[f"detail {value}"], hint=f"hint {value}"), as_json=True)
    out = capsys.readouterr().out
    assert value not in json.dumps(json.loads(out)) and value not in json.loads(out)["error"]["message"]
    assert json.loads(out)["error"]["message"] == f"rejected {redact.MASK}"


def test_a_long_secret_folded_by_the_terminal_is_masked(monkeypatch):
    from clusterctl import report as reports
    from clusterctl.diagnose import Diagnosis
    from clusterctl.errors import WorkloadsFailed
    from clusterctl.orchestrator import RunReport

    monkeypatch.setenv("COLUMNS", "40")
    value = fresh() + secrets.token_hex(20)  # 70 characters: rich folds it over two lines
    redact.register(value)
    diagnosis = Diagnosis("deployment/api", "CrashLoopBackOff", "api-1", "api", "back-off",
                          logs=[f"connecting with {value}"])
    out = Terminal()
    text = reports.text(RunReport("up", "dev", "kind-dev", [], 1.0, WorkloadsFailed("x")), [], [], [diagnosis])
    Console(out=out, err=io.StringIO()).print(text)
    unfolded = ANSI.sub("", out.getvalue()).replace("\n", "")
    assert "connecting with" in unfolded and value not in unfolded


def write_profile(tmp_path, env_file: str | None = None):
    """profiles/mask.yaml under tmp_path: `mask` names it from there (lint takes a path for files)."""
    image = tmp_path / "profiles" / "images" / "web"
    image.mkdir(parents=True)
    (image / "Dockerfile").write_text("FROM scratch\n")
    lines = ["apiVersion: clusterctl.dev/v1alpha1", "kind: Profile", "cluster: {name: mask, driver: kind}",
             "namespace: demo", "shipping:", "  mode: push", "  registry: 127.0.0.1:5000/team",
             "  auth: {username: robot, passwordEnv: MASK_REGISTRY_TOKEN}", "  pullSecret: pull",
             "images: [{name: web, context: images/web}]", "secrets:", "  - name: db"]
    if env_file:
        lines.append(f"    envFile: {env_file}")
    lines += ["    fromEnv:", "      db-url: MASK_DB_URL", "      db-password: MASK_DB_PASSWORD"]
    path = tmp_path / "profiles" / "mask.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


# Every verb that loads a profile; no tool is on PATH, so none runs whatever the verb tries.
VERBS = [["up", "mask", "--dry-run"], ["down", "mask", "--dry-run"], ["redeploy", "web", "-p", "mask", "--dry-run"],
         ["status", "mask"], ["status", "mask", "--watch"], ["logs", "web", "-p", "mask"], ["urls", "mask"],
         ["validate", "mask"], ["lint", "mask"]]


@pytest.fixture
def no_tools(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "kubeconfig"))
    monkeypatch.chdir(tmp_path)


def run_cli(argv: list[str]) -> int:
    from clusterctl.errorhandler import main

    return main(argv)


@pytest.mark.parametrize("argv", VERBS, ids=lambda argv: " ".join(argv))
def test_every_verb_registers_every_secret_of_the_profile_up_front(tmp_path, monkeypatch, no_tools, argv):
    token, password, db_url = fresh(), fresh(), f"postgres://app:{fresh()}@db/shop"
    write_profile(tmp_path, ".env")
    (tmp_path / "profiles" / ".env").write_text(f"MASK_DB_URL={db_url}\n")
    monkeypatch.setenv("MASK_REGISTRY_TOKEN", token)
    monkeypatch.setenv("MASK_DB_PASSWORD", password)
    run_cli(argv)
    shown = f"{token} {b64('robot:' + token)} {b64(password)} {urllib.parse.quote(password, safe='')} {db_url}"
    assert redact.redact(shown) == " ".join([redact.MASK] * 5)


@pytest.mark.parametrize("argv", VERBS, ids=lambda argv: " ".join(argv))
def test_every_verb_refuses_a_value_too_short_to_mask_before_anything_runs(tmp_path, monkeypatch, no_tools, capsys,
                                                                           argv):
    monkeypatch.setenv("MASK_REGISTRY_TOKEN", "ab")
    for name in ("MASK_DB_URL", "MASK_DB_PASSWORD"):
        monkeypatch.setenv(name, fresh())
    path = write_profile(tmp_path).resolve()
    assert run_cli(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}:8: shipping.auth.passwordEnv: $MASK_REGISTRY_TOKEN is 2 characters long" in err, err
    assert "too short to mask" in err


@pytest.mark.parametrize("short", ["x", "abc"])
def test_a_short_secret_value_is_refused_with_the_variable_and_its_key(tmp_path, monkeypatch, short):
    monkeypatch.setenv("MASK_REGISTRY_TOKEN", fresh())
    monkeypatch.setenv("MASK_DB_URL", fresh())
    monkeypatch.setenv("MASK_DB_PASSWORD", short)
    path = write_profile(tmp_path)
    with pytest.raises(BadInput) as err:
        make_context(str(path), Options())
    assert err.value.exit_code == 2
    assert err.value.message.startswith(f"{path}:15: secrets[0].fromEnv.db-password: $MASK_DB_PASSWORD is ")
    assert f" {short} " not in err.value.message


def test_an_empty_value_has_nothing_to_mask_and_is_not_refused(tmp_path, monkeypatch):
    for name in ("MASK_REGISTRY_TOKEN", "MASK_DB_URL"):
        monkeypatch.setenv(name, fresh())
    monkeypatch.setenv("MASK_DB_PASSWORD", "")
    make_context(str(write_profile(tmp_path)), Options())
