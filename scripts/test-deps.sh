#!/usr/bin/env bash
# scripts/test-deps.sh up|down -- start or stop what the test suite needs, on loopback only.
#   PostgreSQL (installed from the distribution's packages if missing) for the storage contract and cluster tests;
#   a single-node Slurm with munge (slurm-wlm and munge installed if missing) for the Slurm scheduler tests;
#   Debian's chromium (installed if missing) for the web page's browser test.
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

    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
      if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "installing Slurm (apt-get install slurm-wlm munge)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null \
          || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null; }
      fi
      command -v slurmctld >/dev/null || { echo "Slurm (slurm-wlm, munge) is needed for the Slurm tests" >&2; exit 1; }
    fi
    if [[ ! -x /usr/bin/chromium ]]; then
      if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "installing Chromium (apt-get install chromium)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
          || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
      fi
      [[ -x /usr/bin/chromium ]] || { echo "Chromium (/usr/bin/chromium) is needed for the browser test: install chromium" >&2; exit 1; }
    fi

    SLURM_DIR="$STATE/slurm" scripts/slurm-up.sh
    echo "export SLURM_CONF='$STATE/slurm/etc/slurm.conf'" >> test-results/deps.env
    ;;
  down)
    SLURM_DIR="$STATE/slurm" scripts/slurm-down.sh || true
    scripts/pg-down.sh "$PG_DIR" --purge || true
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
