#!/usr/bin/env bash
# The `package` stage of scripts/test.sh (docs/packaging.md): swasd as its
# users get it, started and called with the official SDK.
#
#   container  scripts/container.sh builds the image (no registry); podman
#              runs it with the store in a named volume and the root key from
#              the environment; `podman healthcheck run` until healthy; a
#              signed call creates a RAM user (tests/e2e/package/
#              signed_calls.js); SIGTERM, a new container on the same volume,
#              the user is still there
#   compose    `podman-compose up -d` of compose.yaml with that image, healthy,
#              a signed call, `down -v`
#   deb        `cpack -G DEB`; the package's files, conffiles and Depends;
#              `dpkg -i`; swasd started from the installed unit's ExecStart as
#              its User= (systemd does not run here); signed calls, a restart,
#              the user persisted; `dpkg --purge` removes everything. Needs root.
#
#   scripts/package-test.sh [container|compose|deb]...   (default: all three)
#
# BUILD_DIR (default build/) holds the release build (scripts/build.sh).
# Each shell check is counted, and so are the node tests (scripts/lib/
# counts.sh); the measurements go to $BUILD_DIR/logs/package/measurements.
# Everything made is removed at the end (containers, volumes, network,
# image, package, user), on failure too.
#
# Host-specific podman settings live here, not in the Containerfile: this
# host's crun cannot run containers ("cgroups in hybrid mode") and root lacks
# CAP_SYS_RESOURCE for podman's default rlimits, so unless CONTAINERS_CONF is
# set a containers.conf with runtime runc and lower ulimits is used.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
source "$root/scripts/lib/counts.sh"
phases=("$@")
[[ ${#phases[@]} -gt 0 ]] || phases=(container compose deb)

logs="$build/logs/package"
mkdir -p "$logs"
log="$logs/package.log"
: >"$log"
measure="$logs/measurements"
: >"$measure"
work="$(mktemp -d /tmp/swasd-package-XXXXXX)"
tag="localhost/swasd:package-test-$$"
name="swasd-package-test-$$"
checks_run=0
checks_failed=0
cleanups=()
t_stage=$SECONDS

say() { echo "package: $*"; echo "== $*" >>"$log"; }
note() { echo "package: $1: $2"; echo "$1: $2" >>"$measure"; }

# check WHAT CMD...: one counted check; its output goes to the log. A failed
# check ends the run (later checks depend on it) after printing the log's
# tail.
check() {
  local what="$1"; shift
  checks_run=$((checks_run + 1))
  echo "== check: $what: $*" >>"$log"
  if "$@" >>"$log" 2>&1; then
    echo "  ok   $what"
  else
    checks_failed=$((checks_failed + 1))
    echo "  FAIL $what (log: $log)" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

finish() {
  local rc=$? i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" >>"$log" 2>&1 || true; done
  rm -rf "$work"
  note "stage time" "$((SECONDS - t_stage)) s"
  report_counts "package (shell checks)" "$checks_run" "$checks_failed" 0 1 "$rc" || rc=1
  exit "$rc"
}
trap finish EXIT
trap 'exit 143' TERM INT

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# signed_calls LABEL PHASE PORT KEY_FILE: tests/e2e/package/signed_calls.js
# through the official SDKs, counted as a node suite.
signed_calls() {
  local label="$1" phase="$2" port="$3" key="$4"
  (cd "$root/tests/e2e" &&
     SWASD_PKG_PORT="$port" SWASD_PKG_KEY_FILE="$key" SWASD_PKG_PHASE="$phase" \
     SWASD_PKG_STATE_FILE="$work/$label.state" \
     node_suite "package $label: signed calls ($phase)" 3 "$logs/$label-$phase.log" summary \
       node --test package/signed_calls.js)
}

# A fresh root key, in the environment (never on a command line) and in the
# root-credentials format for the node script.
new_root_key() {
  SWASD_ROOT_ACCESS_KEY_ID="LTAI$(openssl rand -hex 10)"
  SWASD_ROOT_ACCESS_KEY_SECRET="$(openssl rand -hex 15)"
  export SWASD_ROOT_ACCESS_KEY_ID SWASD_ROOT_ACCESS_KEY_SECRET
  printf '{"AccessKeyId":"%s","AccessKeySecret":"%s"}\n' \
    "$SWASD_ROOT_ACCESS_KEY_ID" "$SWASD_ROOT_ACCESS_KEY_SECRET" >"$work/$1.key"
}

# ------------------------------------------------------------------------------
# Container

podman_setup() {
  [[ -n ${podman_ready:-} ]] && return 0
  command -v podman >/dev/null || { echo "podman is not installed (scripts/install-deps.sh)" >&2; exit 1; }
  if [[ -z ${CONTAINERS_CONF:-} ]]; then
    local nofile
    nofile="$(ulimit -Hn)"
    [[ $nofile == unlimited || $nofile -gt 65536 ]] && nofile=65536
    cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
    export CONTAINERS_CONF="$work/containers.conf"
  fi
  local t0=$SECONDS
  say "building $tag"
  check "the image builds from Containerfile without a registry" \
    "$root/scripts/container.sh" build "$tag"
  cleanups+=("podman rmi -f $tag")
  note "image build time" "$((SECONDS - t0)) s (context and podman build)"
  note "image size" "$(podman image inspect "$tag" --format '{{.Size}}' | awk '{ printf "%.1f MB (%d bytes)", $1 / 1e6, $1 }')"
  check "the image carries HEALTHCHECK swasd healthcheck" \
    grep -q '"/usr/bin/swasd","healthcheck"' <(podman image inspect "$tag" --format '{{json .HealthCheck}}')
  check "the image runs as uid 10001 with /var/lib/swasd a volume" \
    test "$(podman image inspect "$tag" --format '{{.Config.User}} {{json .Config.Volumes}}')" \
    = '10001:10001 {"/var/lib/swasd":{}}'
  podman_ready=1
}

# wait_healthy CONTAINER LABEL T0: `podman healthcheck run` (the image's own
# HEALTHCHECK) until it says healthy; notes how long from `podman run`.
wait_healthy() {
  local container="$1" label="$2" t0="$3" i
  for ((i = 0; i < 150; i++)); do
    if podman healthcheck run "$container" >>"$log" 2>&1; then
      note "$label: start to healthy" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }')"
      return 0
    fi
    sleep 0.2
  done
  podman logs "$container" >>"$log" 2>&1 || true
  return 1
}

run_container() {
  local port="$1" t0
  t0="$(date +%s.%N)"
  check "podman run with the volume and the root key from the environment" \
    podman run -d --name "$name" -p "127.0.0.1:$port:8080" -v "$name:/var/lib/swasd" \
      -e SWASD_ROOT_ACCESS_KEY_ID -e SWASD_ROOT_ACCESS_KEY_SECRET "$tag"
  check "healthy (podman healthcheck run)" wait_healthy "$name" container "$t0"
}

stop_container() {
  check "podman stop: SIGTERM, exit 0" podman stop -t 20 "$name"
  check "the container exited 0" test "$(podman inspect "$name" --format '{{.State.ExitCode}}')" = 0
  podman rm "$name" >>"$log" 2>&1
}

phase_container() {
  podman_setup
  local port
  port="$(free_port)"
  new_root_key container
  cleanups+=("podman rm -f $name" "podman volume rm -f $name")
  say "container $name on 127.0.0.1:$port"
  run_container "$port"
  check "swasd runs as uid 10001 in the container" \
    test "$(podman top "$name" huser | tail -n 1 | tr -d ' ')" = 10001
  check "podman exec swasd healthcheck prints one healthy line" \
    grep -qx 'healthy: GET http://127.0.0.1:8080/healthz 200 {"Status":"OK","Backend":"sqlite",.*' \
    <(podman exec "$name" /usr/bin/swasd healthcheck)
  signed_calls container create "$port" "$work/container.key"
  check "podman exec swasctl account list: the operator CLI in the image reads the live store" \
    grep -q '"AccountId"' <(podman exec "$name" /usr/bin/swasctl account list)
  stop_container
  say "a new container on the same volume"
  run_container "$port"
  signed_calls container verify "$port" "$work/container.key"
  local volume
  volume="$(podman volume inspect "$name" --format '{{.Mountpoint}}')"
  check "the volume is 10001's, mode 750, and holds the store" \
    test "$(stat -c '%u %a' "$volume") $(stat -c %u "$volume/swasd.db")" = "10001 750 10001"
  stop_container
}

# ------------------------------------------------------------------------------
# compose.yaml

phase_compose() {
  podman_setup
  command -v podman-compose >/dev/null || { echo "podman-compose is not installed (scripts/install-deps.sh)" >&2; exit 1; }
  local port project="swasdpkg$$"
  port="$(free_port)"
  new_root_key compose
  cleanups+=("SWASD_IMAGE=$tag podman-compose -p $project -f $root/compose.yaml down -v"
             "podman network rm -f ${project}_default")
  say "compose project $project on 127.0.0.1:$port"
  local t0
  t0="$(date +%s.%N)"
  check "podman-compose up -d compose.yaml" \
    env SWASD_IMAGE="$tag" SWASD_PORT="$port" podman-compose -p "$project" -f "$root/compose.yaml" up -d
  check "healthy (the image's HEALTHCHECK)" wait_healthy "${project}_swasd_1" compose "$t0"
  signed_calls compose create "$port" "$work/compose.key"
  check "podman-compose down -v" \
    env SWASD_IMAGE="$tag" podman-compose -p "$project" -f "$root/compose.yaml" down -v
}

# ------------------------------------------------------------------------------
# Debian package

unit_value() { sed -nE "s/^$1=(.*)$/\1/p" "$2" | tail -n 1; }

# as_unit_user CMD...: CMD as the unit's User=/Group= with a clean
# environment, from /, as systemd would start it (without the sandboxing),
# plus SWASD_LISTEN: the test's own port, so that nothing on this machine's
# 127.0.0.1:8080 (the packaged default) is in the way.
as_unit_user() {
  (cd / && exec setpriv --reuid="$unit_user" --regid="$unit_group" --init-groups \
     env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SWASD_LISTEN="127.0.0.1:$deb_port" "$@")
}

start_installed() {
  # Not through as_unit_user: $! must be swasd itself (exec all the way
  # down), so that SIGTERM reaches it and `wait` gives its exit code.
  # shellcheck disable=SC2086 # ExecStart is split as systemd splits it (no quotes in ours)
  (cd / && exec setpriv --reuid="$unit_user" --regid="$unit_group" --init-groups \
     env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SWASD_LISTEN="127.0.0.1:$deb_port" $exec_start) \
    >>"$logs/deb-swasd.log" 2>&1 &
  deb_pid=$!
  local i
  for ((i = 0; i < 100; i++)); do
    # shellcheck disable=SC2086
    if as_unit_user $exec_start healthcheck >>"$log" 2>&1; then return 0; fi
    kill -0 "$deb_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

stop_installed() {
  kill -TERM "$deb_pid"
  local rc=0
  wait "$deb_pid" || rc=$?
  deb_pid=""
  [[ $rc -eq 0 ]]
}

deb_purge() {
  [[ -n ${deb_pid:-} ]] && { kill -KILL "$deb_pid"; wait "$deb_pid"; } 2>/dev/null
  if dpkg-query -W -f='${Status}' swasd 2>/dev/null | grep -q installed; then dpkg --purge swasd; fi
}

phase_deb() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "package: the deb check installs swasd with dpkg -i and needs root (CI runs as root)" >&2
    exit 1
  fi
  local version deb
  version="$("$build/swasd" --version | awk '{ print $2 }')"
  check "swasd is not installed on this machine before the test (else: dpkg --purge swasd)" \
    bash -c "! dpkg-query -W -f='\${Status}' swasd 2>/dev/null | grep -q installed"
  check "no swasd user before the test (else: deluser --system swasd)" bash -c '! getent passwd swasd'
  say "cpack -G DEB"
  local t0=$SECONDS
  check "cpack -G DEB makes the package" \
    cpack -G DEB -B "$work/deb" --config "$build/CPackConfig.cmake"
  deb="$work/deb/swasd_${version}_amd64.deb"
  check "named swasd_${version}_amd64.deb" test -f "$deb"
  note "deb build time" "$((SECONDS - t0)) s"
  note "deb size" "$(stat -c %s "$deb" | awk '{ printf "%.1f MB (%d bytes)", $1 / 1e6, $1 }')"
  dpkg-deb -c "$deb" | awk '{ print $6 }' >"$work/deb.files"
  check "it holds /usr/bin/swasd, /usr/bin/swasctl, the unit and the config" \
    bash -c "for f in ./usr/bin/swasd ./usr/bin/swasctl ./lib/systemd/system/swasd.service ./etc/swasd/swasd.toml; do grep -qx \"\$f\" '$work/deb.files' || { echo missing \$f; exit 1; }; done"
  check "/etc/swasd/swasd.toml is a conffile" grep -qx /etc/swasd/swasd.toml <(dpkg-deb -I "$deb" conffiles)
  check "Depends (dpkg-shlibdeps) names libc6, libssl3, libsqlite3-0, libpqxx-6.4 and adduser" \
    bash -c "d=\$(dpkg-deb -f '$deb' Depends); echo \"\$d\"; for p in libc6 libssl3 libsqlite3-0 libpqxx-6.4 adduser; do grep -qE \"(^|, )\$p( |,|\$)\" <<<\"\$d\" || exit 1; done"
  check "the binaries are stripped" \
    bash -c "dpkg-deb -x '$deb' '$work/x' && ! readelf -S '$work/x/usr/bin/swasd' | grep -qE '\.symtab|\.debug_'"

  cleanups+=("deb_purge")
  check "dpkg -i installs it" dpkg -i "$deb"
  check "postinst made the swasd system user" \
    bash -c '[[ $(getent passwd swasd | cut -d: -f3) -lt 1000 ]]'
  check "/var/lib/swasd belongs to swasd, mode 750" test "$(stat -c '%U:%G %a' /var/lib/swasd)" = "swasd:swasd 750"
  local unit=/lib/systemd/system/swasd.service
  exec_start="$(unit_value ExecStart "$unit")"
  unit_user="$(unit_value User "$unit")"
  unit_group="$(unit_value Group "$unit")"
  check "the unit runs /usr/bin/swasd --config /etc/swasd/swasd.toml as swasd, StateDirectory=swasd" \
    test "$exec_start|$unit_user|$unit_group|$(unit_value StateDirectory "$unit")" \
    = "/usr/bin/swasd --config /etc/swasd/swasd.toml|swasd|swasd|swasd"
  check "the installed swasd is version $version" grep -qx "swasd $version" <(/usr/bin/swasd --version)

  deb_port="$(free_port)"
  : >"$logs/deb-swasd.log"
  say "installed swasd (ExecStart as $unit_user) on 127.0.0.1:$deb_port"
  check "started from the installed files, healthy (swasd healthcheck with the same config)" start_installed
  check "it generated the root key in /var/lib/swasd/root-credentials, 0600 swasd" \
    test "$(stat -c '%U %a' /var/lib/swasd/root-credentials)" = "swasd 600"
  cp /var/lib/swasd/root-credentials "$work/deb.key"
  signed_calls deb create "$deb_port" "$work/deb.key"
  check "SIGTERM: exit 0" stop_installed
  check "restarted from the installed files on the same store" start_installed
  signed_calls deb verify "$deb_port" "$work/deb.key"
  check "SIGTERM: exit 0" stop_installed
  check "swasctl from the package reads the store" \
    grep -q '"AccountId"' <(as_unit_user /usr/bin/swasctl --data-dir /var/lib/swasd account list)

  check "dpkg --purge removes it" dpkg --purge swasd
  check "nothing left: binaries, unit, /etc/swasd, /var/lib/swasd, the swasd user" \
    bash -c '! test -e /usr/bin/swasd && ! test -e /usr/bin/swasctl && ! test -e /lib/systemd/system/swasd.service && ! test -e /etc/swasd && ! test -e /var/lib/swasd && ! getent passwd swasd && ! getent group swasd'
}

for p in "${phases[@]}"; do
  case "$p" in
    container | compose | deb) "phase_$p" ;;
    *) echo "package-test.sh: unknown phase $p (container, compose, deb)" >&2; exit 2 ;;
  esac
done
