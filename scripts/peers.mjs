// The real peers the tests run against come from Debian packages. When they are missing, install
// them if we may (root), otherwise stop with the exact command to run: a missing peer is a
// failure with a message, never a silently skipped test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PEERS = [
  { pkg: 'nut-server', files: ['/usr/sbin/upsd', '/lib/nut/dummy-ups', '/usr/share/nut/cmdvartab'] },
  { pkg: 'nut-client', files: ['/usr/bin/upsc', '/usr/bin/upscmd', '/usr/bin/upsrw', '/lib/nut/upsmon'] },
  { pkg: 'openssl', files: ['/usr/bin/openssl'] },
  { pkg: 'libnss3-tools', files: ['/usr/bin/certutil'] },
  { pkg: 'python3-nut', files: ['/usr/lib/python3/dist-packages/PyNUT.py'] },
  // Serial UPS drivers talk to simulators over pseudo-terminals; SNMP ones to snmpsim; and the real
  // NUT drivers of both run beside ours on the same simulator.
  { pkg: 'socat', files: ['/usr/bin/socat'] },
  { pkg: 'nut-snmp', files: ['/lib/nut/snmp-ups'] },
  { pkg: 'snmpsim', files: ['/usr/bin/snmpsimd'] },
  { pkg: 'snmp', files: ['/usr/bin/snmpget'] },
  // The MQTT bridge is tested against a real broker and its command-line clients.
  { pkg: 'mosquitto', files: ['/usr/sbin/mosquitto', '/usr/bin/mosquitto_passwd'] },
  { pkg: 'mosquitto-clients', files: ['/usr/bin/mosquitto_sub', '/usr/bin/mosquitto_pub'] },
  // The web UI's end-to-end tests drive a real headless browser (through playwright-core).
  { pkg: 'chromium', files: ['/usr/bin/chromium'] },
  // The SD image's assembly steps (image/steps/) run on a small tree; systemd-analyze checks the units.
  { pkg: 'dosfstools', files: ['/usr/sbin/mkfs.vfat'] },
  { pkg: 'mtools', files: ['/usr/bin/mcopy', '/usr/bin/mdir'] },
  { pkg: 'e2fsprogs', files: ['/usr/sbin/mke2fs', '/usr/sbin/debugfs'] },
  { pkg: 'fdisk', files: ['/usr/sbin/sfdisk'] },
  { pkg: 'systemd', files: ['/usr/bin/systemd-analyze', '/usr/bin/systemd-notify', '/usr/bin/systemd-sysusers'] },
];

// `npm run image:test`: the full SD image build (an emulated Debian install) and its boot in qemu's
// Raspberry Pi 3 machine, reached over qemu's user network with the real NUT client and ssh.
export const IMAGE_PEERS = [
  { pkg: 'mmdebstrap', files: ['/usr/bin/mmdebstrap'] },
  { pkg: 'qemu-user-static', files: ['/usr/bin/qemu-aarch64-static'] },
  { pkg: 'binfmt-support', files: ['/usr/sbin/update-binfmts'] },
  { pkg: 'qemu-system-arm', files: ['/usr/bin/qemu-system-aarch64'] },
  { pkg: 'binutils-aarch64-linux-gnu', files: ['/usr/bin/aarch64-linux-gnu-strip'] },
  { pkg: 'zstd', files: ['/usr/bin/zstd'] },
  { pkg: 'openssh-client', files: ['/usr/bin/ssh', '/usr/bin/ssh-keygen'] },
  { pkg: 'curl', files: ['/usr/bin/curl'] },
  ...PEERS.filter((p) => ['dosfstools', 'mtools', 'e2fsprogs', 'fdisk', 'nut-client'].includes(p.pkg)),
];

export function missingPeers(list = PEERS) {
  return list.filter((p) => !p.files.every((f) => existsSync(f))).map((p) => p.pkg);
}

export function ensurePeers(list = PEERS) {
  const missing = missingPeers(list);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`The tests need Debian packages that are not installed: ${missing.join(', ')}.\nRun as root:\n  ${command}`);
    process.exit(1);
  }
  console.error(`installing test peers: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = missingPeers(list);
  if (r.status !== 0 || still.length > 0) {
    console.error(`could not install ${still.join(', ')}; run: ${command}`);
    process.exit(1);
  }
}
