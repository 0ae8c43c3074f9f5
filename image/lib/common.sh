# Shared by the image steps: logging, tool checks, arm64 emulation.
log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing: apt-get install mmdebstrap qemu-user-static binfmt-support dosfstools mtools e2fsprogs fdisk"
  done
}
# PID 1 in a container or CI box is often not systemd, so nothing registers the qemu handlers.
enable_arm64_emulation() {
  [ "$(uname -m)" = aarch64 ] && return 0
  need update-binfmts qemu-aarch64-static
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc (needs root)"
  fi
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || die "the qemu-aarch64 binfmt handler is not registered"
}
