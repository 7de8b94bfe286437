#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and local runs.
#
#   scripts/pg-cluster.sh start DIR   create a cluster in DIR (must not hold one
#                                     yet), start it, print its DSN
#   scripts/pg-cluster.sh dsn DIR     print the DSN of the cluster in DIR
#   scripts/pg-cluster.sh down DIR    stop the server (pg_ctl stop -m fast), keep DIR
#   scripts/pg-cluster.sh up DIR      start the stopped server again, same port
#   scripts/pg-cluster.sh stop DIR    stop the server and remove DIR
#
# The server listens on 127.0.0.1 only, on a free port picked at `start`, with
# trust authentication on loopback (no password), its Unix socket inside DIR,
# UTF8 encoding and the C locale. fsync stays on: durability is what is being
# tested. The DSN is postgresql://postgres@127.0.0.1:PORT/postgres.
#
# Run as root (CI, a fresh Debian 12 machine): the cluster is created and run
# by the unprivileged `postgres` user (Debian's postgresql package creates it),
# and DIR is chown'ed to it; DIR's parents must be searchable by that user
# (/tmp is). Run as another user: the cluster runs as that user.
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

usage() {
  echo "usage: $0 start|stop|dsn|down|up DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
cmd="$1"
dir="$2"
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
data="$dir/data"
log="$dir/server.log"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

pick_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! port_in_use "$p"; then
      echo "$p"
      return 0
    fi
  done
  echo "pg-cluster: no free port found" >&2
  return 1
}

dsn_of() {
  [ -f "$dir/port" ] || { echo "pg-cluster: no cluster in $dir" >&2; exit 1; }
  echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

server_start() {
  as_owner "$PGBIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null
}

case "$cmd" in
  start)
    [ -x "$PGBIN/initdb" ] || { echo "pg-cluster: $PGBIN/initdb not found (apt-get install postgresql)" >&2; exit 1; }
    if [ -e "$data" ]; then
      echo "pg-cluster: $dir already holds a cluster" >&2
      exit 1
    fi
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "pg-cluster: no 'postgres' user to run the cluster as" >&2; exit 1; }
      chown postgres: "$dir"
    fi
    as_owner "$PGBIN/initdb" -D "$data" -U postgres --auth=trust \
      --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    # A port taken between the check and the bind makes the start fail: pick
    # another and try again.
    for attempt in 1 2 3 4 5; do
      port="$(pick_port)"
      as_owner tee "$data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 32MB
log_min_messages = warning
EOF
      if server_start; then
        as_owner tee "$dir/port" >/dev/null <<<"$port"
        dsn_of
        exit 0
      fi
      as_owner "$PGBIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    echo "pg-cluster: the server did not start; log:" >&2
    cat "$log" >&2 || true
    exit 1
    ;;
  dsn)
    dsn_of
    ;;
  down)
    [ -d "$data" ] || { echo "pg-cluster: no cluster in $dir" >&2; exit 1; }
    as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    ;;
  up)
    [ -d "$data" ] || { echo "pg-cluster: no cluster in $dir" >&2; exit 1; }
    server_start || { cat "$log" >&2 || true; exit 1; }
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    usage
    ;;
esac
