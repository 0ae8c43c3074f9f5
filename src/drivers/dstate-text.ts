import { pconfEncode } from '../conf/parseconf.js';

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

/**
 * What `dstate_getinfo` returns: NUT's `pconf_encode` of the value into 256 bytes, not the raw
 * value. So whatever a driver copies from one variable to another through it (main.c's
 * `device.mfr` ← `ups.mfr`) is escaped once more: a model `a"b` becomes the device.model `a\"b`.
 * NUT clients see exactly that.
 */
export function dstateGetinfo(value: string): string {
  return pconfEncode(value, ST_MAX_VALUE_CHARS);
}
