#!/usr/bin/env bash
# Cluster benchmarks (issue 5, Performance): node processes on this machine against the embedded broker,
# seed pipeline, exactly_once. Builds once, then runs
#   ClusterHandoverBenchmark   - processing gap per moved partition on a planned move (a node joins; a node
#                                leaves on SIGTERM) and on kill -9, with 1M event-table keys per task;
#   ClusterThroughputBenchmark - sustained rate of 1, 2 and 3 nodes draining a click backlog, per node and per core.
# Each prints METHOD lines, a RUN line per measurement and SUMMARY lines with medians. See docs/cluster.md,
# "Benchmarks". Run it on a quiet machine: every node is a JVM, and they share the cores with the broker.
#
#   scripts/bench-cluster.sh                       # both, full scale (about 40-60 minutes on 2 cores)
#   scripts/bench-cluster.sh handover [options]    # only the hand-over benchmark (--help lists the options)
#   scripts/bench-cluster.sh throughput [options]  # only the throughput benchmark
#   HANDOVER_ARGS="--runs 5" THROUGHPUT_ARGS="--clicks 1000000" scripts/bench-cluster.sh
#
# Small smoke run: scripts/bench-cluster.sh handover --keys-per-task 50000 --runs 1 --settle 8
#                  scripts/bench-cluster.sh throughput --clicks 200000 --runs 1 --warmup 5 --window 10
# Builds first, see scripts/run-node-bench.sh (SKIP_BUILD=1, MVN_FLAGS="-o", JAVA_OPTS).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
which="${1:-all}"
case "$which" in
  handover)   shift; exec "$here/run-node-bench.sh" ClusterHandoverBenchmark "$@" ;;
  throughput) shift; exec "$here/run-node-bench.sh" ClusterThroughputBenchmark "$@" ;;
  all)
    [ $# -gt 0 ] && shift
    # shellcheck disable=SC2086  # the *_ARGS variables are lists of options on purpose
    "$here/run-node-bench.sh" ClusterHandoverBenchmark ${HANDOVER_ARGS:-}
    # shellcheck disable=SC2086
    SKIP_BUILD=1 "$here/run-node-bench.sh" ClusterThroughputBenchmark ${THROUGHPUT_ARGS:-}
    ;;
  *) echo "usage: $0 [all|handover|throughput] [benchmark options]" >&2; exit 2 ;;
esac
