#!/usr/bin/env bash
# Builds the reactor (mvn package, tests skipped; never install) and runs one benchmark main class of
# node/src/test/java/io/kaflowsql/node/bench with the node's runtime classpath. Used by bench-guarantees.sh
# and bench-restore.sh. SKIP_BUILD=1 reuses the last build, MVN_FLAGS="-o" builds offline, JAVA_OPTS
# defaults to -Xmx2g.
# Usage: scripts/run-node-bench.sh <MainClassSimpleName> [benchmark options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
main="$1"; shift
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  # shellcheck disable=SC2086  # MVN_FLAGS is a list of flags on purpose
  mvn -q -B ${MVN_FLAGS:-} -DskipTests -Djib.skip=true -pl node -am package
fi
[ -f node/target/classpath.txt ] && [ -d node/target/test-classes/io/kaflowsql/node/bench ] \
  || { echo "$main: node/target is not built; run without SKIP_BUILD=1" >&2; exit 1; }
echo "machine: $(nproc) cores; $(uptime)"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of flags on purpose
exec java ${JAVA_OPTS:--Xmx2g} -XX:+UseG1GC \
  -cp "node/target/test-classes:node/target/classes:$(cat node/target/classpath.txt)" \
  "io.kaflowsql.node.bench.$main" "$@"
