#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install what is missing, build,
# and run every test suite. Stages, in order (each prints its duration):
#
#   unit        C++ unit tests (CTest) on the release build, SQLite
#   e2e         the end-to-end suite: the official Alibaba SDKs against
#               build/swasd on SQLite
#   console     the web console (/console) in Debian's Chromium, driven by
#               Playwright (tests/console; screenshots in build/logs/console/),
#               and the console's V3 signer against the SDK's vectors
#   package     the container image (Containerfile) built without a registry
#               and run with podman, compose.yaml with podman-compose, the
#               Debian package (cpack) installed with dpkg and started from
#               its installed files; signed SDK calls to each, a restart that
#               keeps the store; everything removed afterwards
#               (scripts/package-test.sh, docs/packaging.md; needs root)
#   postgres    a throwaway PostgreSQL cluster: the store conformance and
#               PostgreSQL tests, then the whole e2e suite on PostgreSQL
#               (plus the two-node and database-restart tests), then the
#               SIGKILL crash-safety test on PostgreSQL (20 kills)
#   crash       SIGKILL crash-safety test on SQLite (20 kills, bounded)
#   fuzz        every libFuzzer target for a bounded time (clang)
#   asan        the unit, e2e and reliability (hostile HTTP, secrets,
#               concurrency) suites under ASan+UBSan (scripts/sanitize.sh)
#   tsan        the unit and reliability suites and half the e2e suite
#               (the concurrent and request-path files) under ThreadSanitizer
#   bench       the benchmark tools' smoke run (no targets asserted)
#
# Each configuration is built once, in its own directory (build, build-fuzz,
# build-asan, build-tsan), through ccache.
#
# SWASD_TEST_STAGES="unit e2e" runs only those stages (default: the above).
# CI runs this script unchanged (.ci/run).
#
# Every stage decides by its runners' exit codes and counts the tests it ran
# (scripts/lib/counts.sh): a cancelled or todo test is a failure, and so is a
# stage that ran fewer tests than its minimum (a selection that matches
# nothing, a suite that stopped loading). Each prints
#   == stage NAME: R tests run (min M), F failed, S skipped (T s)
# The first failing stage ends the run; the last line is always the total
# over the stages run, "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stages="${SWASD_TEST_STAGES:-unit e2e console package postgres crash fuzz asan tsan bench}"
export CCACHE_NOHASHDIR=true CCACHE_BASEDIR="$root"
jobs="$(nproc)"

source "$root/scripts/lib/counts.sh"
source "$root/scripts/lib/pg.sh"
counts_dir="$(mktemp -d /tmp/swasd-test-counts-XXXXXX)"
total_passed=0
total_failed=0

want() { [[ " $stages " == *" $1 "* ]]; }
finish() {
  local rc=$?
  rm -rf "$counts_dir"
  # Failing before any stage failed (install, build) is a failure too.
  [[ $rc -ne 0 && $total_failed -eq 0 ]] && total_failed=1
  echo "$total_passed passed, $total_failed failed"
}
trap finish EXIT

# run_stage NAME MIN FUNCTION: runs the stage in a subshell (set -e holds
# there; an EXIT trap it sets runs when it ends), sums what its suites
# recorded in $SWASD_COUNTS, and fails when the stage failed, counted a
# failure or ran fewer than MIN tests.
run_stage() {
  local name="$1" min="$2"; shift 2
  want "$name" || return 0
  local t0=$SECONDS rc=0 run failed skipped why=""
  echo "== stage $name"
  export SWASD_COUNTS="$counts_dir/$name"
  : >"$SWASD_COUNTS"
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  read -r run failed skipped < <(awk '{ r += $1; f += $2; s += $3 } END { printf "%d %d %d\n", r, f, s }' "$SWASD_COUNTS")
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; why=" (exit $rc)"; fi
  [[ $run -lt $min ]] && why="$why (fewer than the minimum $min)"
  [[ $run -gt $failed ]] && total_passed=$((total_passed + run - failed))
  total_failed=$((total_failed + failed))
  echo "== stage $name: $run tests run (min $min), $failed failed, $skipped skipped$why ($((SECONDS - t0)) s)"
  if [[ $failed -ne 0 || $run -lt $min ]]; then
    [[ $failed -eq 0 ]] && total_failed=$((total_failed + 1))
    echo "== stage $name FAILED" >&2
    exit 1
  fi
}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
(cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)

unit() {
  ctest_suite "unit (ctest)" "$MIN_UNIT" "$root/build/logs/unit.log" all \
    ctest --test-dir "$root/build" --output-on-failure --no-tests=error -j "$jobs" -E '^bench_smoke$'
}

e2e() {
  (cd "$root/tests/e2e" &&
     node_suite "e2e (sqlite)" "$MIN_E2E" "$root/build/logs/e2e.log" all \
       node --test --test-concurrency=2 .)
}

console() {
  (cd "$root/tests/console" && npm ci --no-audit --no-fund --loglevel=error &&
     node_suite "console (chromium)" "$MIN_CONSOLE" "$root/build/logs/console.log" all \
       node --test --test-concurrency=1 .)
}

package() { "$root/scripts/package-test.sh"; }

postgres() {
  # Runs in the stage's subshell: start_pg's EXIT trap fires when it ends.
  start_pg
  local dsn="$PG_DSN"
  SWASD_TEST_PG_DSN="$dsn" ctest_suite "postgres (ctest)" "$MIN_PG_UNIT" "$root/build/logs/pg-unit.log" all \
    ctest --test-dir "$root/build" --output-on-failure --no-tests=error -j "$jobs" -R 'postgresql|PgStore'
  (cd "$root/tests/e2e" &&
     SWASD_E2E_DATABASE_ADMIN_DSN="$dsn" node_suite "e2e (postgresql)" "$MIN_E2E" \
       "$root/build/logs/pg-e2e.log" all node --test --test-concurrency=2 .)
  SWASD_E2E_DATABASE_ADMIN_DSN="$dsn" \
    CRASH_SUMMARY="$root/build/reliability/crash-pg-summary.json" \
    "$root/scripts/crash-test.sh" --kills 20
  stop_pg
}

crash() { "$root/scripts/crash-test.sh" --kills 20; }
fuzz() { "$root/scripts/fuzz.sh" --seconds 15; }
asan() { "$root/scripts/sanitize.sh" asan; }
tsan() { "$root/scripts/sanitize.sh" tsan; }
bench() { "$root/bench/run.sh" --smoke --build-dir "$root/build"; }

# Minimum tests per stage: a little under what each runs today, so that a
# lost file, test binary or selection fails the stage. Raise them with the
# suites. (sanitize.sh checks its own suites against the MIN_* it shares.)
run_stage unit "$MIN_UNIT" unit
run_stage e2e "$MIN_E2E" e2e
run_stage console "$MIN_CONSOLE" console
run_stage package "$MIN_PACKAGE" package
run_stage postgres $((MIN_PG_UNIT + MIN_E2E + 20)) postgres
run_stage crash 20 crash
run_stage fuzz "$MIN_FUZZ_TARGETS" fuzz
run_stage asan $((MIN_UNIT + MIN_E2E + MIN_RELIABILITY + MIN_PG_UNIT)) asan
run_stage tsan $((MIN_UNIT + MIN_TSAN_E2E + MIN_RELIABILITY)) tsan
run_stage bench "$MIN_BENCH_ROWS" bench
echo "== all stages passed: $stages"
