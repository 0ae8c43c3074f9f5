import { pconfEncode } from '../conf/parseconf.js';

/**
 * Reply formatting exactly as upsd 2.8.0 writes it: every line built in a 512-byte buffer (a
 * longer line is cut there, newline included, as upsd's sendback cuts it), values escaped with
 * NUT's pconf_encode into a 256-byte buffer, and only the bytes NUT's parser could have carried.
 */

/** upsd's reply buffer: NUT_NET_ANSWER_MAX = 512 bytes, newline included. */
const MAX_LINE = 512;
/** ST_MAX_VALUE_LEN: stored values are escaped into 256 bytes (255 usable). */
const MAX_VALUE = 255;
/** UPS descriptions are escaped into a 512-byte buffer. */
const MAX_DESC = 511;

/** Printable ASCII with nothing to escape. */
const PLAIN = /^[\x20-\x21\x24-\x5b\x5d-\x7f]*$/;
/** What NUT's parser does not store. */
const UNCARRIED = /[^\x20-\x7f]/g;

/** NUT error codes upsd sends (`ERR <CODE>`). */
export type NutError =
  | 'ACCESS-DENIED'
  | 'UNKNOWN-UPS'
  | 'VAR-NOT-SUPPORTED'
  | 'CMD-NOT-SUPPORTED'
  | 'INVALID-ARGUMENT'
  | 'INSTCMD-FAILED'
  | 'SET-FAILED'
  | 'READONLY'
  | 'TOO-LONG'
  | 'INVALID-VALUE'
  | 'FEATURE-NOT-SUPPORTED'
  | 'FEATURE-NOT-CONFIGURED'
  | 'ALREADY-SSL-MODE'
  | 'DRIVER-NOT-CONNECTED'
  | 'DATA-STALE'
  | 'ALREADY-LOGGED-IN'
  | 'ALREADY-SET-PASSWORD'
  | 'ALREADY-SET-USERNAME'
  | 'USERNAME-REQUIRED'
  | 'PASSWORD-REQUIRED'
  | 'UNKNOWN-COMMAND';

/** One reply line, newline added, cut at upsd's buffer size. */
export function line(text: string): string {
  const full = `${text}\n`;
  return full.length <= MAX_LINE ? full : full.slice(0, MAX_LINE);
}

export function err(code: NutError): string {
  return line(`ERR ${code}`);
}

/**
 * NUT's pconf_encode into a buffer of `max + 1` bytes. Bytes NUT's parser drops (outside
 * 0x20..0x7F) never reach upsd, so they are dropped here first.
 */
export function encode(value: string, max: number): string {
  // Nearly every value is plain printable text that fits: it is its own encoding.
  if (value.length <= max && PLAIN.test(value)) return value;
  return pconfEncode(value.replace(UNCARRIED, ''), max);
}

/** A variable or enum value as upsd serves it, quoted. */
export function quotedValue(value: string): string {
  return `"${encode(value, MAX_VALUE)}"`;
}

/** A UPS description as upsd serves it, quoted. */
export function quotedDescription(desc: string): string {
  return `"${encode(desc, MAX_DESC)}"`;
}
