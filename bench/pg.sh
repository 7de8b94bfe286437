#!/usr/bin/env bash
# One and two swasd nodes on one PostgreSQL (docs/performance.md, issue 16):
# ModifyImageShareStatus and ListCustomImages at C connections (32), against
# one node and then split over two nodes (C/2 each, disjoint images for
# share), with the CPU that swasd and PostgreSQL used per answered request
# (utime+stime from /proc), so what bounds the figures shows.
#
#   bench/pg.sh [--build-dir DIR] [--duration S] [--images N] [-c CONNECTIONS]
#
# Starts a throwaway PostgreSQL cluster (scripts/pg-cluster.sh) and removes it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"; DURATION=5; N=10000; C=32
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --images) N="$2"; shift ;;
    -c) C="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "pg.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
SWASD="$BUILD/swasd"; BENCH="$BUILD/swasd_bench"; SEED="$BUILD/swasd_seed"
WORK="$(mktemp -d /tmp/swasd-pgbench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  "$ROOT/scripts/pg-cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
  [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT
DSN="$("$ROOT/scripts/pg-cluster.sh" start "$WORK/pg")"
KEY="$WORK/master.key"
mkdir -p "$WORK/seed"
seed() { "$SEED" --data-dir "$WORK/seed" --database "$DSN" --master-key-file "$KEY" --images "$N" >/dev/null; }
seed
CRED="$WORK/seed/root-credentials"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_node() {  # name -> prints port; node pid appended to PIDS via file
  local port; port=$(free_port)
  "$SWASD" --listen "127.0.0.1:$port" --data-dir "$WORK/$1" --database "$DSN" \
    --master-key-file "$KEY" --log-level warn >"$WORK/$1.log" 2>&1 &
  echo "$! $port"
}
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
read -r PID_A PORT_A < <(start_node a); PIDS+=("$PID_A"); wait_port "$PORT_A"
read -r PID_B PORT_B < <(start_node b); PIDS+=("$PID_B"); wait_port "$PORT_B"
TCK=$(getconf CLK_TCK)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
pg_pids() { pgrep -x postgres || true; }
field() { sed -n "s/.* $1=\\([0-9.]*\\).*/\\1/p"; }
# run LABEL NODES... where each NODE is "port first images conns": loads them in
# parallel; prints req/s (sum), p99 (worst) and CPU per request of swasd and PostgreSQL.
run() {
  local label="$1" workload="$2"; shift 2
  local outs=() i=0 spec port first n conns
  local s0 p0 s1 p1
  s0=$(ticks "$PID_A" "$PID_B"); p0=$(ticks $(pg_pids))
  for spec in "$@"; do
    read -r port first n conns <<<"$spec"
    local extra=()
    [[ $workload == share ]] && extra=(--first-image "$first" --images "$n")
    "$BENCH" "$workload" --port "$port" --credentials "$CRED" "${extra[@]}" -c "$conns" \
      -d "$DURATION" --warmup 1 --kv >"$WORK/out.$i" 2>"$WORK/err.$i" &
    outs+=($!); i=$((i + 1))
  done
  for p in "${outs[@]}"; do wait "$p" || { echo "pg.sh: swasd_bench failed: $(tail -q -n 3 "$WORK"/err.* | tr "\n" " ")" >&2; return 1; }; done
  s1=$(ticks "$PID_A" "$PID_B"); p1=$(ticks $(pg_pids))
  local rps=0 ok=0 p99=0 j line
  for j in $(seq 0 $((i - 1))); do
    line=$(grep '^RESULT' "$WORK/out.$j" || true)
    rps=$(awk -v a="$rps" -v b="$(field rps <<<"$line")" 'BEGIN { print a + b }')
    ok=$((ok + $(field ok <<<"$line")))
    p99=$(awk -v a="$p99" -v b="$(field p99_ms <<<"$line")" 'BEGIN { print (b > a ? b : a) }')
  done
  local scale; scale=$(awk -v d="$DURATION" 'BEGIN { print (d + 1) / d }')
  printf '| %s | %s | %.0f req/s | %s ms | %s us | %s us |\n' "$label" "$workload" "$rps" "$p99" \
    "$(awk -v t=$((s1 - s0)) -v k="$TCK" -v ok="$ok" -v s="$scale" 'BEGIN { if (ok) printf "%.0f", t * 1e6 / k / ok / s; else print "n/a" }')" \
    "$(awk -v t=$((p1 - p0)) -v k="$TCK" -v ok="$ok" -v s="$scale" 'BEGIN { if (ok) printf "%.0f", t * 1e6 / k / ok / s; else print "n/a" }')"
}
H=$((N / 2)); C2=$((C / 2))
echo "pg.sh: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $N images, $C connections, ${DURATION}s per row, PostgreSQL $("$ROOT/scripts/pg-cluster.sh" dsn "$WORK/pg" >/dev/null; psql --version 2>/dev/null | awk '{print $3}')"
echo
echo "| nodes | workload | answered | p99 | swasd CPU per request | PostgreSQL CPU per request |"
echo "|---|---|---|---|---|---|"
run "1" share "$PORT_A 0 $N $C"
seed
run "2" share "$PORT_A 0 $H $C2" "$PORT_B $H $H $C2"
run "1" list "$PORT_A 0 0 $C"
run "2" list "$PORT_A 0 0 $C2" "$PORT_B 0 0 $C2"
