#!/usr/bin/env bash
# Memory of a node holding the seed's dimensions: 5M user profiles and 100K products (defaults).
# 1. a standalone embedded broker process, 2. `kaflowsql generate` writes the data,
# 3. `kaflowsql node` runs the seed pipeline; once it logs "ready" (dimensions loaded) we read the
# node process's RSS from /proc and its heap after a full GC from jcmd.
# Usage: scripts/measure-memory.sh [users] [products]   (JAVA_OPTS for the node, default -Xmx1g)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
users="${1:-5000000}"; products="${2:-100000}"
work="$(mktemp -d /tmp/kaflowsql-memory-XXXX)"; port=19192
cleanup() { kill "${node_pid:-}" "${broker_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$root/kaflowsql" --version >/dev/null
"$root/kaflowsql" broker --port "$port" --data-dir "$work/broker" > "$work/broker.log" 2>&1 & broker_pid=$!
until grep -q "ready at" "$work/broker.log"; do sleep 1; done
echo "generating $users users, $products products..."
"$root/kaflowsql" generate --bootstrap-servers "127.0.0.1:$port" --users "$users" --products "$products" | tail -n 1
start=$(date +%s)
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}" "$root/kaflowsql" node --bootstrap-servers "127.0.0.1:$port" --pipelines "$root/pipelines/personalization" \
  --format json --state-dir "$work/state" --http-port 0 > "$work/node.log" 2>&1 & node_pid=$!
until grep -q "node ready" "$work/node.log"; do sleep 1; kill -0 "$node_pid" || { cat "$work/node.log"; exit 1; }; done
java_pid=$(pgrep -f "io.kaflowsql.node.cli.KaflowSql node" | head -n 1)
echo "dimensions loaded in $(( $(date +%s) - start )) s"
grep -h "Dimensions of pipeline" "$work/node.log"
sleep 5
echo "RSS before GC: $(grep VmRSS /proc/$java_pid/status)"
jcmd "$java_pid" GC.run >/dev/null; sleep 2
jcmd "$java_pid" GC.heap_info | head -n 3
echo "RSS after GC:  $(grep VmRSS /proc/$java_pid/status)"
