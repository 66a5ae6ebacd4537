"""clusterctl's benchmark on the bed (issue 5): `scripts/bench.sh [--json FILE]`, see README "Benchmark"."""
