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
  || { echo "bench-restore: node/target is not built; run without SKIP_BUILD=1" >&2; exit 1; }
echo "machine: $(nproc) cores; $(uptime)"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of flags on purpose
exec java ${JAVA_OPTS:--Xmx2g} -XX:+UseG1GC \
  -cp "node/target/test-classes:node/target/classes:$(cat node/target/classpath.txt)" \
  io.kaflowsql.node.bench.RestoreBenchmark "$@"
