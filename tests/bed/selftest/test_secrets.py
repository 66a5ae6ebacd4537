"""Secrets on the API server stand-in: ValidateSecretUpdate's immutable type and `immutable` data, the keys
each type requires (kubernetes/kubernetes pkg/apis/core/validation/validation.go), and what real kubectl
prints when the server refuses a client-side apply of a Secret (kubernetes/kubectl pkg/cmd/apply/apply.go
@ v0.32.4: the error embeds the patch, last-applied annotation and all)."""
from __future__ import annotations

import base64
import json

import pytest

pytestmark = pytest.mark.integration

SECRETS = "/api/v1/namespaces/default/secrets"


def secret(name="db", type_="Opaque", **data: str) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": type_,
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}}


def test_a_secret_type_never_changes(api):
    live = api.call("POST", SECRETS, secret(password="one")).json
    live["type"] = "kubernetes.io/basic-auth"

    for refused in (api.call("PUT", f"{SECRETS}/db", live),
                    api.call("PATCH", f"{SECRETS}/db", {"type": "kubernetes.io/basic-auth"},
                             content_type="application/merge-patch+json")):
        assert (refused.code, refused.json["reason"]) == (422, "Invalid")
        assert refused.json["message"] == \
            'Secret "db" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable'
        assert refused.json["details"] == {"name": "db", "kind": "Secret", "causes": [
            {"reason": "FieldValueInvalid", "field": "type",
             "message": 'Invalid value: "kubernetes.io/basic-auth": field is immutable'}]}
    assert api.call("DELETE", f"{SECRETS}/db").code == 200
    assert api.call("POST", SECRETS, secret(type_="kubernetes.io/basic-auth", password="one")).code == 201


def test_an_immutable_secret_keeps_its_data_and_its_flag(api):
    made = secret(password="one")
    made["immutable"] = True
    live = api.call("POST", SECRETS, made).json
    live["data"]["password"] = base64.b64encode(b"two").decode()
    del live["immutable"]

    refused = api.call("PUT", f"{SECRETS}/db", live)

    assert refused.code == 422
    assert refused.json["message"] == ('Secret "db" is invalid: [immutable: Forbidden: field is immutable when '
                                       '`immutable` is set, data: Forbidden: field is immutable when `immutable` '
                                       "is set]")
    # The server names the field, never the value.
    assert "two" not in refused.raw.decode() and live["data"]["password"] not in refused.raw.decode()


def test_each_type_requires_its_keys(api):
    basic = api.call("POST", SECRETS, secret("b", "kubernetes.io/basic-auth", token="x"))
    assert basic.json["message"] == \
        'Secret "b" is invalid: [data[username]: Required value, data[password]: Required value]'
    tls = api.call("POST", SECRETS, secret("t", "kubernetes.io/tls", **{"tls.crt": "c"}))
    assert tls.json["message"] == 'Secret "t" is invalid: data[tls.key]: Required value'
    pull = api.call("POST", SECRETS, secret("p", "kubernetes.io/dockerconfigjson", other="{}"))
    assert pull.json["message"] == 'Secret "p" is invalid: data[.dockerconfigjson]: Required value'
    assert api.call("POST", SECRETS, secret("u", "kubernetes.io/basic-auth", username="u")).code == 201


DENY = [{"name": "deny-secrets.bed.local", "operations": ["UPDATE"], "resources": ["secrets"],
         "status": {"code": 403, "reason": "Forbidden", "message": "secrets are frozen"}}]


def test_a_webhook_denial_is_worded_as_to_status_err(api):
    assert api.call("POST", SECRETS, secret(password="one")).code == 201
    (api.opts.state_dir / "webhooks.json").write_text(json.dumps(DENY))

    denied = api.call("PATCH", f"{SECRETS}/db", {"data": {"password": "dHdv"}},
                      content_type="application/merge-patch+json")

    assert denied.code == 403
    assert denied.json == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                           "message": 'admission webhook "deny-secrets.bed.local" denied the request: '
                                      "secrets are frozen", "reason": "Forbidden", "code": 403}
    assert api.call("POST", SECRETS, secret("other", password="x")).code == 201  # CREATE is not in its rules
    (api.opts.state_dir / "webhooks.json").write_text(json.dumps([{**DENY[0], "status": {}}]))
    bare = api.call("PUT", f"{SECRETS}/other", api.call("GET", f"{SECRETS}/other").json)
    assert (bare.code, "reason" in bare.json) == (400, False)
    assert bare.json["message"] == 'admission webhook "deny-secrets.bed.local" denied the request without explanation'


def applied(bed, manifests: list[dict]):
    return bed.kubectl("apply", "-f", "-", stdin="\n".join(json.dumps(m) for m in manifests))


def in_default(made: dict) -> dict:
    return {**made, "metadata": {"name": made["metadata"]["name"], "namespace": "default"}}


def test_kubectl_prints_the_refused_patch_and_its_base64_unless_one_object_is_invalid(bed):
    """Why clusterctl writes Secrets itself. kubectl's error for a refused apply embeds the patch, whose
    last-applied annotation holds the data; only a lone 422 with details is printed from its causes
    (pkg/cmd/util/helpers.go checkErr @ v0.32.4), while several errors, or any other refusal, print it whole."""
    first = [in_default(secret(n, password=f"kubectl-leak-{n}-1")) for n in ("leak-a", "leak-b")]
    assert applied(bed, first).returncode == 0
    changed = [in_default(secret(n, "kubernetes.io/basic-auth", password=f"kubectl-leak-{n}-2"))
               for n in ("leak-a", "leak-b")]

    alone = applied(bed, changed[:1])
    both = applied(bed, changed)

    assert alone.returncode == 1
    assert alone.stderr == ('The Secret "leak-a" is invalid: type: Invalid value: "kubernetes.io/basic-auth": '
                            "field is immutable\n")
    assert both.returncode == 1
    assert both.stderr.startswith("Error from server (Invalid): error when applying patch:\n")
    assert "kubectl.kubernetes.io/last-applied-configuration" in both.stderr
    for made in changed:
        assert made["data"]["password"] in both.stderr  # each new value, base64, in its patch
        assert (f'for: "STDIN": error when patching "STDIN": Secret "{made["metadata"]["name"]}" is invalid: '
                'type: Invalid value: "kubernetes.io/basic-auth": field is immutable') in both.stderr
    live = json.loads(bed.kubectl("get", "secret", "leak-a", "-o", "json").stdout)
    assert live["type"] == "Opaque"
    assert "kubectl.kubernetes.io/last-applied-configuration" in live["metadata"]["annotations"]


def test_kubectl_prints_the_patch_a_webhook_denied(bed):
    made = in_default(secret("frozen", password="kubectl-leak-frozen-1"))
    assert applied(bed, [made]).returncode == 0
    (bed.state_dir / "webhooks.json").write_text(json.dumps(DENY))
    try:
        again = in_default(secret("frozen", password="kubectl-leak-frozen-2"))
        denied = applied(bed, [again])
    finally:
        (bed.state_dir / "webhooks.json").unlink()

    assert denied.returncode == 1
    assert denied.stderr.startswith("Error from server (Forbidden): error when applying patch:\n")
    assert again["data"]["password"] in denied.stderr
    assert denied.stderr.rstrip().endswith(
        'for: "STDIN": error when patching "STDIN": admission webhook "deny-secrets.bed.local" denied the '
        "request: secrets are frozen")
