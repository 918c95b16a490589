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
# Builds first (mvn package, tests skipped; never install). SKIP_BUILD=1 reuses the last build,
# MVN_FLAGS="-o" builds offline. JAVA_OPTS defaults to -Xmx2g.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  # shellcheck disable=SC2086  # MVN_FLAGS is a list of flags on purpose
  mvn -q -B ${MVN_FLAGS:-} -DskipTests package
fi
[ -f node/target/classpath.txt ] && [ -d node/target/test-classes/io/kaflowsql/node/bench ] \
  || { echo "bench-guarantees: node/target is not built; run without SKIP_BUILD=1" >&2; exit 1; }
echo "machine: $(nproc) cores; $(uptime)"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of flags on purpose
exec java ${JAVA_OPTS:--Xmx2g} -XX:+UseG1GC \
  -cp "node/target/test-classes:node/target/classes:$(cat node/target/classpath.txt)" \
  io.kaflowsql.node.bench.GuaranteeBenchmark "$@"
