/**
 * upsgate-setup.json: what a user writes on the card's boot partition, on a PC, before the first
 * boot (see the template beside this file). Every field is optional; every problem is reported
 * with the field's name and what is accepted, and nothing is applied until all of it is good.
 */
import { adminPasswordProblem } from '../ui/security/password-hash.js';
import { getNodeValue } from 'jsonc-parser';
import { ConfError } from '../conf/errors.js';
import { parseJsoncTree, Reader } from '../conf/settings-reader.js';

export const SETUP_FILE = 'upsgate-setup.json';

export interface WifiSetup {
  /** ISO 3166 alpha-2, upper case: the regulatory domain (which channels and power are legal). */
  country: string;
  ssid: string;
  /** A WPA passphrase (8–63 characters) or the 64-hex-digit key itself; absent = an open network. */
  psk?: string;
  hidden: boolean;
}

export interface SetupRequest {
  hostname?: string;
  timezone?: string;
  wifi?: WifiSetup;
  authorizedKeys?: string[];
  webPassword?: string;
}

/** One problem in the setup file: `file: field: what is wrong; what is accepted`. */
export class SetupError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'SetupError';
  }
}

const TOP_KEYS = ['hostname', 'timezone', 'wifi', 'ssh', 'webPassword'] as const;
const WIFI_KEYS = ['country', 'ssid', 'psk', 'hidden'] as const;
const SSH_KEYS = ['authorizedKeys'] as const;
/** Key types OpenSSH's sshd accepts in authorized_keys (DSA is refused since OpenSSH 7.0). */
const SSH_KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com'];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(file: string, where: string | undefined, value: Json, accepted: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!accepted.includes(key)) {
      const field = where ? `${where}.${key}` : key;
      throw new SetupError(file, field, `unknown field; accepted${where ? ` in ${where}` : ''}: ${accepted.join(', ')}`);
    }
  }
}

function optionalString(file: string, field: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SetupError(file, field, `must be a string in quotes, not ${JSON.stringify(v)}`);
  return v;
}

/** One DNS label (RFC 1123), because the box answers as NAME.local. Upper case is folded. */
export function checkHostname(file: string, v: string): string {
  const name = v.trim().toLowerCase();
  if (name.includes('.')) {
    throw new SetupError(file, 'hostname', `"${v}" has a dot: give one name without dots (the box answers as NAME.local)`);
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new SetupError(file, 'hostname', `"${v}" is not a host name: 1 to 63 letters a-z, digits and "-", not starting or ending with "-"`);
  }
  return name;
}

/** The shape of an IANA zone name; whether the zone exists is checked against the root's zoneinfo. */
export function checkTimezoneName(file: string, v: string): string {
  const zone = v.trim();
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) || zone.split('/').some((part) => part === '..' || part === '.')) {
    throw new SetupError(file, 'timezone', `"${v}" is not a time zone name: write one like "Europe/Berlin", "America/New_York" or "UTC"`);
  }
  return zone;
}

function checkWifi(file: string, v: unknown): WifiSetup {
  if (!isObject(v)) throw new SetupError(file, 'wifi', 'must be an object: { "country": "DE", "ssid": "…", "psk": "…" }');
  checkKeys(file, 'wifi', v, WIFI_KEYS);
  const country = optionalString(file, 'wifi.country', v.country)?.trim().toUpperCase();
  if (country === undefined || !/^[A-Z]{2}$/.test(country)) {
    throw new SetupError(file, 'wifi.country', 'is required: the two-letter country code where the box is (e.g. "DE", "US", "GB"), ' +
      'which sets the channels and transmit power the law allows');
  }
  const ssid = optionalString(file, 'wifi.ssid', v.ssid);
  const ssidBytes = Buffer.byteLength(ssid ?? '', 'utf8');
  if (ssid === undefined || ssidBytes === 0 || ssidBytes > 32) {
    throw new SetupError(file, 'wifi.ssid', 'is required: the network\'s name, 1 to 32 bytes');
  }
  const psk = optionalString(file, 'wifi.psk', v.psk);
  if (psk !== undefined && !/^[0-9a-fA-F]{64}$/.test(psk) && !/^[\x20-\x7e]{8,63}$/.test(psk)) {
    throw new SetupError(file, 'wifi.psk', 'is not a WPA passphrase: 8 to 63 printable ASCII characters (or the 64 hex digits of the key); ' +
      'leave it out for an open network');
  }
  if (v.hidden !== undefined && typeof v.hidden !== 'boolean') {
    throw new SetupError(file, 'wifi.hidden', 'must be true or false (true when the network does not broadcast its name)');
  }
  const wifi: WifiSetup = { country, ssid, hidden: v.hidden === true };
  if (psk !== undefined) wifi.psk = psk;
  return wifi;
}

/** An authorized_keys line: a key type sshd accepts, its base64 blob (which names the same type), a comment. */
export function checkAuthorizedKey(file: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw new SetupError(file, field, 'must be a public key line in quotes, as in your id_ed25519.pub');
  const line = v.trim();
  const [type, blob] = line.split(/\s+/);
  const wrong = (why: string) =>
    new SetupError(file, field, `${why}: paste the whole line of a .pub file ("ssh-ed25519 AAAA… you@pc"); accepted types: ${SSH_KEY_TYPES.join(', ')}`);
  if (/[\r\n]/.test(line)) throw wrong('holds a line break (one key per string)');
  if (line.includes('PRIVATE KEY')) throw wrong('this is a private key, which must never leave your PC');
  if (!type || !SSH_KEY_TYPES.includes(type)) throw wrong(`"${type ?? ''}" is not a key type sshd accepts`);
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) throw wrong('the key itself (the base64 after the type) is missing or damaged');
  const raw = Buffer.from(blob, 'base64');
  const named = raw.length >= 4 ? raw.subarray(4, 4 + raw.readUInt32BE(0)).toString('latin1') : '';
  if (named !== type) throw wrong('the key itself (the base64 after the type) is damaged or of another type');
  return line;
}

function checkSsh(file: string, v: unknown): string[] {
  if (!isObject(v)) throw new SetupError(file, 'ssh', 'must be an object: { "authorizedKeys": ["ssh-ed25519 AAAA… you@pc"] }');
  checkKeys(file, 'ssh', v, SSH_KEYS);
  const keys = v.authorizedKeys ?? [];
  if (!Array.isArray(keys)) throw new SetupError(file, 'ssh.authorizedKeys', 'must be a list: ["ssh-ed25519 AAAA… you@pc"]');
  return keys.map((k, i) => checkAuthorizedKey(file, `ssh.authorizedKeys[${i}]`, k));
}

/** Parses and checks the setup file's text; throws SetupError naming the field. */
export function parseSetupFile(text: string, file: string): SetupRequest {
  // Notepad writes a BOM; the same JSON-with-comments reader as upsgate.json's.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    const root = parseJsoncTree(source, new Reader(source, file), '{ "hostname": "upsgate" }');
    data = root && getNodeValue(root);
  } catch (e) {
    if (e instanceof ConfError) throw new SetupError(file, undefined, `line ${e.line}, column ${e.column}: ${e.problem}`);
    throw e;
  }
  if (!isObject(data)) {
    throw new SetupError(file, undefined, 'must be one object in braces: { "hostname": "upsgate", … } (see upsgate-setup.example.jsonc)');
  }
  checkKeys(file, undefined, data, TOP_KEYS);
  const request: SetupRequest = {};
  const hostname = optionalString(file, 'hostname', data.hostname);
  if (hostname !== undefined) request.hostname = checkHostname(file, hostname);
  const timezone = optionalString(file, 'timezone', data.timezone);
  if (timezone !== undefined) request.timezone = checkTimezoneName(file, timezone);
  if (data.wifi !== undefined && data.wifi !== null) request.wifi = checkWifi(file, data.wifi);
  if (data.ssh !== undefined && data.ssh !== null) {
    const keys = checkSsh(file, data.ssh);
    if (keys.length > 0) request.authorizedKeys = keys;
  }
  const webPassword = optionalString(file, 'webPassword', data.webPassword);
  if (webPassword !== undefined) {
    const problem = adminPasswordProblem(webPassword, webPassword);
    if (problem) throw new SetupError(file, 'webPassword', problem);
    request.webPassword = webPassword;
  }
  return request;
}
