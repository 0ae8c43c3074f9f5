#!/bin/bash
# Step 40: makes the Debian tree an upsgate appliance: the units, users, udev rules and hooks from
# systemd/, the image's own configuration (image/rootfs/: read-only root, networkd, journald in
# RAM, the hardware watchdog), the kernel command line, the first-boot template on the boot
# partition, and the data partition's tree (image/data/).
# Usage: 40-system.sh REPO ROOTFS DATA_TREE
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
. "$here/../lib/common.sh"

repo=$1 root=$2 data=$3
need systemctl systemd-sysusers
sd="$repo/systemd"
[ -d "$root/etc" ] || die "$root is not a root file system (no etc/)"

# --- systemd/ at its installed places.
install_all() { # DEST MODE FILES...
  local dest=$1 mode=$2; shift 2
  mkdir -p "$root$dest"
  for f in "$@"; do [ -e "$f" ] && install -m "$mode" "$f" "$root$dest/"; done
  return 0
}
shopt -s nullglob
install_all /usr/lib/systemd/system 0644 "$sd"/*.service "$sd"/*.target "$sd"/*.timer
install_all /usr/lib/udev/rules.d 0644 "$sd"/*.rules
install_all /usr/lib/sysusers.d 0644 "$sd"/sysusers.d/*.conf
install_all /usr/lib/tmpfiles.d 0644 "$sd"/tmpfiles.d/*.conf
install_all /usr/lib/modules-load.d 0644 "$sd"/modules-load.d/*.conf
install_all /usr/lib/systemd/system-shutdown 0755 "$sd"/system-shutdown/*
install_all /usr/lib/upsgate 0755 "$sd"/libexec/*
shopt -u nullglob
[ -f "$root/usr/lib/systemd/system/upsgate.service" ] || die "$sd/upsgate.service is missing"

# --- the image's own files, over Debian's.
cp -a "$here/../rootfs/." "$root/"
mkdir -p "$root/data" "$root/var/lib/upsgate"
# Without /etc/machine-id systemd would think every boot the first; empty, it makes a transient
# one that upsgate-identity.service keeps.
: > "$root/etc/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*
# Resolved's stub, as systemd-resolved's package sets it up on a writable /etc.
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"

# --- users and groups from sysusers.d (the upsgate service user), created now: /etc is read-only later.
systemd-sysusers --root="$root" >/dev/null
getent_root() { awk -F: -v n="$2" '$1 == n { print $3 }' "$root/etc/$1"; }
uid=$(getent_root passwd upsgate); gid=$(getent_root group upsgate)
[ -n "$uid" ] && [ -n "$gid" ] || die "systemd-sysusers made no upsgate user in $root/etc/passwd"

# --- which units run.
enable=(upsgate.service upsgate-first-boot.service upsgate-identity.service systemd-networkd.service
  systemd-resolved.service systemd-timesyncd.service wpa_supplicant@wlan0.service ssh.service)
for unit in "${enable[@]}"; do
  if [ -e "$root/usr/lib/systemd/system/${unit/@wlan0/@}" ] || [ -e "$root/lib/systemd/system/${unit/@wlan0/@}" ] || [ -e "$root/etc/systemd/system/$unit" ]; then
    systemctl --root="$root" enable "$unit" >/dev/null 2>&1 || die "systemctl --root enable $unit failed"
  else
    log "system: $unit is not in this tree; not enabled"
  fi
done
# ifupdown's and Debian's networking.service would fight networkd for the interfaces.
systemctl --root="$root" disable networking.service >/dev/null 2>&1 || true

# --- the kernel command line: root read-only from the start, repaired by fsck when needed.
# raspi-firmware regenerates cmdline.txt from these on a kernel update, so both are set. The
# serial console is the GPIO 14/15 UART, the mini UART on the Pi 3 and 4 (the PL011 drives
# Bluetooth), which Debian's mainline kernel names ttyS1; "serial0" is only the Raspberry Pi
# kernel's alias, and CONSOLES=auto would pick by the build machine's model, not the Pi's.
printf 'ROOTPART=LABEL=upsgate-root\nCONSOLES="ttyS1,115200 tty1"\n' > "$root/etc/default/raspi-firmware"
echo 'ro fsck.repair=yes quiet' > "$root/etc/default/raspi-extra-cmdline"
boot="$root/boot/firmware"
mkdir -p "$boot"
if [ -f "$boot/cmdline.txt" ]; then
  echo "console=ttyS1,115200 console=tty1 root=LABEL=upsgate-root rootfstype=ext4 rootwait ro fsck.repair=yes quiet" > "$boot/cmdline.txt"
fi
cp "$repo/src/appliance/upsgate-setup.template.jsonc" "$boot/upsgate-setup.example.jsonc"

# --- the data partition's tree: the gateway's folder (owned by its user) and systemd's state.
rm -rf "$data"
mkdir -p "$data"
cp -a "$here/../data/." "$data/"
mkdir -p "$data/systemd"
[ -d "$root/var/lib/systemd" ] && cp -a "$root/var/lib/systemd/." "$data/systemd/"
chown -R "$uid:$gid" "$data/upsgate"
chmod 0750 "$data/upsgate" "$data/upsgate/conf"
chmod 0640 "$data"/upsgate/conf/*
chmod 0600 "$data/upsgate/conf/upsd.users" "$data/upsgate/conf/upsgate.json"
log "system: configured (upsgate uid $uid)"
