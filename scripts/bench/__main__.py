"""python -m scripts.bench [--json FILE] [--rounds N] [--warm-pairs N] [--runs-50 N]

Run inside the bed's environment (scripts/bench.sh does that). Prints the table; --json writes the
figures (medians) with their samples, the per-step medians, the machine and the settings.
"""
from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import uuid
from pathlib import Path

from scripts.bench import figures, machine, scenarios
from scripts.bench.world import RunFailed
from tests.bed.fixtures import bed_status


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/bench.sh", description="Measure clusterctl on the bed.")
    p.add_argument("--json", type=Path, help="write the figures and their samples to this file")
    p.add_argument("--rounds", type=positive, default=4,
                   help="rounds of the 3-service app: each a cold pair, the cold builds one at a time, "
                        "the warm pairs and a redeploy (default 4)")
    p.add_argument("--warm-pairs", type=positive, default=3, help="no-op up / manual rerun pairs per round (default 3)")
    p.add_argument("--runs-50", type=positive, default=5, help="plan / no-op up pairs of the 50-service profile (default 5)")
    return p.parse_args(argv)


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    args = parse(argv)
    bed, reason = bed_status()
    if bed is None:
        print(f"bench: the bed is not up: {reason}", file=sys.stderr)
        return 3
    signal.signal(signal.SIGTERM, _interrupt)
    work = Path(tempfile.mkdtemp(prefix="clusterctl-bench-"))
    bench = scenarios.Bench(bed, work, uuid.uuid4().hex[:6])
    before, code = machine.machine(), machine.measured_code()  # the code may change while we run
    try:
        for number in range(args.rounds):
            scenarios.app3_round(bench, number, args.warm_pairs)
        scenarios.app50(bench, args.runs_50)
    except RunFailed as err:
        print(f"bench: {err}", file=sys.stderr)
        return 1
    finally:
        bench.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    bench.log("done")
    print(figures.table(bench.samples))
    if args.json:
        settings = {**code, "rounds": args.rounds, "warm_pairs": args.warm_pairs, "runs_50": args.runs_50,
                    "loadavg_before": before["loadavg"], "noop_ups_that_changed_something": bench.noop_changed}
        doc = figures.document(bench.samples, bench.steps, machine.machine(), settings)
        args.json.write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
