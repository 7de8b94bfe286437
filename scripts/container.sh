#!/usr/bin/env bash
# The container image (Containerfile, docs/packaging.md), built from the
# release binaries with no base image and no registry.
#
#   scripts/container.sh context [DIR]   stage the build context in DIR
#                                        (default: $BUILD_DIR/container)
#   scripts/container.sh build [TAG]     stage it and `podman build` TAG
#                                        (default: localhost/swasd:latest)
#
# BUILD_DIR (default build/) holds swasd and swasctl (scripts/build.sh).
# The context is rootfs/ (the binaries, stripped of debug info, every
# shared library `ldd` lists, the dynamic loader, /etc/passwd and
# /etc/group with the swasd user 10001, /tmp, /var/lib) and state/ (an
# empty swasd/, mode 0750, for /var/lib/swasd). The same context builds with Docker unchanged:
#   docker build -f Containerfile -t swasd "$BUILD_DIR/container"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"

die() { echo "container.sh: $*" >&2; exit 1; }

# copy_libs FILE DEST_ROOT: FILE's shared libraries and loader, each at
# its own path under DEST_ROOT (what the loader will look for).
copy_libs() {
  local bin="$1" dest="$2" lib
  ldd "$bin" >/dev/null || die "ldd $bin failed (not a dynamic executable?)"
  # "libx.so => /path (0x..)" and "/lib64/ld-linux-x86-64.so.2 (0x..)";
  # linux-vdso has no path.
  while read -r lib; do
    [[ -e $lib ]] || die "ldd $bin names $lib, which does not exist"
    mkdir -p "$dest$(dirname "$lib")"
    cp -L "$lib" "$dest$lib"
  done < <(ldd "$bin" | grep -oE '(=> )?/[^ ]+' | sed 's/^=> //' | sort -u)
  if ldd "$bin" | grep -q 'not found'; then die "ldd $bin: a library is not found"; fi
}

context() {
  local dir="${1:-$build/container}" bin
  for bin in swasd swasctl; do
    [[ -x $build/$bin ]] || die "$build/$bin not found: run scripts/build.sh first"
  done
  rm -rf "$dir"
  # /var/lib comes from rootfs (root's); state/swasd is copied as an item
  # of state/, so COPY --chown owns the directory itself with any builder.
  mkdir -p "$dir/rootfs/usr/bin" "$dir/rootfs/etc" "$dir/rootfs/tmp" "$dir/rootfs/var/lib" \
    "$dir/state/swasd"
  chmod 1777 "$dir/rootfs/tmp"
  chmod 0750 "$dir/state/swasd"
  for bin in swasd swasctl; do
    # Line tables are for profiling a build tree; the image wants size.
    strip --strip-debug -o "$dir/rootfs/usr/bin/$bin" "$build/$bin"
    copy_libs "$build/$bin" "$dir/rootfs"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nswasd:x:10001:10001:swasd:/var/lib/swasd:/sbin/nologin\n' \
    >"$dir/rootfs/etc/passwd"
  printf 'root:x:0:\nswasd:x:10001:\n' >"$dir/rootfs/etc/group"
  cp "$root/Containerfile" "$dir/Containerfile"
  echo "$dir"
}

case "${1:-}" in
  context) context "${2:-}" ;;
  build)
    tag="${2:-localhost/swasd:latest}"
    dir="$(context)"
    # docker format: podman drops HEALTHCHECK from OCI-format images.
    podman build --format docker --pull=never -f "$root/Containerfile" -t "$tag" "$dir"
    ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
