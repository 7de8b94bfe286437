#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang and
# -fsanitize=fuzzer,address,undefined in build-fuzz, then runs each for a
# bounded time, failing on any crash, leak, timeout or broken invariant.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [--build-only] [TARGET...]
#
#   --seconds N   run time per target (default 20)
#   --jobs J      build parallelism (default: nproc)
#   --build-only  build the fuzz binaries, run nothing
#   TARGET        only these targets (default: all; see fuzz/CMakeLists.txt)
#
# Seeds come from fuzz/corpus/<target>/ and fuzz/regressions/<target>/ (read
# only); new inputs go to build-fuzz/fuzz/work/<target>/. A crashing input
# is copied to fuzz/regressions/<target>/ -- commit it: fuzz_replay_test
# replays it in every normal build from then on. A summary (executions per
# target) is printed and written to build-fuzz/fuzz/summary.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/counts.sh"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds=20
jobs="${JOBS:-$(nproc)}"
build_only=0
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
  esac
done

export CCACHE_NOHASHDIR=true CCACHE_BASEDIR="$root"
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
echo "== configure $build (clang, $san)"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
  -DSWASD_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="$san" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
echo "== build fuzz targets"
cmake --build "$build" --target fuzz_all -j "$jobs"
[[ $build_only == 1 ]] && exit 0

mapfile -t all < <(find "$build/fuzz" -maxdepth 1 -type f -executable -name 'fuzz_*' \
  ! -name fuzz_replay_test -printf '%f\n' | sed 's/^fuzz_//' | sort)
targets=("${only[@]:-${all[@]}}")
[[ ${#targets[@]} -gt 0 ]] || { echo "fuzz.sh: no fuzz binaries in $build/fuzz" >&2; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
summary="$build/fuzz/summary.txt"
: >"$summary"
failed=()
printf '%-20s %12s %10s %8s %s\n' target executions exec/s corpus result | tee -a "$summary"
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  [[ -x $bin ]] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
  work="$build/fuzz/work/$t"
  art="$build/fuzz/artifacts/$t"
  regress="$root/fuzz/regressions/$t"
  mkdir -p "$work" "$art" "$regress"
  log="$build/fuzz/$t.log"
  set +e
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$art/" \
    "$work" "$root/fuzz/corpus/$t" "$regress" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  corpus=$(ls "$work" | wc -l)
  result=ok
  if [[ $rc -ne 0 ]]; then
    result="FAILED (exit $rc)"
    failed+=("$t")
    for f in "$art"/*; do
      [[ -f $f ]] || continue
      cp "$f" "$regress/$(basename "$f")"
      echo "fuzz.sh: $t: crashing input saved as fuzz/regressions/$t/$(basename "$f")" >&2
    done
    grep -E 'FUZZ_CHECK|ERROR: |SUMMARY: |runtime error' "$log" | head -20 >&2 || true
  fi
  printf '%-20s %12s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "$result" | tee -a "$summary"
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: FAILED: ${failed[*]} (logs in $build/fuzz/<target>.log)" >&2
else
  echo "fuzz.sh: all ${#targets[@]} targets ran ${seconds}s each without a finding"
fi
# One "test" per target run; every target (MIN_FUZZ_TARGETS) unless named.
report_counts "fuzz targets" "${#targets[@]}" "${#failed[@]}" 0 \
  "$([[ ${#only[@]} -gt 0 ]] && echo "${#only[@]}" || echo "$MIN_FUZZ_TARGETS")" 0
