#!/bin/bash
# Step 30: the gateway itself, as it runs on the Pi: the esbuild bundle (dist/), share/ (the UI's
# assets, the simulated UPS), and a node_modules holding only what the bundle leaves external —
# node-hid and serialport with their prebuilt linux-arm64 N-API binaries, and nodemailer.
# Usage: 30-app.sh REPO ROOTFS
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
. "$here/../lib/common.sh"

repo=$1 root=$2
app="$root/usr/lib/upsgate/app"
need npm node
[ -f "$repo/dist/upsgate.mjs" ] || (cd "$repo" && npm run --silent build)
rm -rf "$app"
mkdir -p "$app"
cp -a "$repo/dist" "$repo/share" "$app/"
# The units' Documentation= points here.
install -D -m 0644 "$repo/README.md" "$root/usr/share/doc/upsgate/README.md"
rm -f "$app"/dist/*.map "$app"/dist/chunks/*.map
# The versions the bundle was tested with, read from the repository's lock file.
node - "$repo" "$app" <<'JS'
const fs = require('node:fs');
const [repo, app] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(`${repo}/package.json`, 'utf8'));
const lock = JSON.parse(fs.readFileSync(`${repo}/package-lock.json`, 'utf8'));
const external = ['node-hid', 'serialport', 'nodemailer'];
const dependencies = Object.fromEntries(external.map((name) => {
  const locked = lock.packages?.[`node_modules/${name}`]?.version;
  if (!locked) throw new Error(`package-lock.json has no ${name}: run npm install in ${repo}`);
  return [name, locked];
}));
fs.writeFileSync(`${app}/package.json`, JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true, dependencies }, null, 2) + '\n');
JS
# --ignore-scripts: nothing is compiled for the build machine; the add-ons load their prebuilds at run time.
(cd "$app" && npm install --silent --omit=dev --ignore-scripts --no-audit --no-fund --no-package-lock --os=linux --cpu=arm64 >/dev/null)
for addon in node-hid/prebuilds/HID_hidraw-linux-arm64 @serialport/bindings-cpp/prebuilds/linux-arm64; do
  [ -d "$app/node_modules/$addon" ] || die "$app/node_modules/$addon is missing: the image would have no USB HID or serial driver"
done
# Other platforms' binaries are dead weight on the card.
find "$app/node_modules" -path '*/prebuilds/*' -mindepth 1 -maxdepth 4 -type d \
  \( -name '*darwin*' -o -name '*win32*' -o -name '*android*' -o -name '*x64*' -o -name '*ia32*' -o -name '*-arm' -o -name '*musl*' \) \
  -prune -exec rm -rf {} +
mkdir -p "$root/usr/bin"
cat > "$root/usr/bin/upsgate" <<'SH'
#!/bin/sh
# upsgate on the image: the pinned Node (not Debian's) runs the bundle. exec keeps the PID, so
# systemd's WATCHDOG_PID and MAINPID are the gateway's own. 64 MiB of heap caps growth on a 1 GB Pi.
exec /usr/lib/upsgate/node --max-old-space-size=64 /usr/lib/upsgate/app/dist/upsgate.mjs "$@"
SH
chmod 0755 "$root/usr/bin/upsgate"
log "app: $(du -sh "$app" | cut -f1) in /usr/lib/upsgate/app"
