#!/usr/bin/env bash
# scripts/test-deps.sh up|down -- start or stop what the test suite needs, on loopback only.
#   PostgreSQL 15 (preinstalled binaries) for the storage contract and cluster tests.
# "up" writes test-results/deps.env with the variables the tests read.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="${JOBQUEUE_TEST_STATE:-/tmp/jobqueue-test-deps}"
PG_DIR="$STATE/pg/data"
PG_PORT="${JOBQUEUE_TEST_PG_PORT:-55432}"
mkdir -p "$STATE" test-results
chmod 755 "$STATE"

case "${1:-}" in
  up)
    cs="$(scripts/pg-up.sh "$PG_DIR" "$PG_PORT" | tail -1)"
    echo "export JOBQUEUE_TEST_POSTGRES='$cs'" > test-results/deps.env
    echo "postgres: $cs"
    ;;
  down)
    scripts/pg-down.sh "$PG_DIR" --purge || true
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
