#!/usr/bin/env bash
# One command for a fresh Debian machine: install what is missing, build,
# and start swasd on 127.0.0.1:8080 with an embedded SQLite store in
# <repo>/data. Every argument is passed to swasd unchanged (e.g.
# --listen 0.0.0.0:8080 --data-dir /var/lib/swasd --tls-cert … --log-format json).
#
# The one default this script adds is --data-dir <repo>/data (swasd's own
# default is ./data, relative to where it runs), and only when nothing else
# names the data dir: a --data-dir flag, SWASD_DATA_DIR, or a data-dir key
# in the config file (--config / SWASD_CONFIG). A default given here as a
# flag would otherwise override the environment and the file (flags win).
# Everything else -- --listen included -- is swasd's own default.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

# The value of flag $1 in the remaining arguments ("--flag V" or
# "--flag=V"); empty when absent. Returns 1 when absent.
flag_value() {
  local flag="$1"; shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      "$flag") echo "${2:-}"; return 0 ;;
      "$flag="*) echo "${1#"$flag="}"; return 0 ;;
    esac
    shift
  done
  return 1
}

names_data_dir() {
  flag_value --data-dir "$@" >/dev/null && return 0
  [[ -n "${SWASD_DATA_DIR:-}" ]] && return 0
  local config
  config="$(flag_value --config "$@" || true)"
  config="${config:-${SWASD_CONFIG:-}}"
  [[ -n "$config" && -r "$config" ]] && grep -Eq '^[[:space:]]*data-dir[[:space:]]*=' "$config"
}

defaults=()
names_data_dir "$@" || defaults+=(--data-dir "$root/data")
exec "$root/build/swasd" "${defaults[@]}" "$@"
