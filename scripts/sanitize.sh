#!/usr/bin/env bash
# Builds the whole project under sanitizers and runs the test suites on it.
#
#   scripts/sanitize.sh [asan|tsan|all] [--build-only] [--no-e2e]
#
#   asan  -DSWASD_SANITIZE=address,undefined in build-asan: every CTest unit
#         test, then the whole e2e suite and the reliability tests against
#         build-asan/swasd (one file at a time), then the store's PostgreSQL
#         conformance tests against a throwaway cluster (scripts/pg-cluster.sh).
#   tsan  -DSWASD_SANITIZE=thread in build-tsan: every CTest unit test
#         (the store's concurrent writers/readers, the HTTP server's
#         keep-alive/drain/limits, FaultyStore's concurrent writers, the
#         in-process fault storm, ...), then half the e2e suite
#         (TSAN_E2E_FILES below) and the reliability tests (ClientToken races in swas_idempotency.test.js,
#         the 16-client linearizability test, 10k connections, ...) against
#         build-tsan/swasd.
#   all   both (default).
#
# Any sanitizer report fails the run: the runtime options make every error
# fatal, and each server writes its reports to build-*/sanitizer-logs/
# (log_path), which must be empty at the end -- that also catches reports a
# test would not notice (a leak at exit, a race in a background thread).
# Each suite decides by its runner's exit code and must run at least its
# minimum of tests (scripts/lib/counts.sh); cancelled and todo count as failed.
# Prints a summary; writes ${SANITIZE_SUMMARY:-build/reliability/sanitize-MODE-summary.txt}.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/counts.sh"
source "$root/scripts/lib/pg.sh"
mode="${1:-all}"
shift || true
build_only=0
e2e=1
for a in "$@"; do
  case "$a" in
    --build-only) build_only=1 ;;
    --no-e2e) e2e=0 ;;
    *) echo "sanitize.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done
case "$mode" in asan|tsan|all) ;; -h|--help) sed -n '2,25p' "$0"; exit 0 ;; *) echo "usage: $0 [asan|tsan|all]" >&2; exit 2 ;; esac
jobs="${JOBS:-$(nproc)}"
export CCACHE_NOHASHDIR=true CCACHE_BASEDIR="$root"

build() {  # build <dir> <sanitizers>
  echo "== configure + build $1 (-fsanitize=$2)"
  # -O1 -g1: what the sanitizers recommend, with line tables for their
  # reports; -O2 -g made the ASan build ~1.7x and the TSan one ~2x slower
  # to compile (docs/reliability.md, "Build time").
  cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DSWASD_SANITIZE="$2" -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=all" >/dev/null
  cmake --build "$1" -j "$jobs"
}

e2e_deps() {
  [[ -d "$root/tests/e2e/node_modules" ]] || (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
}

# check_logs <dir>: fails when any sanitizer report was written.
check_logs() {
  local n
  n=$(find "$1" -type f -size +0 2>/dev/null | wc -l)
  if [[ $n -gt 0 ]]; then
    echo "sanitize.sh: $n sanitizer report(s) in $1:" >&2
    for f in $(find "$1" -type f -size +0 | head -5); do echo "--- $f" >&2; head -60 "$f" >&2; done
    return 1
  fi
}

summary=()

# run_suites <name> <build dir> [prefix command...]: every CTest test, then
# the whole e2e suite and tests/reliability/ against <build dir>/swasd, each
# run through the prefix (if any); fails on a runner's non-zero exit, a
# failed, cancelled or todo test, fewer tests than the minimum, or any report
# in <build dir>/sanitizer-logs. The caller exports the sanitizer's options.
run_suites() {
  local name="$1" b="$2"; shift 2
  local run=("$@") logs="$b/sanitizer-logs"
  echo "== $name: unit tests (ctest)"
  local t0=$SECONDS
  ctest_suite "$name unit" "$MIN_UNIT" "$b/ctest.log" summary \
    "${run[@]}" ctest --test-dir "$b" --output-on-failure --no-tests=error -j "$jobs"
  check_logs "$logs"
  summary+=("$LAST_RESULT ($((SECONDS - t0))s)")
  [[ $e2e == 1 ]] || return 0
  e2e_deps
  echo "== $name: e2e + reliability suites against ${b#"$root"/}/swasd"
  t0=$SECONDS
  cd "$root"
  SWASD_BIN="$b/swasd" SWASCTL_BIN="$b/swasctl" node_suite \
    "$name e2e+reliability" $((E2E_MIN + MIN_RELIABILITY)) "$b/e2e.log" summary \
    "${run[@]}" node --test --test-concurrency=1 "${E2E_FILES[@]}" tests/reliability/
  check_logs "$logs"
  summary+=("$LAST_RESULT ($((SECONDS - t0))s)")
}

# run_pg <name> <build dir>: the store's PostgreSQL conformance tests against
# a throwaway cluster (scripts/pg-cluster.sh), which an EXIT trap stops.
run_pg() {
  local name="$1" b="$2" t0=$SECONDS
  echo "== $name: PostgreSQL store tests (ctest -R 'postgresql|PgStore')"
  start_pg
  SWASD_TEST_PG_DSN="$PG_DSN" ctest_suite "$name postgresql" "$MIN_PG_UNIT" "$b/ctest-pg.log" summary \
    ctest --test-dir "$b" --output-on-failure --no-tests=error -j "$jobs" -R 'postgresql|PgStore'
  stop_pg
  check_logs "$b/sanitizer-logs"
  summary+=("$LAST_RESULT ($((SECONDS - t0))s)")
}

run_asan() {
  local b="$root/build-asan" logs="$root/build-asan/sanitizer-logs"
  build "$b" address,undefined
  [[ $build_only == 1 ]] && return 0
  rm -rf "$logs"; mkdir -p "$logs"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$logs/asan"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
  # print_suppressions=0: a used suppression must not write a "report" to
  # log_path, which check_logs counts as a failure.
  export LSAN_OPTIONS="suppressions=$root/tests/reliability/lsan.supp:print_suppressions=0"
  # ASan keeps freed memory in quarantine: allow more RSS in the 10k-idle-connections case.
  export SWASD_RSS_BOUND_MIB=1024
  run_suites asan "$b"
  run_pg asan "$b"
}

# The e2e files a sanitizer run covers, and how many tests they must run:
# every file under ASan; under TSan the files that drive concurrency (the
# ClientToken races, two nodes, restarts) and every kind of request path
# (reads, mutations through the writer, denied and failed calls with their
# audit events, injected faults, throttling, V1/V3 signers, Terraform's
# form-body calls), about half the suite: the other half repeats those
# paths for more operations, and TSan's build plus the whole suite did not
# fit the test command's 45 minutes on 2 cores (docs/reliability.md).
E2E_FILES=(tests/e2e/)
E2E_MIN=$MIN_E2E
TSAN_E2E_FILES=(gateway signers lifecycle swas_share swas_idempotency swas_flow swas_restart
  ram_api ram_sts ops_audit ops_faults ops_throttle ops_logs ecs_sharing ecs_launch_path
  terraform multinode)
run_tsan() {
  local b="$root/build-tsan" logs="$root/build-tsan/sanitizer-logs"
  E2E_FILES=()
  for f in "${TSAN_E2E_FILES[@]}"; do E2E_FILES+=("tests/e2e/$f.test.js"); done
  E2E_MIN=$MIN_TSAN_E2E
  build "$b" thread
  [[ $build_only == 1 ]] && return 0
  rm -rf "$logs"; mkdir -p "$logs"
  export SWASD_RSS_BOUND_MIB=1024  # TSan's shadow memory inflates RSS
  export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:history_size=4:log_path=$logs/tsan:suppressions=$root/tests/reliability/tsan.supp"
  # Every unit test, not only the concurrent ones: under TSan they take ~2 min
  # and the HTTP server's start/stop paths race only in some of them.
  # TSan needs a low-entropy address space on kernels with 32 random mmap bits.
  if [[ $(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28) -gt 28 ]]; then
    run_suites tsan "$b" setarch "$(uname -m)" -R
  else
    run_suites tsan "$b"
  fi
}

t_start=$SECONDS
[[ $mode == asan || $mode == all ]] && run_asan
[[ $mode == tsan || $mode == all ]] && run_tsan
echo "== sanitize.sh summary ($((SECONDS - t_start))s)"
for s in "${summary[@]}"; do echo "  $s"; done
out="${SANITIZE_SUMMARY:-$root/build/reliability/sanitize-$mode-summary.txt}"
mkdir -p "$(dirname "$out")"
printf '%s\n' "${summary[@]}" >"$out"
