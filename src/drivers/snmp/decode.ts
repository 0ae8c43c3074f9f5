// SNMP values to NUT's text, as snmp-ups does it (decode_str / nut_snmp_get_int / su_ups_get):
// TimeTicks are whole seconds, strings with unprintable bytes are shown in hex, numbers are
// whole when they are whole and have two decimals otherwise (C float precision).
import type { Lookup, SnmpValue } from './mib-types.js';

/** NUT's SU_INFOSIZE buffers keep 127 characters. */
const MAX_TEXT = 127;

function printable(buf: Buffer): boolean {
  // C isprint || isspace in the C locale.
  return buf.every((b) => (b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d));
}

/** net-snmp's snprint_hexstring: two upper-case hex digits and a space per byte. */
function hexString(buf: Buffer): string {
  return [...buf].map((b) => `${b.toString(16).toUpperCase().padStart(2, '0')} `).join('');
}

/** C strtol(s, NULL, 0): leading blanks, sign, 0x hex, 0 octal; stops at the first bad digit. */
export function strtol0(s: string): number {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2]!;
  const n = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : parseInt(digits, 10);
  return sign * n;
}

/** The last arc of an OID: NUT's fallback when the OID a value points at cannot be read. */
export function lastArc(oid: string): number {
  const arc = oid.slice(oid.lastIndexOf('.') + 1);
  return strtol0(arc);
}

/**
 * An integer from any value (nut_snmp_get_int). An OID value is reduced to its last arc here;
 * the walker first tries to read the OID it points at, as NUT does.
 */
export function asInteger(v: SnmpValue): number | undefined {
  switch (v.type) {
    case 'integer':
      return v.value;
    case 'timeticks':
      return Math.trunc(v.value / 100);
    case 'string':
      return strtol0(v.value.toString('latin1'));
    case 'oid':
      return lastArc(v.value);
    default:
      return undefined;
  }
}

/**
 * Text from any value (decode_str). With a lookup, integers not in the table give undefined: the
 * variable is not published. Strings are cut at NUT's buffer size.
 */
export function asText(v: SnmpValue, lookup?: Lookup): string | undefined {
  switch (v.type) {
    case 'string': {
      const text = printable(v.value) ? v.value.toString('latin1') : hexString(v.value);
      return text.slice(0, MAX_TEXT);
    }
    case 'integer':
      if (lookup) return lookup[v.value];
      return String(v.value);
    case 'timeticks':
      return String(Math.trunc(v.value / 100));
    case 'oid':
      return String(lastArc(v.value));
    default:
      return undefined;
  }
}

/**
 * A scaled number as snmp-ups prints it: whole values without decimals (`%i`), others with two
 * (`%.2f` of a C float, so 120.9 is "120.90").
 */
export function formatNumber(value: number): string {
  if (Math.abs(value - Math.trunc(value)) < 1e-6) return String(Math.trunc(value));
  return Math.fround(value).toFixed(2);
}

/** NUT's ambient.temperature: always one decimal. */
export function formatOneDecimal(value: number): string {
  return Math.fround(value).toFixed(1);
}

/** The integer a lookup table gives a text (su_find_valinfo), for writes. */
export function lookupValue(lookup: Lookup, text: string): number | undefined {
  for (const [k, v] of Object.entries(lookup)) if (v === text && v !== '') return Number(k);
  return undefined;
}
