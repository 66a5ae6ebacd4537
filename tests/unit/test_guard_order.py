"""Issue 19: every path that can reach the API compares the context's server and CA with the record first.

The fake API and the runner's kubectl record each call in one list with the comparison; an API call
before the comparison fails at once, and a context pointing elsewhere gets no call at all.
"""

import io

import pytest
import yaml

from clusterctl import identity, status
from clusterctl.app import Options
from clusterctl.console import Console
from clusterctl.context import Context
from clusterctl.errors import WrongCluster
from clusterctl.logs import LogOptions, show_logs
from clusterctl.steps.cluster import DeleteCluster, RequireCluster, VerifyIdentity, answers_as_stamped
from clusterctl.steps.teardown import DeleteApplied
from clusterctl.urls import show_urls
from tests.fakes import FakeAPI, FakeRunner, make_profile, stamp_as_created

ELSEWHERE = "https://127.0.0.1:49999"


class OrderedAPI(FakeAPI):
    def __init__(self, events: list[str]):
        super().__init__()
        self.events = events

    def _called(self, what: str) -> None:
        assert "compare" in self.events, f"{what} was sent before the context was compared with the record"
        self.events.append(what)

    def get(self, path, query=None):
        self._called(f"GET {path}")
        return super().get(path, query)

    def watch(self, path, resource_version, timeout_s):
        self._called(f"WATCH {path}")
        return super().watch(path, resource_version, timeout_s)


class OrderedRunner(FakeRunner):
    """kubectl talks to the API server too."""

    def __init__(self, api: OrderedAPI):
        super().__init__()
        self.api = api

    def run(self, cmd, on_output=None):
        if cmd.argv[0] == "kubectl":
            self.api._called(" ".join(cmd.argv[5:7]))
        return super().run(cmd, on_output)


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERCTL_HOME", str(tmp_path / "home"))
    events: list[str] = []
    real = identity.compare
    monkeypatch.setattr(identity, "compare", lambda *a, **k: events.append("compare") or real(*a, **k))
    manifest = tmp_path / "web.yaml"
    manifest.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}}))
    api = OrderedAPI(events)
    runner = OrderedRunner(api)
    ctx = Context(make_profile(tmp_path, manifests=[str(manifest)]), runner, Console(out=io.StringIO(),
                  err=io.StringIO()), lambda k, c: api)
    stamp_as_created(ctx, api)
    monkeypatch.setattr(status, "make_context", lambda *a, **k: ctx)
    return ctx, runner, events


def _point_elsewhere(ctx) -> None:
    ctx.kubeconfig.write_text(ctx.kubeconfig.read_text().replace("https://127.0.0.1:40123", ELSEWHERE)
                              .replace("Q0EK", "T1RIRVIK"))


ENTRY_POINTS = {
    "fast path": lambda ctx: answers_as_stamped(ctx) or (_ for _ in ()).throw(WrongCluster("fast path said no")),
    "verify identity": lambda ctx: VerifyIdentity().check(ctx),
    "redeploy's cluster": lambda ctx: ctx.runner.kind_cluster() and RequireCluster().check(ctx)
    and VerifyIdentity().check(ctx),
    "down": lambda ctx: ctx.runner.kind_cluster() and DeleteCluster().check(ctx),
    "down --keep-cluster": lambda ctx: ctx.runner.kind_cluster() and DeleteApplied().check(ctx),
    "status": lambda ctx: ctx.runner.kind_cluster() and status.show_status("dev", Options()),
    "status --watch (its first look)": lambda ctx: ctx.runner.kind_cluster() and status.require_running(ctx),
    "urls": lambda ctx: ctx.runner.kind_cluster() and show_urls(ctx, as_json=True),
    "logs": lambda ctx: show_logs(ctx, "service/web", LogOptions()),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_the_comparison_comes_before_the_first_request(world, entry):
    ctx, runner, events = world
    try:
        ENTRY_POINTS[entry](ctx)
    except WrongCluster:
        raise
    except Exception:  # what a path does after the guard is not this test's business
        pass
    assert events[0] == "compare" and len(events) > 1, events


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_context_pointing_elsewhere_gets_no_request_and_is_refused_naming_both_servers(world, entry):
    ctx, runner, events = world
    _point_elsewhere(ctx)
    with pytest.raises(WrongCluster) as refused:
        ENTRY_POINTS[entry](ctx)
    assert set(events) == {"compare"}, events  # compared (maybe twice), and nothing sent
    if entry != "fast path":
        assert ELSEWHERE in refused.value.message and "https://127.0.0.1:40123" in refused.value.message


def test_force_overrides_a_failed_comparison_in_the_report_and_still_sends_nothing(world):
    ctx, runner, events = world
    _point_elsewhere(ctx)
    ctx.force = True
    runner.kind_cluster()
    assert not DeleteCluster().check(ctx).done
    assert events == ["compare"]
    assert "overridden by --force" in ctx.notes[0] and ELSEWHERE in ctx.notes[0]


def test_adopt_decides_after_the_comparison(world):
    ctx, runner, events = world
    _point_elsewhere(ctx)
    ctx.adopt = True
    assert not VerifyIdentity().check(ctx).done  # run() stamps it: the user said it is theirs
    assert events == ["compare"]
