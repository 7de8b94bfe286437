#!/usr/bin/env bash
# Installs what swasd needs to build and test, from Debian packages only.
# Safe to re-run: it installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libssl-dev libsqlite3-dev nlohmann-json3-dev
  libspdlog-dev libcli11-dev libgtest-dev
  libpqxx-dev postgresql
  clang libclang-rt-14-dev
  nginx-light
  # Tests only: promtool checks GET /metrics, openssl makes the TLS test's CA.
  prometheus openssl
  nodejs npm
  # The console stage (tests/console): Playwright drives Debian's Chromium;
  # a CJK font so the screenshots show the regions' Chinese names.
  chromium fonts-wqy-microhei
  # The package stage (scripts/package-test.sh): podman builds and runs the
  # image (runc: this host's crun cannot run containers, see
  # docs/packaging.md); podman-compose checks compose.yaml; dpkg-dev gives
  # cpack's DEB generator dpkg-shlibdeps.
  podman runc podman-compose dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine that ships its own Node.js (not Debian's) has node and npm on
# PATH already; don't fight it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The end-to-end suite runs on Debian 12's own Node.js (18.20) and npm
# (9.2): it needs node --test with --test-concurrency, which is Node 18.19 or
# newer. Say so here rather than in a test runner's usage error later.
node_version="$(node --version)"
IFS=. read -r node_major node_minor _ <<<"${node_version#v}"
if ((node_major < 18 || (node_major == 18 && node_minor < 19))); then
  echo "install-deps: node $node_version is on PATH; the tests need Node.js 18.19 or newer" >&2
  exit 1
fi
