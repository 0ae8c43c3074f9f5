/**
 * The parts of the setup that live in the root file system's /etc: host name, time zone, Wi-Fi,
 * root's SSH keys. `root` is "/" on the box and a temporary tree in tests. Each file is replaced
 * atomically, so a power cut in the middle leaves the old file or the new one.
 */
import { chmod, mkdir, readFile, rename, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../conf/atomic-write.js';
import { SetupError, type WifiSetup } from './setup-file.js';
import { WPA_CONF, wpaSupplicantConf } from './wifi-config.js';

const ZONEINFO = 'usr/share/zoneinfo';

/** The zone must be a file under the root's zoneinfo, or /etc/localtime would point at nothing. */
export async function checkTimezoneExists(root: string, file: string, zone: string): Promise<void> {
  const found = await stat(path.join(root, ZONEINFO, zone)).then((s) => s.isFile(), () => false);
  if (!found) {
    throw new SetupError(file, 'timezone', `"${zone}" is not a time zone this system knows (no /${ZONEINFO}/${zone}): ` +
      'write one like "Europe/Berlin", "America/New_York" or "UTC", as listed by `timedatectl list-timezones`');
  }
}

async function readOptional(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
}

export async function applyHostname(root: string, name: string): Promise<void> {
  await writeFileAtomically(path.join(root, 'etc/hostname'), `${name}\n`, { mode: 0o644 });
  // Debian resolves its own name through 127.0.1.1 in /etc/hosts (sudo, mail and others ask).
  const hostsFile = path.join(root, 'etc/hosts');
  const lines = (await readOptional(hostsFile)).split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  const at = lines.findIndex((l) => /^127\.0\.1\.1\s/.test(l));
  const entry = `127.0.1.1\t${name}`;
  if (at >= 0) lines[at] = entry;
  else lines.splice(Math.min(1, lines.length), 0, entry);
  await writeFileAtomically(hostsFile, `${lines.join('\n')}\n`, { mode: 0o644 });
  // The running system took its name from /etc/hostname before this ran; networkd's DHCP and
  // resolved's mDNS start after us and must announce the new one.
  if (path.resolve(root) === '/') await writeFile('/proc/sys/kernel/hostname', name);
}

export async function applyTimezone(root: string, zone: string): Promise<void> {
  // As Debian's tzdata sets it: a relative link, and the name in /etc/timezone.
  const link = path.join(root, 'etc/localtime');
  const temp = `${link}.upsgate-new`;
  await unlink(temp).catch(() => undefined);
  await symlink(`../${ZONEINFO}/${zone}`, temp);
  await rename(temp, link);
  await writeFileAtomically(path.join(root, 'etc/timezone'), `${zone}\n`, { mode: 0o644 });
}

export async function applyWifi(root: string, wifi: WifiSetup): Promise<void> {
  const file = path.join(root, WPA_CONF);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  await writeFileAtomically(file, wpaSupplicantConf(wifi), { mode: 0o600 });
}

/** Adds the keys root does not have yet; keys already there stay (a second setup file adds, never locks out). */
export async function applyAuthorizedKeys(root: string, keys: readonly string[]): Promise<number> {
  const dir = path.join(root, 'root/.ssh');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // sshd's StrictModes refuses keys in a folder that group or others may write.
  await chmod(dir, 0o700);
  const file = path.join(dir, 'authorized_keys');
  const existing = (await readOptional(file)).split('\n').filter((l) => l.trim() !== '');
  const blobs = new Set(existing.map((l) => l.trim().split(/\s+/)[1]));
  const added = keys.filter((k) => !blobs.has(k.split(/\s+/)[1]));
  await writeFileAtomically(file, `${[...existing, ...added].join('\n')}\n`, { mode: 0o600 });
  return added.length;
}
