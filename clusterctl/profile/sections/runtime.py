"""The `wait` and `build` sections: how long and how patiently to wait, how many builds at once."""

from __future__ import annotations


from clusterctl.profile import rules
from clusterctl.profile.check import Section
from clusterctl.profile.model import Build, Wait

WAIT_KEYS = ("timeout", "workloads", "restartTolerance")
BUILD_KEYS = ("parallelism",)
DEFAULT_TIMEOUT_S = 300.0


def read_wait(root: Section) -> Wait:
    section = root.section("wait", WAIT_KEYS)
    if section is None:
        return Wait()
    return Wait(timeout_s=section.parsed("timeout", rules.duration, DEFAULT_TIMEOUT_S), workloads=_workloads(section),
                restart_tolerance=section.integer("restartTolerance", 2, minimum=0))


def read_build(root: Section) -> Build:
    default = 4  # builds wait on the daemon and the disk as much as on the CPU: 4 beats the core count
    section = root.section("build", BUILD_KEYS)
    return Build(section.integer("parallelism", default, minimum=1) if section else default)



def _workloads(section: Section) -> tuple[str, ...] | None:
    value = section.raw("workloads")
    if value is None or value == "all":
        return None
    if not isinstance(value, list):
        section.report("workloads", 'expected "all" or a list like [deployment/bff, statefulset/db]')
        return None
    found = []
    for path, item in section.items("workloads"):
        text = section.checker.string(item, path)
        try:
            found += [rules.workload(text)] if text is not None else []
        except ValueError as error:
            section.checker.report(path, str(error))
    return tuple(found)
