# shellcheck shell=bash disable=SC2034,SC2154
# Sourced by scripts/test.sh and scripts/sanitize.sh (which set $root): a
# throwaway PostgreSQL cluster (scripts/pg-cluster.sh) for one stage.
#
#   start_pg   starts one, sets PG_DSN, and arms an EXIT trap that stops it:
#              a failing command ends the script (set -e) without coming back
#              to the caller's stop_pg, and the cluster must not outlive it
#   stop_pg    stops and removes it, disarms the trap; a no-op when none runs
pg_dir=""
PG_DSN=""
stop_pg() {
  if [[ -n "$pg_dir" ]]; then
    "$root/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  pg_dir=""
  trap - EXIT
}
start_pg() {
  pg_dir="$(mktemp -d /tmp/swasd-pg-XXXXXX)"
  rmdir "$pg_dir"
  trap stop_pg EXIT
  PG_DSN="$("$root/scripts/pg-cluster.sh" start "$pg_dir")"
}
