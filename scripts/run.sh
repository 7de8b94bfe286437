#!/usr/bin/env bash
# One command for a fresh Debian machine: install what is missing, build,
# and start swasd on 127.0.0.1:8080 with an embedded SQLite store in ./data.
# Flags are passed to swasd (e.g. --listen 0.0.0.0:8080 --data-dir /var/lib/swasd);
# a --listen or --data-dir given here replaces the default.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
defaults=()
has_flag() {
  local flag="$1"; shift
  for a in "$@"; do
    [[ "$a" == "$flag" || "$a" == "$flag="* ]] && return 0
  done
  return 1
}
has_flag --listen "$@" || defaults+=(--listen "${SWASD_LISTEN:-127.0.0.1:8080}")
has_flag --data-dir "$@" || defaults+=(--data-dir "${SWASD_DATA_DIR:-$root/data}")
exec "$root/build/swasd" "${defaults[@]}" "$@"
