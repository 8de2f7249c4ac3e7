#!/usr/bin/env bash
# scripts/test-deps.sh up|down -- start or stop what the test suite needs, on loopback only.
#   PostgreSQL (installed from the distribution's packages if missing) for the storage contract and cluster tests.
# "up" writes test-results/deps.env with the variables the tests read.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="${JOBQUEUE_TEST_STATE:-/tmp/jobqueue-test-deps}"
PG_DIR="$STATE/pg/data"
PG_PORT="${JOBQUEUE_TEST_PG_PORT:-55432}"
mkdir -p "$STATE" test-results
chmod 755 "$STATE"

have_postgres() {
  command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

case "${1:-}" in
  up)
    if ! have_postgres; then
      # A fresh machine: install the server from the distribution's packages (needs root and the package registry).
      if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "installing PostgreSQL (apt-get install postgresql)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
          || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
      fi
      have_postgres || { echo "PostgreSQL server binaries (initdb, pg_ctl, postgres) are needed: install postgresql" >&2; exit 1; }
    fi
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
