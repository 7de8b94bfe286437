#!/usr/bin/env bash
# Configures and builds swasd into ${BUILD_DIR:-build} (Release with debug
# info, ccache when present). Extra arguments go to the cmake configure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j "$jobs"
