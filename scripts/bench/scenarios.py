"""The measured scenarios. Compared runs alternate (A, B, A, B, ...) so noise hits both sides."""
from __future__ import annotations

import shlex
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from scripts.bench import apps
from scripts.bench.world import Timed, World, remove_images

ROLLOUT_PHASES = ("build", "ship", "apply", "ready")


class Bench:
    """Shared state of one benchmark run: where it works, what it made, what it measured."""

    def __init__(self, bed, work: Path, run_id: str):
        self.bed, self.work, self.run_id = bed, work, run_id
        self.prefix = f"{bed.registry}/bench-{run_id}"  # every image this run makes is under it
        self.worlds: list[World] = []
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.steps: dict[str, list[dict[str, float]]] = defaultdict(list)  # per-step seconds per run
        self.noop_changed = 0  # no-op ups whose report says something changed
        self.began = time.monotonic()

    def world(self, name: str) -> World:
        world = World(self.bed, self.work / name, f"bench-{self.run_id}-{name}")
        self.worlds.append(world)
        return world

    def log(self, message: str) -> None:
        print(f"bench [{time.monotonic() - self.began:6.1f}s] {message}", file=sys.stderr, flush=True)

    def add(self, key: str, value: float) -> None:
        self.samples[key].append(round(value, 4))

    def keep_steps(self, key: str, run: Timed) -> dict:
        report = run.report()
        self.steps[key].append({s["name"]: s["seconds"] for s in report["steps"]})
        return report

    def cleanup(self) -> None:
        for world in self.worlds:
            world.teardown()
        self.worlds.clear()
        remove_images(self.prefix)


def app3_round(bench: Bench, number: int, warm_pairs: int) -> None:
    cc, manual = bench.world(f"cc{number}"), bench.world(f"man{number}")
    project = cc.env.root / "app"
    profile = str(apps.write_app3_project(project, cc.cluster, f"{bench.prefix}/cc"))
    manual_prefix = f"{bench.prefix}/manual"
    manual_app = apps.write_app(manual.env.root / "app", manual_prefix)
    remove_images(bench.prefix)  # cold: no image of ours on the engine, no cluster

    a = cc.clusterctl("up", profile, "--output", "json", cwd=project)
    parallel = _step_seconds(bench.keep_steps("cold_up", a), "build")
    bench.add("readiness_latency_s", cc.readiness_latency(a))
    b = manual.manual("cold", manual_app, manual_prefix)
    bench.add("cold_up_ratio_vs_manual", a.wall / b.wall)
    bench.add("cold_up_clusterctl_s", a.wall)
    bench.add("cold_up_manual_s", b.wall)
    bench.log(f"round {number}: cold up {a.wall:.2f}s vs manual {b.wall:.2f}s")
    single_builds(bench, cc, project, parallel)

    for _ in range(warm_pairs):
        a = cc.clusterctl("up", profile, "--output", "json", cwd=project)
        report = bench.keep_steps("noop_up", a)
        b = manual.manual("warm", manual_app, manual_prefix)
        bench.add("warm_up_ratio_vs_manual", a.wall / b.wall)
        bench.add("noop_up_s", a.wall)
        bench.add("warm_up_manual_s", b.wall)
        bench.noop_changed += bool(report["changed"])
    bench.log(f"round {number}: warm up {a.wall:.2f}s vs manual {b.wall:.2f}s (last pair)")

    redeploy(bench, cc, project, profile)
    manual.teardown()
    cc.teardown()
    remove_images(bench.prefix)


def _step_seconds(report: dict, name: str) -> float:
    return next(s["seconds"] for s in report["steps"] if s["name"] == name)


def redeploy(bench: Bench, cc: World, project: Path, profile: str) -> None:
    apps.stamp(project / "catalogue")
    run = cc.clusterctl("redeploy", "catalogue", "-p", profile, "--output", "json", cwd=project)
    phases = bench.keep_steps("redeploy", run)["phases"]
    bench.add("redeploy_s", run.wall)
    bench.add("redeploy_overhead_s", run.wall - sum(phases.get(p, 0.0) for p in ROLLOUT_PHASES))
    bench.add("readiness_latency_s", cc.readiness_latency(run))
    bench.log(f"redeploy {run.wall:.2f}s, phases {phases}")


def single_builds(bench: Bench, cc: World, project: Path, parallel: float) -> None:
    """The cold up's 3 builds again, one at a time: its exact `docker build` commands, on a copy of
    the project with new VERSIONs (cold, and the deployed project stays as it is)."""
    copy = project.with_name("app-single")
    shutil.copytree(project, copy)
    for name in apps.SERVICES:
        apps.stamp(copy / name)
    plan = cc.clusterctl("up", str(copy / "profile.yaml"), "--dry-run", "--output", "json", cwd=copy).report()
    builds = [shlex.split(c) for s in plan["steps"] for c in s["commands"] if c.startswith("docker build ")]
    singles = [cc.run(argv, cwd=copy).wall for argv in builds]
    bench.add("parallel_build_ratio", parallel / max(singles))
    bench.add("parallel_build_s", parallel)
    bench.add("slowest_single_build_s", max(singles))
    bench.log(f"3 builds in parallel {parallel:.2f}s, one at a time {', '.join(f'{s:.2f}' for s in singles)}s")


def app50(bench: Bench, runs: int) -> None:
    world = bench.world("many")
    project = world.env.root / "app"
    profile = str(apps.write_many_project(project, world.cluster, f"{bench.prefix}/many"))
    setup = world.clusterctl("up", profile, "--output", "json", cwd=project)
    bench.keep_steps("cold_up_50", setup)
    bench.add("cold_up_50_services_s", setup.wall)
    bench.log(f"50 services up (setup, once) in {setup.wall:.1f}s")
    for _ in range(runs):
        plan = world.clusterctl("up", profile, "--dry-run", "--output", "json", cwd=project)
        bench.add("plan_50_services_s", plan.wall)
        noop = world.clusterctl("up", profile, "--output", "json", cwd=project)
        bench.keep_steps("noop_up_50", noop)
        bench.add("noop_up_50_services_s", noop.wall)
    bench.log(f"50 services: plan {plan.wall:.2f}s, no-op up {noop.wall:.2f}s (last pair)")
    world.teardown()
    remove_images(bench.prefix)
