"""The bed's objects never show the registry's passwords (or a stand-in cluster's token and key) in their
repr: pytest prints the repr of a fixture's value when a test using it fails."""
from __future__ import annotations

from pathlib import Path

from tests.bed.fakecli.kubeconfig import Entry
from tests.bed.fixtures import Bed, make_bed_env

PUSH, PULL = "planted-push-password-51d3", "planted-pull-password-9a7e"


def test_the_bed_and_a_tests_world_do_not_show_the_passwords(tmp_path):
    bed = Bed("127.0.0.1:5000", "pusher", PUSH, "puller", PULL)
    world = make_bed_env(bed, tmp_path)

    assert world.env["BED_REGISTRY_PASSWORD"] == PUSH  # the tools still get them
    for shown in (repr(bed), str(bed), repr(world), str(world)):
        assert PUSH not in shown and PULL not in shown
        assert "127.0.0.1:5000" in shown and "puller" in shown  # the rest is still shown


def test_a_stand_in_kubeconfig_entry_does_not_show_its_token_or_key():
    shown = repr(Entry("kind-dev", "https://127.0.0.1:1", "Q0E=", token="planted-token-77c1",
                       client_cert_data="Y2VydA==", client_key_data="planted-key-data-03be"))
    assert "planted-token-77c1" not in shown and "planted-key-data-03be" not in shown and "kind-dev" in shown
