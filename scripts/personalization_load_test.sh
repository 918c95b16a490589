#!/usr/bin/env bash
# The seed's load test, as written in its "Performance Testing" section:
#   ./scripts/personalization_load_test.sh --users 100000 --products 50000 --events_per_second 2000 --duration 30m
# Runs `kaflowsql load-test` (embedded broker, generated data, the seed pipeline) and prints the
# end-to-end latency percentiles. Any other `kaflowsql load-test` flag passes through (--warmup, --partitions...).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../kaflowsql" load-test "$@"
