#!/usr/bin/env bash
# Restore time of one task holding many event-table keys: 1M purchase_history rows with distinct user ids
# on one partition (so one task holds them all), loaded by a node that then closes cleanly (writing a
# checkpoint). Then, alternating, restarts that restore (a) from the checkpoint plus the changelog tail and
# (b) with the checkpoints moved away, from the whole changelog. Prints RESTART lines per restart and
# SUMMARY lines with medians and the changelog/checkpoint ratio. See docs/performance.md,
# "Exactly-once cost and restore time".
#
#   scripts/bench-restore.sh                         # 1M keys, 3 restarts of each kind, exactly_once
#   scripts/bench-restore.sh --keys 200000 --runs 5 --guarantee at_least_once
#
# Builds first, see scripts/run-node-bench.sh (SKIP_BUILD=1, MVN_FLAGS="-o", JAVA_OPTS).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-node-bench.sh" RestoreBenchmark "$@"
