#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install what is missing, build,
# and run every test suite. Stages, in order (each prints its duration):
#
#   unit        C++ unit tests (CTest) on the release build, SQLite
#   e2e         the end-to-end suite: the official Alibaba SDKs against
#               build/swasd on SQLite
#   postgres    a throwaway PostgreSQL cluster: the store conformance and
#               PostgreSQL tests, then the whole e2e suite on PostgreSQL
#               (plus the two-node and database-restart tests), then the
#               SIGKILL crash-safety test on PostgreSQL (20 kills)
#   crash       SIGKILL crash-safety test on SQLite (20 kills, bounded)
#   fuzz        every libFuzzer target for a bounded time (clang)
#   asan        the unit, e2e and reliability (hostile HTTP, secrets,
#               concurrency) suites under ASan+UBSan (scripts/sanitize.sh)
#   tsan        the same suites under ThreadSanitizer
#   bench       the benchmark tools' smoke run (no targets asserted)
#
# Each configuration is built once, in its own directory (build, build-fuzz,
# build-asan, build-tsan), through ccache.
#
# SWASD_TEST_STAGES="unit e2e" runs only those stages (default: the above).
# CI runs this script unchanged (.ci/run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stages="${SWASD_TEST_STAGES:-unit e2e postgres crash fuzz asan tsan bench}"
export CCACHE_NOHASHDIR=true CCACHE_BASEDIR="$root"
jobs="$(nproc)"

want() { [[ " $stages " == *" $1 "* ]]; }
run_stage() {
  local name="$1"; shift
  want "$name" || return 0
  local t0=$SECONDS
  echo "== stage $name"
  "$@"
  echo "== stage $name passed in $((SECONDS - t0)) s"
}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
(cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)

unit() {
  ctest --test-dir "$root/build" --output-on-failure -j "$jobs" -E '^bench_smoke$'
}

e2e() {
  (cd "$root/tests/e2e" && node --test --test-concurrency=2 .)
}

pg_dir=""
stop_pg() {
  [[ -n "$pg_dir" ]] && "$root/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  pg_dir=""
}

postgres() {
  pg_dir="$(mktemp -d /tmp/swasd-pg-XXXXXX)"
  rmdir "$pg_dir"
  # A failing command ends the script (set -e) without returning from here:
  # the EXIT trap stops the cluster then, so none is left running.
  trap stop_pg EXIT
  local dsn
  dsn="$("$root/scripts/pg-cluster.sh" start "$pg_dir")"
  SWASD_TEST_PG_DSN="$dsn" ctest --test-dir "$root/build" --output-on-failure -j "$jobs" \
    -R 'postgresql|PgStore'
  (cd "$root/tests/e2e" &&
     SWASD_E2E_DATABASE_ADMIN_DSN="$dsn" node --test --test-concurrency=2 .)
  SWASD_E2E_DATABASE_ADMIN_DSN="$dsn" \
    CRASH_SUMMARY="$root/build/reliability/crash-pg-summary.json" \
    "$root/scripts/crash-test.sh" --kills 20
  stop_pg
  trap - EXIT
}

crash() { "$root/scripts/crash-test.sh" --kills 20; }
fuzz() { "$root/scripts/fuzz.sh" --seconds 15; }
asan() { "$root/scripts/sanitize.sh" asan; }
tsan() { "$root/scripts/sanitize.sh" tsan; }
bench() { "$root/bench/run.sh" --smoke --build-dir "$root/build"; }

run_stage unit unit
run_stage e2e e2e
run_stage postgres postgres
run_stage crash crash
run_stage fuzz fuzz
run_stage asan asan
run_stage tsan tsan
run_stage bench bench
echo "== all stages passed: $stages"
