#!/usr/bin/env bash
# One command for a fresh Debian machine: install what is missing, build,
# and run every test suite: the C++ unit tests (CTest) and the end-to-end
# suite that drives the real swasd with the official Alibaba SDKs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

echo "== unit tests (ctest)"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

echo "== end-to-end tests (official SDKs against build/swasd)"
cd "$root/tests/e2e"
npm ci --no-audit --no-fund --loglevel=error
node --test --test-concurrency=2 .
