#!/bin/bash
# Step 50: the SD card image, built without mounting anything (no loop devices, works in a
# container): a FAT boot partition from ROOTFS/boot/firmware, the root as ext4 from ROOTFS, the
# data partition as ext4 from DATA_TREE, and an MBR, as the Pi's boot ROM wants.
# Usage: 50-assemble.sh ROOTFS DATA_TREE OUT.img
#   UPSGATE_DATA_MB (default 256), UPSGATE_BOOT_MB (default 256).
# The image size is rounded up to a power of two: qemu's raspi machines accept only such SD cards.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
. "$here/../lib/common.sh"

root=$1 data=$2 out=$3
need mkfs.vfat mcopy mke2fs sfdisk
boot_mb=${UPSGATE_BOOT_MB:-256}
data_mb=${UPSGATE_DATA_MB:-256}
tmp=$(mktemp -d "$(dirname "$out")/assemble.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Root: what the tree holds plus a quarter and 64 MiB of room (inodes, journal), boot left out.
used_mb=$(du -sm --exclude=./boot/firmware "$root" | cut -f1)
root_mb=$(( used_mb + used_mb / 4 + 64 ))

log "assemble: boot ${boot_mb} MiB, root ${root_mb} MiB (${used_mb} used), data ${data_mb} MiB"
mkfs.vfat -C -F 32 -n UPSGATEBOOT "$tmp/boot.img" $((boot_mb * 1024)) >/dev/null
if [ -n "$(ls -A "$root/boot/firmware" 2>/dev/null)" ]; then
  mcopy -s -p -i "$tmp/boot.img" "$root"/boot/firmware/* ::/
fi
# The boot partition is mounted on boot/firmware; the root keeps only the empty directory, so the
# firmware is moved aside (a rename, same file system) while mke2fs copies the tree.
aside="$root.firmware-aside"
[ ! -e "$aside" ] || die "$aside exists: an earlier run stopped halfway; move it back to $root/boot/firmware"
mv "$root/boot/firmware" "$aside"
mkdir "$root/boot/firmware"
restore() { rmdir "$root/boot/firmware" && mv "$aside" "$root/boot/firmware"; }
if ! mke2fs -q -t ext4 -L upsgate-root -E root_owner=0:0 -d "$root" "$tmp/root.img" "${root_mb}M"; then restore; die "mke2fs of the root failed"; fi
restore
mke2fs -q -t ext4 -L upsgate-data -E root_owner=0:0 -d "$data" "$tmp/data.img" "${data_mb}M"

# Partitions start at 4 MiB (SD erase blocks); sizes in 512-byte sectors.
start=8192
boot_s=$((boot_mb * 2048)); root_s=$((root_mb * 2048)); data_s=$((data_mb * 2048))
p2=$((start + boot_s)); p3=$((p2 + root_s)); end=$((p3 + data_s))
total_mb=$(( (end + 2047) / 2048 ))
size_mb=1; while [ "$size_mb" -lt "$total_mb" ]; do size_mb=$((size_mb * 2)); done
rm -f "$out"
truncate -s "${size_mb}M" "$out"
sfdisk --quiet "$out" <<TABLE
label: dos
start=$start, size=$boot_s, type=c, bootable
start=$p2, size=$root_s, type=83
start=$p3, size=$data_s, type=83
TABLE
dd if="$tmp/boot.img" of="$out" bs=512 seek=$start conv=notrunc,sparse status=none
dd if="$tmp/root.img" of="$out" bs=512 seek=$p2 conv=notrunc,sparse status=none
dd if="$tmp/data.img" of="$out" bs=512 seek=$p3 conv=notrunc,sparse status=none
log "assemble: $out, ${size_mb} MiB"
