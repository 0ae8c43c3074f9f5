import { atoi } from './c-number.js';
import type { Variable } from './variable.js';

/** Why a value cannot be written to a variable, in NUT's error words. */
export type SetRefusal = 'READONLY' | 'SET-FAILED' | 'TOO-LONG' | 'INVALID-VALUE';

/**
 * upsd's checks before a SET reaches the driver, in upsd's order: writable at all; a STRING must
 * have a sane maximum length and fit in it; an ENUM value must match a member exactly; a RANGE
 * value, read as C `atoi` reads it, must fall in one of the ranges.
 */
export function checkSetValue(v: Readonly<Variable>, value: string): SetRefusal | undefined {
  if (!v.flags.rw) return 'READONLY';
  if (v.flags.string) {
    if (v.aux < 1) return 'SET-FAILED';
    if (value.length > v.aux) return 'TOO-LONG';
  }
  if (v.enums.length > 0 && !v.enums.includes(value)) return 'INVALID-VALUE';
  if (v.ranges.length > 0) {
    const n = atoi(value);
    if (!v.ranges.some((r) => n >= r.min && n <= r.max)) return 'INVALID-VALUE';
  }
  return undefined;
}
