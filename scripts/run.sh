#!/usr/bin/env bash
# One command for a fresh Debian machine: install what is missing, build,
# and start swasd on 127.0.0.1:8080 with an embedded SQLite store in ./data.
# Flags are passed to swasd (e.g. --listen 0.0.0.0:8080 --data-dir /var/lib/swasd).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "$root/build/swasd" --listen "${SWASD_LISTEN:-127.0.0.1:8080}" \
  --data-dir "${SWASD_DATA_DIR:-$root/data}" "$@"
