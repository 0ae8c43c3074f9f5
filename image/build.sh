#!/bin/bash
# Builds the upsgate SD card image for the Raspberry Pi 3 and 4 (arm64) from Debian's and npm's
# archives only. Run as root on Debian (amd64 or arm64):
#   apt-get install mmdebstrap qemu-user-static binfmt-support dosfstools mtools e2fsprogs fdisk binutils-aarch64-linux-gnu
#   image/build.sh [OUT.img]          (default .cache/image/upsgate.img)
# The Debian base (step 10, ~20 minutes emulated) is cached in .cache/image/ by its package list.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$here")
. "$here/lib/common.sh"
[ "$(id -u)" = 0 ] || die "run as root: the tree's files must belong to root and to the upsgate user"

cache=${UPSGATE_IMAGE_CACHE:-$repo/.cache/image}
out=${1:-$cache/upsgate.img}
work="$cache/work"
mkdir -p "$cache"
started=$SECONDS
timing() { log "timing: $1 $(( SECONDS - $2 )) s"; }

key=$(cat "$here/packages.txt" "$here/steps/10-base.sh" | sha256sum | cut -c1-12)
t=$SECONDS; "$here/steps/10-base.sh" "$cache/base-$key.tar"; timing base $t

# A fresh tree from the cached base on every build. A tree left by a stopped run may still have
# /proc or /dev mounted in it (never rm -rf those): refuse instead.
if [ -d "$work/rootfs" ]; then
  if grep -q " $work/rootfs/" /proc/mounts; then die "$work/rootfs has mounts inside it; unmount them first"; fi
  rm -rf "$work/rootfs"
fi
mkdir -p "$work/rootfs"
t=$SECONDS; tar -xpf "$cache/base-$key.tar" -C "$work/rootfs" --numeric-owner; timing unpack $t
t=$SECONDS; "$here/steps/20-node.sh" "$cache" "$work/rootfs/usr/lib/upsgate/node"; timing node $t
# The bundle from the sources as they are now, never a stale dist/.
t=$SECONDS; (cd "$repo" && npm run --silent build); timing bundle $t
t=$SECONDS; "$here/steps/30-app.sh" "$repo" "$work/rootfs"; timing app $t
t=$SECONDS; "$here/steps/40-system.sh" "$repo" "$work/rootfs" "$work/data"; timing system $t
t=$SECONDS; "$here/steps/50-assemble.sh" "$work/rootfs" "$work/data" "$out"; timing assemble $t
log "built $out in $(( SECONDS - started )) s"
