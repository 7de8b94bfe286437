# shellcheck shell=bash disable=SC2034
# Sourced by scripts/test.sh and scripts/sanitize.sh: runs a test runner,
# decides by its exit code (never by grepping for a success line), and counts
# what it ran from its own summary, so that a run of zero tests, a cancelled
# or todo test, or a runner that dies after printing "pass" all fail.
#
#   ctest_suite LABEL MIN LOG FILTER CMD...   CMD is a ctest command line
#   node_suite  LABEL MIN LOG FILTER CMD...   CMD is a `node --test` command line
#
# FILTER is `all` (the runner's whole output on stdout) or `summary` (only
# failures and the summary lines; the whole output is always in LOG). Each
# prints one line (also left in LAST_RESULT)
#   == LABEL: R tests run (min MIN), F failed, S skipped
# and returns non-zero when the runner exited non-zero, F > 0 or R < MIN.
# With SWASD_COUNTS set, it also appends "R F S LABEL" to that file (test.sh
# sums these per stage and over the whole run). report_counts does the same
# for runners with their own count (crash-test.sh, fuzz.sh, bench/run.sh).

# report_counts LABEL RUN FAILED SKIPPED MIN RC: the result line; the verdict.
report_counts() {
  local label="$1" run="$2" failed="$3" skipped="$4" min="$5" rc="$6" why=""
  # A runner that fails without a counted failure (a crash, no tests found,
  # a file that does not load) still counts as one.
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; why=" (runner exit $rc)"; fi
  [[ $run -lt $min ]] && why="$why (fewer than the minimum $min)"
  LAST_RESULT="$label: $run tests run (min $min), $failed failed, $skipped skipped$why"
  echo "== $LAST_RESULT"
  if [[ -n "${SWASD_COUNTS:-}" ]]; then echo "$run $failed $skipped $label" >>"$SWASD_COUNTS"; fi
  [[ $failed -eq 0 && $run -ge $min ]]
}

# run_logged LOG FILTER CMD...: runs CMD with its stdout (and stderr) in LOG;
# sets RUN_RC to its exit code. Never fails itself.
run_logged() {
  local log="$1" filter="$2"; shift 2
  mkdir -p "$(dirname "$log")"
  set +e
  if [[ $filter == summary ]]; then
    "$@" 2>&1 | tee "$log" |
      grep --line-buffered -E '^ *not ok|^# (tests|pass|fail|cancelled|skipped|todo) |tests failed out of|\((Failed|Timeout|SEGFAULT|Subprocess aborted|Skipped)\)|No tests were found'
  else
    "$@" 2>&1 | tee "$log"
  fi
  RUN_RC=${PIPESTATUS[0]}
  set -e
}

ctest_suite() {
  local label="$1" min="$2" log="$3" filter="$4"; shift 4
  local rc total failed skipped
  run_logged "$log" "$filter" "$@"
  rc=$RUN_RC
  total=$(sed -nE 's/.* tests failed out of ([0-9]+).*/\1/p' "$log" | tail -1)
  failed=$(sed -nE 's/.*, ([0-9]+) tests failed out of.*/\1/p' "$log" | tail -1)
  skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .*\((Skipped|Disabled|Not Run)\)$' "$log" || true)
  total=${total:-0} failed=${failed:-0}
  if [[ $rc -ne 0 && $filter == summary ]]; then
    grep -n -B2 -A60 '\*\*\*Failed\|\*\*\*Exception\|\*\*\*Timeout' "$log" | head -300 >&2 || true
  fi
  report_counts "$label" $((total - skipped)) "$failed" "$skipped" "$min" "$rc"
}

node_suite() {
  local label="$1" min="$2" log="$3" filter="$4"; shift 4
  local rc c
  run_logged "$log" "$filter" "$@"
  rc=$RUN_RC
  # tests = pass + fail + cancelled + skipped + todo; the last summary wins.
  read -r -a c < <(awk '/^# (tests|pass|fail|cancelled|skipped|todo) [0-9]+$/ { v[$2] = $3 }
    END { printf "%d %d %d %d %d\n", v["tests"], v["fail"], v["cancelled"], v["skipped"], v["todo"] }' "$log")
  if [[ $rc -ne 0 && $filter == summary ]]; then
    grep -n -A40 '^ *not ok' "$log" | head -300 >&2 || true
  fi
  # Skipped: node's count covers tests only; a skipped describe (the
  # PostgreSQL-only files in a SQLite run) shows only as its "# SKIP" line,
  # one per skipped test or suite, so count those lines.
  local skip_lines
  skip_lines=$(grep -cE '^ *ok [0-9]+ - .* # SKIP' "$log" || true)
  # Cancelled and todo tests count as failures: neither proved anything.
  report_counts "$label" $((c[0] - c[3])) $((c[1] + c[2] + c[4])) \
    $((skip_lines > c[3] ? skip_lines : c[3])) "$min" "$rc"
}

# The fewest tests each suite must run: a little under what it runs today,
# so that a lost file, test binary or selection fails the run. Raise them
# as the suites grow.
MIN_UNIT=580           # ctest on a build, without PostgreSQL (those skip; 601 today)
MIN_PG_UNIT=24         # ctest -R 'postgresql|PgStore' with SWASD_TEST_PG_DSN
MIN_E2E=710            # node --test tests/e2e (SQLite; 736 today; PostgreSQL runs more)
MIN_CONSOLE=15         # node --test tests/console (Chromium + the signer; 16 today)
MIN_TSAN_E2E=350       # the e2e files under TSan (scripts/sanitize.sh TSAN_E2E_FILES; 363 today)
MIN_RELIABILITY=33     # node --test tests/reliability
MIN_FUZZ_TARGETS=7     # scripts/fuzz.sh targets run
MIN_BENCH_ROWS=6       # bench/run.sh --smoke measurements
MIN_PACKAGE=50         # scripts/package-test.sh: shell checks + signed SDK calls (54 today)
