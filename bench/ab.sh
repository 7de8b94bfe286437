#!/usr/bin/env bash
# A/B of two swasd binaries on the same seeded stores, alternating, so both
# see the same machine load (docs/performance.md, "Profile before and after").
# For each binary and workload: req/s, p50/p99 and swasd CPU per request
# (utime+stime from /proc/PID/stat over the measured run, so it includes the
# warm-up's share: an upper bound).
#
#   bench/ab.sh [--build-dir DIR] [-c CONNS] [-d SECONDS] [--rounds N] A_BIN B_BIN
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"; CONNS=32; DURATION=5; ROUNDS=2; WORKLOADS="share list regions"
while [[ $# -gt 2 ]]; do
  case "$1" in
    --build-dir) BUILD="$2"; shift ;;
    -c) CONNS="$2"; shift ;;
    -d) DURATION="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --workloads) WORKLOADS="$2"; shift ;;
    *) echo "ab.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
A="$1"; B="$2"
BENCH="$BUILD/swasd_bench"; SEED="$BUILD/swasd_seed"
WORK="$(mktemp -d /tmp/swasd-ab.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$SEED" --data-dir "$WORK/seed" --images 10000 >/dev/null
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run_one() {  # label bin workload
  local label="$1" bin="$2" w="$3" dir="$WORK/run" port pid t0 t1 out n
  rm -rf "$dir"; cp -a "$WORK/seed" "$dir"
  port=$(free_port)
  "$bin" --listen "127.0.0.1:$port" --data-dir "$dir" --log-level warn >"$WORK/log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  local extra=(); [[ "$w" == share ]] && extra=(--images 10000)
  t0=$(cpu_ticks "$pid")
  out=$("$BENCH" "$w" --port "$port" --credentials "$dir/root-credentials" "${extra[@]}" \
    -c "$CONNS" -d "$DURATION" --warmup 1 --kv 2>/dev/null | grep '^RESULT' || true)
  t1=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps p50 p99 ok
  rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$out")
  ok=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$out")
  p50=$(sed -n 's/.* p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")
  p99=$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")
  # ok counts only the measured window; CPU covers warm-up too: scale by
  # (warm-up + duration) / duration.
  local us
  us=$(awk -v d=$((t1 - t0)) -v tck="$TCK" -v ok="$ok" -v dur="$DURATION" \
    'BEGIN { if (ok > 0) printf "%.0f", d * 1e6 / tck / (ok * (dur + 1) / dur); else print "n/a" }')
  printf '%-8s %-8s %8s req/s  p50 %7s ms  p99 %7s ms  cpu %5s us/req\n' "$label" "$w" "$rps" "$p50" "$p99" "$us"
}
echo "ab.sh: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $CONNS connections, ${DURATION}s per run"
for r in $(seq "$ROUNDS"); do
  for w in $WORKLOADS; do
    run_one A "$A" "$w"
    run_one B "$B" "$w"
  done
done
