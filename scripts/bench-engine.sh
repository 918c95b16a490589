#!/usr/bin/env bash
# Engine-only benchmark (JMH, no Kafka): the seed pipeline over 100K users / 50K products.
# Prints throughput (ops/s = click records/s on one thread, i.e. per core) and, with sample-time mode,
# per-record latency percentiles. Extra arguments go to JMH (e.g. -f 3 for three forks).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests install
mvn -q -B -pl pipelines test-compile
cp="$(mvn -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
cd pipelines
java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main EnrichmentBenchmark -bm thrpt -tu s "$@"
java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main EnrichmentBenchmark -bm sample -tu us "$@"
