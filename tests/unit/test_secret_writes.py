"""The secrets step writes through the API: create, replace from the live copy without kubectl's
last-applied copy, or delete and create again for a changed type; a refusal carries only the API's message."""

import base64
import json
from dataclasses import replace

import pytest

from clusterctl.context import Context
from clusterctl.errors import ApplyRejected
from clusterctl.kube.api import KubeAPI, Refused
from clusterctl.profile.model import RegistryAuth, SecretSpec, Shipping
from clusterctl.steps.secrets import LAST_APPLIED, EnsureSecrets
from tests.fakes import FakeAPI, FakeRunner, Silent, make_profile

VALUE = "unit-plant-5d1c9e"
B64 = base64.b64encode(VALUE.encode()).decode()
ITEM = "/api/v1/namespaces/shop/secrets/db"
COLLECTION = "/api/v1/namespaces/shop/secrets"
LABELS = {"app.kubernetes.io/managed-by": "clusterctl", "clusterctl.dev/profile": "dev"}


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", VALUE)
    spec = SecretSpec(name="db", type="kubernetes.io/basic-auth", from_env=(("password", "DB_PASSWORD"),))
    api, runner = FakeAPI(), FakeRunner()
    ctx = Context(replace(make_profile(tmp_path), secrets=(spec,)), runner, Silent(), lambda k, c: api)
    return ctx, api, runner


def live(type_="kubernetes.io/basic-auth", data=B64, immutable=False, **meta) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "type": type_, "data": {"password": data},
            **({"immutable": True} if immutable else {}),
            "metadata": {"name": "db", "namespace": "shop", "resourceVersion": "7", "uid": "u-1",
                         "labels": dict(LABELS), **meta}}


def converge(ctx) -> str | None:
    step = EnsureSecrets()
    state = step.check(ctx)
    return None if state.done else step.run(ctx)


def test_a_new_secret_is_created_through_the_api_and_no_command_runs(world):
    ctx, api, runner = world

    assert converge(ctx) == "secret/db created"

    assert api.writes == [("POST", COLLECTION, {
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/basic-auth", "data": {"password": B64},
        "metadata": {"name": "db", "namespace": "shop", "labels": LABELS}})]
    assert runner.calls == []


def test_an_up_to_date_secret_is_left_alone(world):
    ctx, api, _ = world
    api.objects[ITEM] = live()

    assert converge(ctx) is None
    assert api.writes == []


def test_a_secret_an_older_clusterctl_applied_is_replaced_without_its_last_applied_copy(world):
    ctx, api, _ = world
    api.objects[ITEM] = live(annotations={LAST_APPLIED: json.dumps({"data": {"password": B64}}), "team": "web"},
                             managedFields=[{"manager": "kubectl-client-side-apply"}])
    api.objects[ITEM]["metadata"]["labels"]["tier"] = "db"

    assert converge(ctx) == "secret/db updated"

    [(method, path, body)] = api.writes
    assert (method, path) == ("PUT", ITEM)
    assert body["metadata"] == {"name": "db", "namespace": "shop", "resourceVersion": "7", "uid": "u-1",
                                "labels": {**LABELS, "tier": "db"}, "annotations": {"team": "web"}}
    assert (body["type"], body["data"]) == ("kubernetes.io/basic-auth", {"password": B64})


def test_changed_data_replaces_the_live_copy_and_drops_an_emptied_annotation_map(world):
    ctx, api, _ = world
    api.objects[ITEM] = live(data="b2xk", annotations={LAST_APPLIED: "{}"})

    assert converge(ctx) == "secret/db updated"

    [(_, _, body)] = api.writes
    assert "annotations" not in body["metadata"] and body["data"] == {"password": B64}


def test_a_changed_type_is_deleted_and_created_again(world):
    ctx, api, _ = world
    api.objects[ITEM] = live(type_="Opaque")

    detail = converge(ctx)

    assert [(m, p) for m, p, _ in api.writes] == [("DELETE", ITEM), ("POST", COLLECTION)]
    assert api.writes[1][2]["type"] == "kubernetes.io/basic-auth"
    assert detail == ("secret/db recreated: its type changed from Opaque to kubernetes.io/basic-auth, "
                      "which the API server never updates in place")


def test_a_secret_gone_before_its_delete_is_still_created(world):
    ctx, api, _ = world
    api.objects[ITEM] = live(type_="Opaque")
    api.refuse[("DELETE", ITEM)] = Refused(404, "NotFound", 'secrets "db" not found')

    assert "recreated" in converge(ctx)
    assert [m for m, _, _ in api.writes] == ["DELETE", "POST"]


def refused(world, secret: dict, method: str, path: str, refusal: Refused) -> ApplyRejected:
    """The step's error when the live Secret is `secret` and the API refuses `method path`; it never holds
    the value, raw or base64."""
    ctx, api, _ = world
    api.objects[ITEM] = secret
    api.refuse[(method, path)] = refusal
    with pytest.raises(ApplyRejected) as raised:
        converge(ctx)
    for text in (raised.value.message, raised.value.hint):
        assert VALUE not in text and B64 not in text
    return raised.value


def test_a_refusal_names_the_secret_and_carries_only_the_apis_message(world):
    error = refused(world, live(data="b2xk"), "PUT", ITEM,
                    Refused(403, "Forbidden", 'admission webhook "deny.example" denied the request: no'))

    assert error.message == ('the API server refused Secret shop/db: admission webhook "deny.example" denied the '
                             "request: no")
    assert error.hint.startswith("fix what the API server names (secret 'db' in the profile")
    assert error.exit_code == 6


def test_an_immutable_secret_gets_the_command_that_deletes_it(world):
    error = refused(world, live(data="b2xk", immutable=True), "PUT", ITEM,
                    Refused(422, "Invalid", 'Secret "db" is invalid: data: Forbidden: field is immutable when '
                            "`immutable` is set"))

    assert world[1].writes[0][2]["immutable"] is True  # kept: dropping it is refused too
    assert "`kubectl --context kind-dev -n shop delete secret db`" in error.hint


def test_a_refused_create_after_the_delete_says_the_secret_is_gone(world):
    error = refused(world, live(type_="Opaque"), "POST", COLLECTION, Refused(403, "Forbidden", "exceeded quota: q"))

    assert error.message == ("Secret shop/db was deleted to change its type, and the API server refused to create "
                             "it again: exceeded quota: q")


def test_the_plan_names_each_write_and_no_value(world):
    ctx, api, runner = world
    shipping = Shipping(mode="push", registry="ghcr.io/o", auth=RegistryAuth("me", "GHCR_TOKEN"), pull_secret="pull")
    ctx = Context(replace(ctx.profile, shipping=shipping), runner, Silent(), lambda k, c: api)

    shown = [w.display() for w in EnsureSecrets().plan(ctx)]

    assert shown == [
        "write Secret shop/db (kubernetes.io/basic-auth; keys password; values from the environment, not shown) "
        "through the API: create it, replace it, or delete and create it again if its type changed",
        "write Secret shop/pull (kubernetes.io/dockerconfigjson; keys .dockerconfigjson; values from the "
        "environment, not shown) through the API: create it, replace it, or delete and create it again if its "
        "type changed"]


class Response:
    def __init__(self, status: int, data: bytes, reason: str = ""):
        self.status, self.data, self.reason = status, data, reason

    def release_conn(self) -> None:
        pass


def refusal(answer: Response) -> Refused:
    api = KubeAPI.__new__(KubeAPI)  # no kubeconfig: only the answer's handling is under test
    sent = []
    api._send = lambda *args: sent.append(args) or answer
    with pytest.raises(Refused) as refused:
        api.write("PUT", ITEM, live())
    assert sent == [("PUT", ITEM, {"fieldManager": "clusterctl"}, live())]
    return refused.value


def test_the_client_passes_on_a_status_and_never_a_body():
    status = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Invalid", "code": 422,
              "message": 'Secret "db" is invalid: type: Invalid value: "Opaque": field is immutable'}
    invalid = refusal(Response(422, json.dumps(status).encode()))
    assert (invalid.code, invalid.reason, invalid.message) == (422, "Invalid", status["message"])

    page = refusal(Response(502, f"<html>upstream echoed {B64}</html>".encode(), "Bad Gateway"))
    assert (page.code, page.reason, page.message) == (502, "", "Bad Gateway")


def test_the_client_answers_the_written_object():
    api = KubeAPI.__new__(KubeAPI)
    api._send = lambda *args: Response(201, json.dumps(live()).encode())
    assert api.write("POST", COLLECTION, live()) == live()
