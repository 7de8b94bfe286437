#!/usr/bin/env bash
# Crash safety: SIGKILLs swasd (SQLite or PostgreSQL) at random moments under a loaded mix of
# ClientToken writes, restarts it on the same data dir and checks that every
# acknowledged write survived, no unanswered write is half-applied, ClientToken
# replays answer the original result and creating images resume.
# (tests/reliability/crash_driver.js; docs/reliability.md)
#
#   scripts/crash-test.sh [--kills N] [--long] [--seed S] [--workers W]
#
#   --kills N   SIGKILLs (default 20)
#   --long      300 SIGKILLs (a soak; ~15 min)
#   --seed S    repeat a run (printed by every run)
#   --workers W concurrent SDK clients (default 8)
# On PostgreSQL instead of SQLite when SWASD_E2E_DATABASE_ADMIN_DSN names a
# server (e.g. what scripts/pg-cluster.sh start prints): a fresh database per
# run; only swasd is killed.
# Uses ${SWASD_BIN:-build/swasd}; needs tests/e2e/node_modules (npm ci there).
# Every kill must follow at least 10 acknowledged writes and be followed by at
# least 10 ClientToken replays (crash_driver.js --min-acked/--min-replays).
# Prints one summary line and the count line of scripts/lib/counts.sh (one
# "test" per kill survived, at least the kills asked for); writes
# ${CRASH_SUMMARY:-build/reliability/crash-summary.json}.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/counts.sh"
args=()
kills=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --long) kills=300; shift ;;
    --kills) kills="$2"; shift 2 ;;
    --seed|--workers) args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "crash-test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
bin="${SWASD_BIN:-build/swasd}"
[[ -x "$root/$bin" || -x "$bin" ]] || { echo "crash-test.sh: no swasd at $bin (build first or set SWASD_BIN)" >&2; exit 1; }
[[ -d "$root/tests/e2e/node_modules" ]] || (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
summary="${CRASH_SUMMARY:-$root/build/reliability/crash-summary.json}"
cd "$root"
rm -f "$summary"
rc=0
node tests/reliability/crash_driver.js --kills "$kills" "${args[@]}" --summary "$summary" || rc=$?
# The driver writes the summary only when every check passed.
survived=0
[[ -f $summary ]] && survived=$(node -e 'console.log(require(process.argv[1]).kills)' "$summary")
report_counts "crash ($( [[ -n ${SWASD_E2E_DATABASE_ADMIN_DSN:-} ]] && echo postgresql || echo sqlite)) kills" \
  "$survived" 0 0 "$kills" "$rc"
