#!/usr/bin/env bash
# Exactly-once vs at-least-once, end to end on the embedded broker (one JVM: broker, node, producers,
# readers). Drain throughput of pre-produced clicks (alternating guarantees, fresh node/state/output per
# run) and p50/p99 latency at a fixed rate. Prints RUN / LATENCY lines per run and SUMMARY lines with
# medians and exactly_once/at_least_once ratios. See docs/performance.md, "Exactly-once cost and restore time".
#
#   scripts/bench-guarantees.sh                       # 100K clicks, 3 drain runs + 1 latency run per guarantee (~10 min)
#   scripts/bench-guarantees.sh --clicks 300000       # longer drains (~20 min on a busy 2-core machine)
#   scripts/bench-guarantees.sh --clicks 100000 --runs 5 --latency-runs 2 --latency-rate 2000
#
# Builds first, see scripts/run-node-bench.sh (SKIP_BUILD=1, MVN_FLAGS="-o", JAVA_OPTS).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-node-bench.sh" GuaranteeBenchmark "$@"
