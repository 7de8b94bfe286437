#!/usr/bin/env bash
# Measures issue 7's table in one run on this machine: nginx (static JSON
# file), moto_server (if installed) and swasd (seeded stores), all on
# loopback, driven by the same load generator (swasd_bench). Prints the
# table with measured values and ratios. See docs/performance.md.
#
#   bench/run.sh                 full run (~5 min; seeds a 1M-image store)
#   bench/run.sh --smoke         tiny sizes, 1 s per row, no target asserted:
#                                exits non-zero only if a tool fails (CI)
# Options:
#   --build-dir DIR   where swasd, swasd_bench, swasd_seed are
#                     (default: $SWASD_BUILD_DIR, else build-bench, else build)
#   --duration S      measured seconds per throughput row (default 10)
#   --keep            keep the work dir (data dirs, logs)
#   --no-moto         skip the moto_server rows
#   --workers N       swasd --worker-threads (default 32, swasd's own default)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/counts.sh"
SMOKE=0
KEEP=0
NO_MOTO=0
DURATION=10
WARMUP=2
WORKERS=32
BUILD="${SWASD_BUILD_DIR:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --keep) KEEP=1 ;;
    --no-moto) NO_MOTO=1 ;;
    --build-dir) BUILD="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --workers) WORKERS="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$BUILD" ]]; then
  for d in "$ROOT/build-bench" "$ROOT/build"; do
    [[ -x "$d/swasd_bench" ]] && { BUILD="$d"; break; }
  done
fi
SWASD="$BUILD/swasd"; BENCH="$BUILD/swasd_bench"; SEED="$BUILD/swasd_seed"
for b in "$SWASD" "$BENCH" "$SEED"; do
  [[ -x "$b" ]] || { echo "run.sh: $b not built (cmake --build ... --target swasd swasd_bench swasd_seed)" >&2; exit 1; }
done

if [[ $SMOKE == 1 ]]; then
  N_SHARE=200; N_LIST=500; N_SMALL=100; N_LARGE=2000
  DURATION=1; WARMUP=0.2; CONNS=8; MOTO_CONNS=2; MOTO_IMAGES=2; WORKERS=16
  LAT_DURATION=1; PROBE_N=50
else
  N_SHARE=10000; N_LIST=100000; N_SMALL=1000; N_LARGE=1000000
  CONNS=32; MOTO_CONNS=8; MOTO_IMAGES=10; LAT_DURATION=5; PROBE_N=200
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/swasd-bench.XXXXXX")"
chmod 711 "$WORK"  # nginx workers (nobody) must reach the static file
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ $KEEP == 1 ]]; then echo "run.sh: work dir kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# fail() may run in a $(...) subshell: the mark is a file.
fail() { echo "run.sh: FAILED: $*" >&2; : >"$WORK/failed"; }
note() { echo "run.sh: $*" >&2; }

# A free loopback port.
PORT_NEXT=$(( 20000 + RANDOM % 20000 ))
free_port() {
  while ss -ltnH "sport = :$PORT_NEXT" 2>/dev/null | grep -q .; do PORT_NEXT=$((PORT_NEXT + 1)); done
  echo $PORT_NEXT; PORT_NEXT=$((PORT_NEXT + 1))
}

wait_port() {  # port timeout_s
  local end=$(( $(date +%s) + $2 ))
  while (( $(date +%s) < end )); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# RESULT line -> value of key.
kv() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" <<<"$1" | head -1; }

# bench LABEL ARGS...: runs swasd_bench, echoes its RESULT line.
bench() {
  local label="$1"; shift
  local out
  if ! out=$("$BENCH" "$@" --label "$label" --kv 2>"$WORK/bench-$label.err"); then
    fail "swasd_bench $label: $(tail -2 "$WORK/bench-$label.err" | tr '\n' ' ')"
  else
    echo "$label" >>"$WORK/measured"  # a $(...) subshell too: counted in a file
  fi
  cat "$WORK/bench-$label.err" >&2
  echo "$out"
}

start_swasd() {  # name data_dir port [env...]: starts swasd, sets SWASD_PID
  local name="$1" dir="$2" port="$3"; shift 3
  env "$@" "$SWASD" --listen "127.0.0.1:$port" --data-dir "$dir" --log-level warn \
    --worker-threads "$WORKERS" >"$WORK/swasd-$name.log" 2>&1 &
  SWASD_PID=$!
  PIDS+=("$SWASD_PID")
  if ! wait_port "$port" 20; then
    fail "swasd ($name) did not start: $(tail -3 "$WORK/swasd-$name.log")"
    return 1
  fi
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

load_now() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START="$(load_now)"
note "work dir $WORK; load average at start: $LOAD_START; $(nproc) CPU(s)"

# --- the disk: what one durable commit costs ----------------------------------
R_FSYNC=$("$BENCH" fsync --file "$WORK/fsync.tmp" --kv 2>/dev/null) || fail "swasd_bench fsync"
R_COMMIT=$("$SEED" --data-dir "$WORK/probe" --commit-probe "$PROBE_N" 2>&1) || fail "swasd_seed --commit-probe: $R_COMMIT"
C_P50=$(sed -n 's/.*"P50Ms":\([0-9.]*\).*/\1/p' <<<"$R_COMMIT"); C_P99=$(sed -n 's/.*"P99Ms":\([0-9.]*\).*/\1/p' <<<"$R_COMMIT")

# --- seed -------------------------------------------------------------------
seed() {  # dir images
  local out
  if ! out=$("$SEED" --data-dir "$1" --images "$2" 2>&1); then
    fail "swasd_seed $2 images: $out"; return 1
  fi
  note "seeded $2 images in $(sed -n 's/.*"Seconds":\([0-9.]*\).*/\1/p' <<<"$out") s"
}
seed "$WORK/share" "$N_SHARE"
seed "$WORK/list" "$N_LIST"
seed "$WORK/small" "$N_SMALL"
seed "$WORK/large" "$N_LARGE"
# Every share run starts from a fresh copy, so each of its requests flips
# an image (none finds the state it asks for already there).
cp -a "$WORK/share" "$WORK/share-8c"
cp -a "$WORK/share" "$WORK/share-off"
CRED_SHARE="$WORK/share/root-credentials"

# --- swasd: share (group commit on, then off) ---------------------------------
P=$(free_port)
start_swasd share "$WORK/share" "$P"
R_SHARE=$(bench share share --port "$P" --credentials "$CRED_SHARE" --images "$N_SHARE" \
  -c "$CONNS" -d "$DURATION" --warmup "$WARMUP")
stop_pid "$SWASD_PID"

P=$(free_port)
start_swasd share-8c "$WORK/share-8c" "$P"
R_SHARE8=$(bench share-8c share --port "$P" --credentials "$WORK/share-8c/root-credentials" \
  --images "$N_SHARE" -c "$MOTO_CONNS" -d "$DURATION" --warmup "$WARMUP")
stop_pid "$SWASD_PID"

P=$(free_port)
start_swasd share-off "$WORK/share-off" "$P" SWASD_NO_GROUP_COMMIT=1
R_SHARE_OFF=$(bench share-no-group-commit share --port "$P" --credentials "$WORK/share-off/root-credentials" \
  --images "$N_SHARE" -c "$CONNS" -d "$DURATION" --warmup "$WARMUP")
stop_pid "$SWASD_PID"

# --- swasd: list, 100k images -------------------------------------------------
P=$(free_port)
start_swasd list "$WORK/list" "$P"
R_LIST=$(bench list list --port "$P" --credentials "$WORK/list/root-credentials" \
  -c "$CONNS" -d "$DURATION" --warmup "$WARMUP" --save-body "$WORK/list-page.json")
R_LIST8=$(bench list-8c list --port "$P" --credentials "$WORK/list/root-credentials" \
  -c "$MOTO_CONNS" -d "$DURATION" --warmup "$WARMUP")
stop_pid "$SWASD_PID"

# --- swasd: list latency, small vs large store; RSS; start-up -----------------
P=$(free_port)
start_swasd small "$WORK/small" "$P"
R_LAT_SMALL=$(bench list-small list --port "$P" --credentials "$WORK/small/root-credentials" \
  -c 1 -d "$LAT_DURATION" --warmup "$WARMUP")
stop_pid "$SWASD_PID"

P=$(free_port)
R_START=$("$BENCH" startup --port "$P" --credentials "$WORK/large/root-credentials" --kv --keep \
  --child-log "$WORK/swasd-large.log" --label startup -- "$SWASD" --listen "127.0.0.1:$P" --data-dir "$WORK/large" --log-level warn \
  --worker-threads "$WORKERS" 2>"$WORK/startup.err") || fail "startup: $(cat "$WORK/startup.err")"
cat "$WORK/startup.err" >&2
LARGE_PID=$(kv "$R_START" pid)
if [[ -n "$LARGE_PID" && "$LARGE_PID" != 0 ]]; then
  PIDS+=("$LARGE_PID")
  R_LAT_LARGE=$(bench list-large list --port "$P" --credentials "$WORK/large/root-credentials" \
    -c 1 -d "$LAT_DURATION" --warmup "$WARMUP")
  R_LIST_LARGE=$(bench list-large-32c list --port "$P" --credentials "$WORK/large/root-credentials" \
    -c "$CONNS" -d "$DURATION" --warmup "$WARMUP")
  RSS=$(rss_kib "$LARGE_PID"); HWM=$(hwm_kib "$LARGE_PID")
  stop_pid "$LARGE_PID"
else
  R_LAT_LARGE=""; R_LIST_LARGE=""; RSS=""; HWM=""
fi

# --- nginx: the same ListCustomImages page as a static file -------------------
R_NGINX=""
NGINX="$(command -v nginx || true)"
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -n "$NGINX" ]]; then
  mkdir -p "$WORK/nginx/www"; chmod 755 "$WORK/nginx" "$WORK/nginx/www"
  if [[ -s "$WORK/list-page.json" ]]; then
    cp "$WORK/list-page.json" "$WORK/nginx/www/page.json"
  else
    echo '{"TotalCount":"0","CustomImages":[]}' >"$WORK/nginx/www/page.json"
  fi
  P=$(free_port)
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$P;
    root $WORK/nginx/www;
  }
}
EOF
  "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/error.log" &
  PIDS+=("$!"); NGINX_PID=$!
  if wait_port "$P" 10; then
    R_NGINX=$(bench nginx raw --port "$P" --path /page.json -c "$CONNS" -d "$DURATION" --warmup "$WARMUP")
  else
    note "nginx did not start (row skipped): $(cat "$WORK/nginx/error.log")"
  fi
  stop_pid "$NGINX_PID"
else
  note "nginx not installed: nginx rows skipped"
fi

# --- moto_server ----------------------------------------------------------------
R_MOTO_MOD=""; R_MOTO_DESC=""
MOTO="$(command -v moto_server || true)"
if [[ $NO_MOTO == 1 ]]; then
  note "moto rows skipped (--no-moto)"
elif [[ -z "$MOTO" ]]; then
  note "moto_server not installed: moto rows skipped"
else
  P=$(free_port)
  "$MOTO" -H 127.0.0.1 -p "$P" >"$WORK/moto.log" 2>&1 &
  PIDS+=("$!"); MOTO_PID=$!
  # moto accepts unsigned EC2 Query calls; it reads the region from the
  # Authorization header's credential scope, whose signature it ignores.
  AUTH='Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0'
  # (moto's XML has no final newline; sed needs one to print the line.)
  ec2() { curl -sS -H "$AUTH" --data "Action=$1&Version=2016-11-15${2:+&$2}" "http://127.0.0.1:$P/"; echo; }
  if wait_port "$P" 60; then
    INST=$(ec2 RunInstances "ImageId=ami-12c6146b&MinCount=1&MaxCount=1" | sed -n 's/.*<instanceId>\([^<]*\)<.*/\1/p' | head -1)
    : >"$WORK/moto-images.txt"
    for i in $(seq 1 "$MOTO_IMAGES"); do
      ec2 CreateImage "InstanceId=$INST&Name=bench-$i" | sed -n 's/.*<imageId>\([^<]*\)<.*/\1/p' >>"$WORK/moto-images.txt"
    done
    if [[ $(wc -l <"$WORK/moto-images.txt") -eq $MOTO_IMAGES ]]; then
      R_MOTO_MOD=$(bench moto-modify raw --port "$P" --method POST --path / -H "$AUTH" \
        -H "Content-Type: application/x-www-form-urlencoded" \
        --body 'Action=ModifyImageAttribute&Version=2016-11-15&ImageId={id}&LaunchPermission.{alt}.1.Group=all' \
        --ids-file "$WORK/moto-images.txt" --alt Add,Remove -c "$MOTO_CONNS" -d "$DURATION" --warmup "$WARMUP")
      R_MOTO_DESC=$(bench moto-describe raw --port "$P" --method POST --path / -H "$AUTH" \
        -H "Content-Type: application/x-www-form-urlencoded" \
        --body 'Action=DescribeImages&Version=2016-11-15&Owner.1=self' \
        -c "$MOTO_CONNS" -d "$DURATION" --warmup "$WARMUP")
    else
      note "moto: could not seed images, rows skipped ($(tail -3 "$WORK/moto.log"))"
    fi
  else
    note "moto_server did not start, rows skipped: $(tail -3 "$WORK/moto.log")"
  fi
  stop_pid "$MOTO_PID"
fi

LOAD_END="$(load_now)"

# --- table ----------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() {  # value op limit
  if [[ $SMOKE == 1 ]]; then echo "(smoke)"; return; fi
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "" || v == "n/a") { print "n/a"; exit }
    ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 < l + 0)
    print ok ? "met" : "MISSED" }'
}
fmt() { [[ -n "$1" ]] && printf "%.0f" "$1" || echo n/a; }

S_RPS=$(kv "$R_SHARE" rps); S_P99=$(kv "$R_SHARE" p99_ms); S8_RPS=$(kv "$R_SHARE8" rps)
SOFF_RPS=$(kv "$R_SHARE_OFF" rps)
L_RPS=$(kv "$R_LIST" rps); L8_RPS=$(kv "$R_LIST8" rps)
N_RPS=$(kv "$R_NGINX" rps)
MM_RPS=$(kv "$R_MOTO_MOD" rps); MD_RPS=$(kv "$R_MOTO_DESC" rps)
LS_P50=$(kv "$R_LAT_SMALL" p50_ms); LL_P50=$(kv "$R_LAT_LARGE" p50_ms)
LS_P99=$(kv "$R_LAT_SMALL" p99_ms); LL_P99=$(kv "$R_LAT_LARGE" p99_ms)
START_MS=$(kv "$R_START" startup_ms)
RSS_MIB=$( [[ -n "$RSS" ]] && awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }' || echo "")
HWM_MIB=$( [[ -n "$HWM" ]] && awk -v k="$HWM" 'BEGIN { printf "%.1f", k / 1024 }' || echo "")

R1=$(ratio "$S_RPS" "$N_RPS"); R2=$(ratio "$L_RPS" "$N_RPS")
R3=$(ratio "$S_RPS" "$MM_RPS"); R4=$(ratio "$L_RPS" "$MD_RPS")
R3b=$(ratio "$S8_RPS" "$MM_RPS"); R4b=$(ratio "$L8_RPS" "$MD_RPS")
R6=$(ratio "$LL_P50" "$LS_P50"); RGC=$(ratio "$S_RPS" "$SOFF_RPS")

cat <<EOF

swasd bench ($( [[ $SMOKE == 1 ]] && echo "SMOKE: tiny sizes, targets not asserted" || echo "full run")): $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average $LOAD_START at start, $LOAD_END at end
images: share $N_SHARE, list $N_LIST, flat $N_SMALL vs $N_LARGE; $CONNS connections (moto rows $MOTO_CONNS); ${DURATION}s per row; swasd --worker-threads $WORKERS

| row | measured | baseline | ratio | target | verdict |
|---|---|---|---|---|---|
| ModifyImageShareStatus Share/UnShare, fsync'd, ${CONNS}c | $(fmt "$S_RPS") req/s | nginx $(fmt "$N_RPS") req/s | $R1 | >= 0.5 x nginx | $(verdict "$R1" ">=" 0.5) |
| ListCustomImages page of 10, $N_LIST images, ${CONNS}c | $(fmt "$L_RPS") req/s | nginx $(fmt "$N_RPS") req/s | $R2 | >= 0.7 x nginx | $(verdict "$R2" ">=" 0.7) |
| share (${CONNS}c) vs moto ModifyImageAttribute (${MOTO_CONNS}c) | $(fmt "$S_RPS") req/s | moto $(fmt "$MM_RPS") req/s | $R3 | >= 100 x | $(verdict "$R3" ">=" 100) |
| list (${CONNS}c) vs moto DescribeImages (${MOTO_CONNS}c) | $(fmt "$L_RPS") req/s | moto $(fmt "$MD_RPS") req/s | $R4 | >= 100 x | $(verdict "$R4" ">=" 100) |
| same, swasd also at ${MOTO_CONNS}c: share / list | $(fmt "$S8_RPS") / $(fmt "$L8_RPS") req/s | moto $(fmt "$MM_RPS") / $(fmt "$MD_RPS") | $R3b / $R4b | (>= 100 x) | $(verdict "$R3b" ">=" 100) / $(verdict "$R4b" ">=" 100) |
| p99 latency, ModifyImageShareStatus, ${CONNS}c | ${S_P99:-n/a} ms | | | < 5 ms | $(verdict "$S_P99" "<" 5) |
| ListCustomImages p50 latency (1c), $N_SMALL vs $N_LARGE images | ${LS_P50:-n/a} vs ${LL_P50:-n/a} ms (p99 ${LS_P99:-n/a} vs ${LL_P99:-n/a}) | | $R6 | <= 1.5 x | $(verdict "$R6" "<" 1.5000001) |
| RSS after the runs, $N_LARGE images on disk | ${RSS_MIB:-n/a} MiB (peak ${HWM_MIB:-n/a}) | | | < 64 MiB | $(verdict "$RSS_MIB" "<" 64) |
| process start to first answered signed request ($N_LARGE-image store) | ${START_MS:-n/a} ms | | | < 100 ms | $(verdict "$START_MS" "<" 100) |
| group commit on / off (share, ${CONNS}c) | $(fmt "$S_RPS") / $(fmt "$SOFF_RPS") req/s | | $RGC | (info) | |
| ListCustomImages, $N_LARGE images, ${CONNS}c | $(fmt "$(kv "$R_LIST_LARGE" rps)") req/s, p99 $(kv "$R_LIST_LARGE" p99_ms) ms | | | (info) | |
| disk: 4 KiB pwrite + fdatasync, one at a time | p50 $(kv "$R_FSYNC" p50_ms) ms, p99 $(kv "$R_FSYNC" p99_ms) ms | | | (info) | |
| store: one durable Write alone (sequential) | p50 $(printf "%.3f" "${C_P50:-0}") ms, p99 $(printf "%.3f" "${C_P99:-0}") ms | | | (info) | |
EOF

# One "test" per swasd_bench measurement that ran.
measured=0
[[ -f "$WORK/measured" ]] && measured=$(wc -l <"$WORK/measured")
report_counts "bench measurements" "$measured" "$([[ -e "$WORK/failed" ]] && echo 1 || echo 0)" 0 \
  "$MIN_BENCH_ROWS" 0 || { echo "run.sh: a tool failed or too few measurements (see above)" >&2; exit 1; }
exit 0
