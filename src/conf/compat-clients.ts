/**
 * The one-click compatibility for NAS clients that cannot be configured (ECOSYSTEM.md §2.9):
 * Synology DSM always asks for UPS "ups" as monuser/secret, QNAP QTS for "qnapups" as
 * admin/123456. Enabling one writes, in plain NUT files, what a person would write by hand: a
 * repeater section serving the real UPS under the fixed name (unless it already has it), the fixed
 * user as an upsmon secondary, and an ACL so that this well-known password works only from the
 * addresses given. Each addition sits between marker comments, so it can be removed again without
 * touching anything else. Nothing is written unless all three files still load.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { checkAclReferences } from './acl.js';
import { writeFileAtomically } from './atomic-write.js';
import { parseUpsConf } from './ups-conf.js';
import { parseUpsdConf } from './upsd-conf.js';
import { parseUpsdUsers } from './upsd-users.js';

export type CompatKind = 'synology' | 'qnap';

export const COMPAT_CLIENTS: Record<CompatKind, { title: string; ups: string; user: string; password: string }> = {
  synology: { title: 'Synology DSM', ups: 'ups', user: 'monuser', password: 'secret' },
  qnap: { title: 'QNAP QTS', ups: 'qnapups', user: 'admin', password: '123456' },
};

export class CompatError extends Error {}

const FILES = { ups: 'ups.conf', upsd: 'upsd.conf', users: 'upsd.users' } as const;
type FileKey = keyof typeof FILES;

const begin = (kind: CompatKind) => `# >>> upsgate compatibility: ${kind} (added by the web UI; remove it there)`;
const end = (kind: CompatKind) => `# <<< upsgate compatibility: ${kind}`;

function withoutBlock(text: string, kind: CompatKind): string {
  const start = text.indexOf(begin(kind));
  if (start < 0) return text;
  const stop = text.indexOf(end(kind), start);
  const after = stop < 0 ? text.length : stop + end(kind).length + 1;
  const rest = (text.slice(0, start) + text.slice(after)).replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '');
  return rest === '' ? '' : `${rest}\n`;
}

function withBlock(text: string, kind: CompatKind, lines: string[]): string {
  const base = withoutBlock(text, kind).replace(/\n*$/, '');
  return `${base}${base === '' ? '' : '\n\n'}${begin(kind)}\n${lines.join('\n')}\n${end(kind)}\n`;
}

async function readAll(dir: string): Promise<Record<FileKey, string>> {
  const out = {} as Record<FileKey, string>;
  for (const [key, name] of Object.entries(FILES) as [FileKey, string][]) {
    try {
      out[key] = await readFile(path.join(dir, name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      out[key] = '';
    }
  }
  return out;
}

/** Which compatibilities are on, and from which addresses. */
export async function compatStatus(dir: string): Promise<Record<CompatKind, { enabled: boolean; addresses: string[] }>> {
  const files = await readAll(dir);
  const status = {} as Record<CompatKind, { enabled: boolean; addresses: string[] }>;
  for (const kind of Object.keys(COMPAT_CLIENTS) as CompatKind[]) {
    const enabled = files.users.includes(begin(kind));
    const block = files.upsd.slice(Math.max(0, files.upsd.indexOf(begin(kind))), files.upsd.indexOf(end(kind)) + 1);
    const addresses = enabled ? [...block.matchAll(/^ACL \S+ (\S+)\/(?:32|128)$/gm)].map((m) => m[1]!) : [];
    status[kind] = { enabled, addresses };
  }
  return status;
}

/** The allowed addresses as typed (spaces or commas between them): single IPv4 or IPv6 addresses only. */
export function parseAddresses(text: string): string[] {
  const items = text.split(/[\s,;]+/).filter(Boolean);
  if (items.length === 0) throw new CompatError('Allowed addresses: give the NAS\'s IP address (for example 192.168.1.20); the well-known password must not work from everywhere');
  if (items.length > 16) throw new CompatError('Allowed addresses: at most 16 are accepted');
  for (const a of items) {
    if (isIP(a) === 0) throw new CompatError(`Allowed addresses: "${a}" is not an IP address; give each NAS's own address, such as 192.168.1.20 (no networks, no host names)`);
    if (a === '0.0.0.0' || a === '::') throw new CompatError(`Allowed addresses: "${a}" would mean everywhere; give the NAS's own address`);
  }
  return [...new Set(items)];
}

/**
 * Turns a compatibility on (or updates its addresses). `realUps` is the UPS to serve under the
 * fixed name; `localPort` where this gateway's own NUT server answers on loopback (the repeater
 * reads it there).
 */
export async function enableCompat(dir: string, kind: CompatKind, addresses: string[], realUps: string, localPort: number): Promise<string[]> {
  const c = COMPAT_CLIENTS[kind];
  const files = await readAll(dir);
  const ups = parseUpsConf(withoutBlock(files.ups, kind), path.join(dir, FILES.ups));
  const users = parseUpsdUsers(withoutBlock(files.users, kind), path.join(dir, FILES.users)).users;
  if (users.users.some((u) => u.name === c.user)) {
    throw new CompatError(`upsd.users already has a user [${c.user}]: ${c.title} needs that name with password "${c.password}"; rename or remove that user first`);
  }
  if (!ups.sections.some((s) => s.name.toLowerCase() === realUps.toLowerCase())) throw new CompatError(`no UPS named "${realUps}" in ups.conf`);
  const aclNames = addresses.map((_, i) => `compat-${kind}-${i + 1}`);
  const next = { ...files };
  if (realUps.toLowerCase() !== c.ups) {
    if (ups.sections.some((s) => s.name.toLowerCase() === c.ups)) {
      throw new CompatError(`ups.conf already has a section [${c.ups}] that is not "${realUps}": ${c.title} would see that one`);
    }
    next.ups = withBlock(files.ups, kind, [
      `[${c.ups}]`, '  driver = dummy-ups', `  port = ${realUps}@localhost:${localPort}`, `  desc = "${realUps} as ${c.title} expects it"`,
    ]);
  } else {
    next.ups = withoutBlock(files.ups, kind);
  }
  next.upsd = withBlock(files.upsd, kind, addresses.map((a, i) => `ACL ${aclNames[i]} ${a}/${isIP(a) === 6 ? 128 : 32}`));
  next.users = withBlock(files.users, kind, [
    `[${c.user}]`, `  password = ${c.password}`, '  upsmon secondary', `  allowfrom = ${aclNames.join(' ')}`,
  ]);
  return writeChecked(dir, files, next);
}

export async function disableCompat(dir: string, kind: CompatKind): Promise<string[]> {
  const files = await readAll(dir);
  const next = { ups: withoutBlock(files.ups, kind), upsd: withoutBlock(files.upsd, kind), users: withoutBlock(files.users, kind) };
  return writeChecked(dir, files, next);
}

async function writeChecked(dir: string, before: Record<FileKey, string>, next: Record<FileKey, string>): Promise<string[]> {
  // All three must load together before any is written.
  parseUpsConf(next.ups, path.join(dir, FILES.ups));
  const upsd = parseUpsdConf(next.upsd, path.join(dir, FILES.upsd)).conf;
  checkAclReferences(upsd, parseUpsdUsers(next.users, path.join(dir, FILES.users)).users);
  const written: string[] = [];
  for (const key of ['ups', 'upsd', 'users'] as FileKey[]) {
    if (next[key] === before[key]) continue;
    const file = path.join(dir, FILES[key]);
    if (before[key] !== '') await writeFileAtomically(`${file}.bak`, before[key], { mode: key === 'users' ? 0o600 : 0o640 });
    await writeFileAtomically(file, next[key], { mode: key === 'users' ? 0o600 : 0o640 });
    written.push(file);
  }
  return written;
}
