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

/** C `atoi`: optional leading whitespace and sign, then digits; anything else reads as 0. */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) return 0;
  // glibc's atoi is (int)strtol(): saturate to 64 bits, then keep the low 32 bits.
  const LONG_MAX = (1n << 63n) - 1n;
  const LONG_MIN = -(1n << 63n);
  let n = BigInt(m[1]!);
  if (n > LONG_MAX) n = LONG_MAX;
  if (n < LONG_MIN) n = LONG_MIN;
  return Number(BigInt.asIntN(32, n));
}
