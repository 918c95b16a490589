#!/usr/bin/env bash
# Engine-only benchmarks (JMH, no Kafka) on the seed pipeline over 100K users / 50K products.
#
#   scripts/bench-engine.sh [JMH args]          the whole pipeline per click (EnrichmentBenchmark): throughput
#                                               (ops/s = click records/s on one thread, i.e. per core) and, in
#                                               sample-time mode, per-record latency percentiles
#   scripts/bench-engine.sh stages [JMH args]   each stage of the hot path alone (EngineStagesBenchmark): decode,
#                                               WHERE, dimension and event-table lookups, CASE columns, projection,
#                                               held-record write, encode (ns per operation), then the whole pipeline
#                                               in the same units (EnrichmentBenchmark, µs per click) to add them up
#                                               against; both also report CPU ns/op (CpuTimeProfiler), which a busy
#                                               machine disturbs less than wall-clock time
#
# Extra arguments go to JMH (e.g. -f 3 for three forks, -p format=json for one format; for a short run on a shared
# machine: -f 1 -wi 2 -w 2s -i 5 -r 2s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode=pipeline
if [[ "${1:-}" == stages ]]; then
  mode=stages
  shift
fi
mvn -q -B -DskipTests install
mvn -q -B -pl pipelines test-compile
# the class path goes through a file: on stdout, Maven's colour codes (even with -q -B) glued onto the first jar's path
mvn -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="$(cat pipelines/target/bench-classpath.txt)"
cd pipelines
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if [[ $mode == stages ]]; then
  cpu_time="-prof io.kaflowsql.pipelines.benchmark.CpuTimeProfiler"
  java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main EngineStagesBenchmark $cpu_time "$@"
  java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main EnrichmentBenchmark -bm avgt -tu us $cpu_time "$@"
else
  java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main EnrichmentBenchmark -bm thrpt -tu s "$@"
  java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main EnrichmentBenchmark -bm sample -tu us "$@"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
