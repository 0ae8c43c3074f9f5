/**
 * Text limits of NUT's driver state (drivers/dstate.c, common/state.c), which decide what a
 * client finally sees when a value is long or carries quotes.
 */

/** `ST_MAX_VALUE_LEN` is 256 bytes with the terminating NUL: a stored value keeps 255 bytes. */
export const ST_MAX_VALUE_CHARS = 255;

/** What `dstate_setinfo` stores of a value: it formats into a 256-byte buffer. */
export function capValue(value: string): string {
  return value.length > ST_MAX_VALUE_CHARS ? value.slice(0, ST_MAX_VALUE_CHARS) : value;
}

const ESCAPED = new Set(['#', '\\', '"']);

/**
 * NUT's `pconf_encode` into a 256-byte buffer: a backslash before `#`, `\` and `"`, stopping
 * (without splitting an escape pair) when the buffer is full.
 *
 * `dstate_getinfo` returns this escaped form, not the raw value, so whatever a driver copies
 * from one variable to another through it (main.c's `device.mfr` ← `ups.mfr`) is escaped once
 * more: a model `a"b` becomes the device.model `a\"b`. NUT clients see exactly that.
 */
export function pconfEncode(value: string): string {
  const max = ST_MAX_VALUE_CHARS;
  let out = '';
  for (const c of value) {
    if (ESCAPED.has(c)) {
      if (out.length >= max - 1) return out;
      out += '\\';
    }
    if (out.length >= max) return out;
    out += c;
  }
  return out;
}
