#!/usr/bin/env bash
# Configures and builds swasd into ${BUILD_DIR:-build} (Release with debug
# info, ccache when present). Extra arguments go to the cmake configure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"
# Line tables (-g1) are enough for backtraces, profiles (perf --call-graph
# dwarf) and sanitizer reports; full debug info made each compile ~45 %
# slower (docs/reliability.md, "Build time"). A caller's flags come after
# and win.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" "$@" >/dev/null
cmake --build "$build" -j "$jobs"
