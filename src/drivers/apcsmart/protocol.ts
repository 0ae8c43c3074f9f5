import { strtol } from '../../core/c-number.js';
import { STAT_LB, STAT_OB, STAT_OL, STAT_OVER, STAT_RB, STATUS_BITS, type ApcVar } from './tables.js';

/**
 * The pure pieces of the APC Smart protocol as NUT 2.8.0 reads it: value conversion, the
 * status byte, the unsolicited alert characters, the capability (`^Z`) string.
 */

const REASONS: Record<string, string> = {
  R: 'unacceptable utility voltage rate of change',
  H: 'high utility voltage',
  L: 'low utility voltage',
  T: 'line voltage notch or spike',
  O: 'no transfers yet since turnon',
  S: 'simulated power failure or UPS test',
};

/** A raw reply as NUT publishes it: verbatim, except times (to seconds) and transfer reasons. */
export function convertValue(format: ApcVar['format'], raw: string): string {
  switch (format) {
    case 'hours':
      return String(3600n * strtol(raw));
    case 'minutes':
      return String(60n * strtol(raw));
    case 'reason':
      return REASONS[raw.charAt(0)] ?? raw;
    default:
      return raw;
  }
}

/** ups.status words for a status byte; a byte of 0 is `OFF` (the UPS is not supplying power). */
export function statusWords(status: number): string[] {
  const words = STATUS_BITS.filter(([bit]) => (status & bit) !== 0).map(([, word]) => word);
  return status === 0 ? ['OFF'] : words;
}

/** The `Q` reply (hex, NUT reads it with strtol base 16 and keeps the low byte). */
export function parseStatusByte(reply: string): number {
  const m = /^\s*[+-]?(?:0[xX])?([0-9a-fA-F]*)/.exec(reply);
  const digits = m?.[1] ?? '';
  if (digits === '') return 0;
  const n = parseInt(digits.slice(-8), 16);
  return (reply.trimStart().startsWith('-') ? -n : n) & 0xff;
}

/** Characters a UPS sends on its own that change the status (ALERT_CHARS). */
export const ALERT_CHARS = '$!%+#?=';
/** Alert-like characters with no status meaning: EEPROM changed, check alarm register (and CR). */
export const IGNORED_CHARS = '\r|&';

/** The status byte after an alert, as NUT's alert_handler changes it. */
export function applyAlert(status: number, alert: string): number {
  switch (alert) {
    case '!': return (status & ~STAT_OL) | STAT_OB;
    case '$': return (status & ~STAT_OB) | STAT_OL;
    case '%': return status | STAT_LB;
    case '+': return status & ~STAT_LB;
    case '#': return status | STAT_RB;
    case '?': return status | STAT_OVER;
    case '=': return status & ~STAT_OVER;
    default: return status;
  }
}

/** One enumerable variable from the `^Z` capability string. */
export interface Capability {
  cmd: string;
  locale: string;
  values: string[];
}

/**
 * Splits a capability string: `#` then entries of command char, locale char, count and width
 * (each as '0' + n), then count values of width characters; Matrix-UPSes (`##`) repeat `##`
 * before each entry. Throws when the string runs out mid-entry, as NUT gives up then too.
 */
export function parseCapabilities(reply: string): Capability[] {
  if (!reply.startsWith('#')) throw new Error(`capability string does not start with '#': ${JSON.stringify(reply)}`);
  const matrix = reply.charAt(1) === '#';
  let i = matrix ? 0 : 1;
  const out: Capability[] = [];
  while (i < reply.length) {
    if (matrix) i += 2;
    if (i + 4 > reply.length) throw new Error('capability string overflowed');
    const count = reply.charCodeAt(i + 2) - 48;
    const width = reply.charCodeAt(i + 3) - 48;
    if (count < 0 || width < 0) throw new Error('capability count or width out of range');
    const cap: Capability = { cmd: reply.charAt(i), locale: reply.charAt(i + 1), values: [] };
    let p = i + 4;
    for (let k = 0; k < count; k++, p += width) cap.values.push(reply.slice(p, p + width));
    out.push(cap);
    i = p;
  }
  return out;
}

/** A printable name for a command character in logs: `Q`, `0x01`. */
export function charName(ch: string): string {
  const code = ch.charCodeAt(0);
  return code >= 0x20 && code < 0x7f ? ch : `0x${code.toString(16).padStart(2, '0')}`;
}
