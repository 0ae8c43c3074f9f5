#!/bin/bash
# Step 10: the Debian arm64 base root filesystem, as a tarball cached by its package list.
# Everything comes from Debian's archive (main + non-free-firmware, with security updates):
# raspi-firmware and linux-image-arm64 boot the Pi 3 and Pi 4. The Pi 5 needs the Raspberry Pi
# archive's kernel and firmware, which this build does not reach (see image/README.md).
# Usage: 10-base.sh OUT.tar   (reuses OUT.tar when it exists)
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
. "$here/../lib/common.sh"

out=$1
if [ -s "$out" ]; then log "base: cached $out"; exit 0; fi
need mmdebstrap
enable_arm64_emulation

# Our own Node runs the gateway, so Debian's nodejs is not installed (see PLATFORM.md §2.3).
packages=$(grep -v '^#' "$here/../packages.txt" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
mirror=${UPSGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${UPSGATE_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}

log "base: mmdebstrap bookworm arm64 (emulated; about 15-20 minutes)"
started=$SECONDS
mmdebstrap --arch=arm64 --variant=minbase --format=tar --include="$packages" \
  --setup-hook='mkdir -p "$1/etc/initramfs-tools/conf.d"' \
  --setup-hook='printf "# upsgate: zstd is much faster than gzip under emulation\nCOMPRESS=zstd\n" > "$1/etc/initramfs-tools/conf.d/upsgate.conf"' \
  --customize-hook='rm -f "$1/etc/machine-id" "$1/var/lib/dbus/machine-id"; : > "$1/etc/machine-id"' \
  --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*' \
  bookworm "$out.partial" \
  "deb $mirror bookworm main non-free-firmware" \
  "deb $mirror bookworm-updates main non-free-firmware" \
  "deb $security bookworm-security main non-free-firmware"
mv "$out.partial" "$out"
log "base: done in $((SECONDS - started)) s, $(du -h "$out" | cut -f1)"
