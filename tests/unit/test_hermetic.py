"""Each test starts with clusterctl's process-wide state empty (tests/conftest.py, tests/unit/conftest.py):
run in a session of their own, one test leaves a value registered, the run's folder made, a SIGTERM handler
and a state folder behind, and the next sees none of it."""
from __future__ import annotations

pytest_plugins = ["pytester"]

LEAVES_STATE = '''
import os, signal
from clusterctl import redact, runfolder, statedir

def test_leaves_state_behind():
    redact.register("left-by-the-first-test")
    runfolder.path()
    signal.signal(signal.SIGTERM, lambda *a: None)
    (statedir.folder("locks") / "left").write_text("x")

def test_sees_none_of_it():
    assert redact.redact("left-by-the-first-test") == "left-by-the-first-test"
    assert runfolder._made == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert not (statedir.home() / "locks" / "left").exists()
'''


def test_a_test_sees_nothing_an_earlier_test_left(pytester):
    pytester.makeconftest("from tests.conftest import empty_process_state\n"
                          "from tests.unit.conftest import own_state_folder\n")
    pytester.makepyfile(test_order=LEAVES_STATE)
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
