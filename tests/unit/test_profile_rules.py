"""The small value rules behind profile validation: interpolation, durations, memory, names, references."""

import pytest

from clusterctl.profile import rules
from clusterctl.profile.interpolate import InterpolationError, expand, has_reference
from clusterctl.profile.model import parent_path

ENV = {"USER": "tiga", "EMPTY": ""}


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("${USER}", "tiga"),
        ("ghcr.io/${USER}/bff", "ghcr.io/tiga/bff"),
        ("${MISSING:-dev}", "dev"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${MISSING:-}", ""),
        ("$$5 and $$${USER}", "$5 and $tiga"),
        ("a$b $ {x}", "a$b $ {x}"),
        ("${MISSING:-a:-b}", "a:-b"),
    ],
)
def test_expand(text, expanded):
    assert expand(text, ENV) == expanded


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${NOPE}", "environment variable NOPE not set; export it or give a default: ${NOPE:-value}"),
        ("${A}-${B}", "environment variables A, B not set; export them or give a default: ${A:-value}"),
        ("${USER", 'unclosed "${" in "${USER"'),
        ("${1X}", 'invalid reference "${1X}"; write ${NAME} or ${NAME:-default}'),
        ("${A-x}", 'invalid reference "${A-x}"; write ${NAME} or ${NAME:-default}'),
        ("${A:-${B}}", 'invalid reference "${A:-${B}"; write ${NAME} or ${NAME:-default}'),
    ],
)
def test_expand_errors(text, message):
    with pytest.raises(InterpolationError) as caught:
        expand(text, ENV)
    assert str(caught.value) == message


def test_has_reference_ignores_escapes():
    assert has_reference("x${A}") and not has_reference("$$5") and not has_reference("plain")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(90, 90.0), ("90", 90.0), ("90s", 90.0), ("5m", 300.0), ("1h30m", 5400.0), ("1.5m", 90.0), ("500ms", 0.5), (2.5, 2.5)],
)
def test_durations(value, seconds):
    assert rules.duration(value) == seconds


@pytest.mark.parametrize("value", ["5 minutes", "m5", "", "1d", True, "-5s"])
def test_bad_durations(value):
    assert isinstance(rules.duration(value), str)


@pytest.mark.parametrize("value", [0, "0s", "0"])
def test_zero_durations_are_refused(value):
    assert "more than 0" in rules.duration(value)


@pytest.mark.parametrize(
    ("value", "mib"),
    [(4096, 4096), ("4096", 4096), ("4096mb", 4096), ("4g", 4096), ("4GiB", 4096), ("2048m", 2048), ("1t", 1048576)],
)
def test_memory(value, mib):
    assert rules.memory_mb(value) == mib


@pytest.mark.parametrize("value", ["lots", "4 gigs", 0, "512k", True, "100b"])
def test_bad_memory(value):
    assert isinstance(rules.memory_mb(value), str)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("bff", True), ("a-1", True), ("1a", True), ("-a", False), ("a-", False), ("A", False), ("a.b", False),
     ("a" * 63, True), ("a" * 64, False)],
)
def test_dns_label(value, valid):
    assert (rules.dns_label()(value) is None) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("ghcr-pull", True), ("db.config", True), ("Db", False), ("a..b", False), ("a" * 254, False)],
)
def test_dns_subdomain(value, valid):
    assert (rules.dns_subdomain(value) is None) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("ghcr.io/tigaweb", True), ("localhost:5000", True), ("registry.local:5000/team/apps", True),
     ("https://ghcr.io", False), ("ghcr.io/TigaWeb", False), ("ghcr.io/", False)],
)
def test_registry(value, valid):
    assert (rules.registry(value) is None) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("bff", True), ("tigaweb/bff", True), ("ghcr.io/tigaweb/bff", True), ("localhost:5000/bff", True),
     ("bff:v1", False), ("ghcr.io/x/bff@sha256:" + "a" * 64, False), ("Bff", False), ("a//b", False)],
)
def test_repository(value, valid):
    assert (rules.repository(value) is None) is valid


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("deployment/bff", "deployment/bff"), ("deploy/bff", "deployment/bff"), ("StatefulSet/db", "statefulset/db"),
     ("sts/db", "statefulset/db"), ("ds/agent", "daemonset/agent"), ("jobs/migrate", "job/migrate")],
)
def test_workload_kinds_are_normalised(value, canonical):
    assert rules.workload(value) == canonical


@pytest.mark.parametrize("value", ["bff", "pod/x", "deployment/", "deployment/Bff"])
def test_bad_workloads(value):
    with pytest.raises(ValueError):
        rules.workload(value)


@pytest.mark.parametrize(
    ("path", "parent"),
    [("images[1].context", "images[1]"), ("images[1]", "images"), ("images", ""),
     ('secrets[0].fromEnv["db.url"]', "secrets[0].fromEnv")],
)
def test_parent_path(path, parent):
    assert parent_path(path) == parent
