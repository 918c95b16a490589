#!/usr/bin/env bash
# KaflowSQL vs a hand-written Kafka Streams application (node/src/test/java/io/kaflowsql/node/bench/streams/
# PersonalizationStreamsApp.java) on the seed pipeline: one embedded broker, one generated data set, each
# engine in its own JVM (same -Xmx, partitions, guarantee, commit interval, one processing thread). Prints
# THROUGHPUT / LATENCY lines per run and a SIDE BY SIDE table with KaflowSQL/Streams ratios: maximum
# sustained throughput, CPU, time to ready and to first result, peak RSS and heap after GC, p50/p95/p99
# at a fixed rate. See docs/performance.md, "KaflowSQL vs Kafka Streams".
#
#   scripts/bench-vs-streams.sh                      # small: 600K-click backlog, 1 round (~5 min)
#   scripts/bench-vs-streams.sh --rounds 3 --clicks 2000000 --users 100000 --products 50000 \
#       --warmup 15 --window 40 --latency-duration 60     # full size (~25 min)
#   scripts/bench-vs-streams.sh --guarantee at_least_once --latency-rate 5000
#   scripts/bench-vs-streams.sh --help               # every option
#
# Builds first (mvn package, tests skipped, never install; the Kafka Streams jars are test-scope, so the
# class path is the node's test class path). SKIP_BUILD=1 reuses the last build, MVN_FLAGS="-o" builds
# offline, JAVA_OPTS (default -Xmx2g) is the benchmark JVM's (broker, producers, latency probe).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  # shellcheck disable=SC2086  # MVN_FLAGS is a list of flags on purpose
  mvn -q -B ${MVN_FLAGS:-} -DskipTests -Djib.skip=true -pl node -am package \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
[ -f node/target/test-classpath.txt ] && [ -d node/target/test-classes/io/kaflowsql/node/bench/streams ] \
  || { echo "bench-vs-streams: node/target is not built; run without SKIP_BUILD=1" >&2; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; $(uptime)"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of flags on purpose
exec java ${JAVA_OPTS:--Xmx2g} -XX:+UseG1GC \
  -cp "node/target/test-classes:node/target/classes:$(cat node/target/test-classpath.txt)" \
  io.kaflowsql.node.bench.streams.StreamsComparisonBenchmark "$@"
