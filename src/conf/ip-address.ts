/**
 * IP addresses as bytes, for the old upsd ACLs: parse the forms NUT's `inet_pton` took, compare
 * under a prefix, and print one canonical text so equal networks read the same.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** 4 bytes (IPv4) or 16 bytes (IPv6), network order. */
export type IpBytes = Uint8Array;

export function parseIPv4(text: string): IpBytes | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.').map(Number));
}

/** Plain IPv6 text only: no brackets, no zone (`%eth0`); an embedded dotted IPv4 tail is fine. */
export function parseIPv6(text: string): IpBytes | undefined {
  if (text.includes('%') || !isIPv6(text)) return undefined;
  let hex = text;
  const lastColon = hex.lastIndexOf(':');
  const tail = hex.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (!v4) return undefined;
    const hi = ((v4[0] ?? 0) << 8) | (v4[1] ?? 0);
    const lo = ((v4[2] ?? 0) << 8) | (v4[3] ?? 0);
    hex = `${hex.slice(0, lastColon + 1)}${hi.toString(16)}:${lo.toString(16)}`;
  }
  const [head = '', rest] = hex.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  });
  return bytes;
}

/** A client address as Node reports it (`127.0.0.1`, `::1`, `::ffff:10.0.0.5`, `fe80::1%eth0`). */
export function parseClientAddress(text: string): IpBytes | undefined {
  const withoutZone = text.split('%')[0] ?? '';
  return parseIPv4(withoutZone) ?? parseIPv6(withoutZone);
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The IPv4 address inside `::ffff:a.b.c.d`, if that is what this is. */
export function unmapIPv4(bytes: IpBytes): IpBytes | undefined {
  if (bytes.length !== 16) return undefined;
  for (let i = 0; i < V4_MAPPED_PREFIX.length; i++) if (bytes[i] !== V4_MAPPED_PREFIX[i]) return undefined;
  return bytes.slice(12);
}

export function mapIPv4(bytes: IpBytes): IpBytes {
  return Uint8Array.from([...V4_MAPPED_PREFIX, ...bytes]);
}

/** Clears every bit after the first `prefix` bits. */
export function applyPrefix(bytes: IpBytes, prefix: number): IpBytes {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = (out[i] ?? 0) & ((0xff << (8 - bitsHere)) & 0xff);
  }
  return out;
}

export function samePrefix(a: IpBytes, b: IpBytes, prefix: number): boolean {
  if (a.length !== b.length) return false;
  const ma = applyPrefix(a, prefix);
  const mb = applyPrefix(b, prefix);
  return ma.every((v, i) => v === mb[i]);
}

/** The prefix length of a contiguous dotted mask (`255.255.255.0` → 24), else undefined. */
export function maskToPrefix(mask: IpBytes): number | undefined {
  let prefix = 0;
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (byte >> bit) & 1;
      if (set && seenZero) return undefined;
      if (set) prefix++;
      else seenZero = true;
    }
  }
  return prefix;
}

/** Dotted IPv4; IPv6 in RFC 5952 form (lower case, longest zero run as `::`, `::ffff:a.b.c.d`). */
export function formatAddress(bytes: IpBytes): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const mapped = unmapIPv4(bytes);
  if (mapped) return `::ffff:${formatAddress(mapped)}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
