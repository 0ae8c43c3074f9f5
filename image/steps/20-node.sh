#!/bin/bash
# Step 20: the pinned arm64 Node binary, checked against image/node.pin and stripped.
# Usage: 20-node.sh CACHE_DIR OUT_BINARY
#   UPSGATE_IMAGE_NODE=/path/to/node uses that binary instead (the assembly test, which needs no download).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
. "$here/../lib/common.sh"

cache=$1 out=$2
mkdir -p "$cache" "$(dirname "$out")"
if [ -n "${UPSGATE_IMAGE_NODE:-}" ]; then
  install -m 0755 "$UPSGATE_IMAGE_NODE" "$out"
  log "node: $UPSGATE_IMAGE_NODE (given)"
  exit 0
fi
eval "$(grep -E '^(package|version|integrity)=' "$here/../node.pin")"
tgz="$cache/$package-$version.tgz"
if [ ! -s "$tgz" ]; then
  need npm
  log "node: npm pack $package@$version"
  (cd "$cache" && npm pack --silent "$package@$version" >/dev/null)
fi
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$actual" = "$integrity" ] || die "$tgz: sha512 is $actual, image/node.pin expects $integrity (delete the file to fetch it again)"
tmp=$(mktemp -d)
tar -xzf "$tgz" -C "$tmp" package/bin/node
install -m 0755 "$tmp/package/bin/node" "$out"
rm -rf "$tmp"
# Debug symbols are most of the binary (99 MB -> 85 MB); the SD card and RAM are small.
if command -v aarch64-linux-gnu-strip >/dev/null; then aarch64-linux-gnu-strip "$out"; else log "node: aarch64-linux-gnu-strip missing (binutils-aarch64-linux-gnu): left unstripped"; fi
log "node: $package@$version, $(du -h "$out" | cut -f1)"
