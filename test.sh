#!/usr/bin/env bash
# Runs every test project against real dependencies and ends with one line:
#   "N passed, N failed, N skipped"
# Brings up what the tests need on loopback first (PostgreSQL; see scripts/test-deps.sh) and stops it afterwards.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1

CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS="$(pwd)/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

deps_up=0
cleanup() { [[ $deps_up == 1 ]] && scripts/test-deps.sh down >"$RESULTS/deps-down.log" 2>&1; deps_up=0; }
trap cleanup EXIT

summary() { echo "$1 passed, $2 failed, $3 skipped"; }

echo "== bringing up test dependencies"
if scripts/test-deps.sh up >"$RESULTS/deps-up.log" 2>&1; then
  deps_up=1
  # shellcheck disable=SC1091
  source "$RESULTS/deps.env" 2>/dev/null || true
else
  cat "$RESULTS/deps-up.log"
  echo "test dependencies failed to start"
  summary 0 1 0
  exit 1
fi

echo "== building ($CONFIGURATION)"
if ! dotnet build JobQueue.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly; then
  summary 0 1 0
  exit 1
fi

passed=0; failed=0; skipped=0; total=0
for project in $(find . -name '*.csproj' -path '*Tests*' -not -path './artifacts/*' | sort); do
  name="$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project")"
  [[ -n "$name" ]] || name="$(basename "$project" .csproj)"
  dll="$(dirname "$project")/bin/$CONFIGURATION/net10.0/$name.dll"
  echo "== testing $name"
  dotnet "$dll" -noLogo -noColor -result-xml "$RESULTS/$name.xml" -parallelAlgorithm conservative
  if [[ ! -f "$RESULTS/$name.xml" ]]; then
    echo "$name produced no results"
    failed=$((failed + 1))
    continue
  fi
  attr() { sed -n "s/.*<assembly [^>]* $1=\"\([0-9]*\)\".*/\1/p" "$RESULTS/$name.xml" | head -1; }
  t=$(attr total); p=$(attr passed); f=$(attr failed); s=$(attr skipped); e=$(attr errors)
  total=$((total + ${t:-0})); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${s:-0}))
done

cleanup
if [[ $total -eq 0 ]]; then
  failed=$((failed + 1))
fi
summary "$passed" "$failed" "$skipped"
[[ $failed -eq 0 ]]
