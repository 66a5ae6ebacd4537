#!/usr/bin/env bash
# Measure clusterctl on the bed against the seeds' manual routine and print the figures of issue 5
# (README.md, "Benchmark"). Arguments go to python -m scripts.bench: [--json FILE] [--rounds N] ...
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$REPO/scripts/bed.sh" up
eval "$("$REPO/scripts/bed.sh" env)"
export PYTHONPATH="$REPO${PYTHONPATH:+:$PYTHONPATH}"
exec python -P -m scripts.bench "$@"
