/**
 * C's number readers as NUT uses them on text values (drivers, and upsd's RANGE check): `strtol(s, NULL, 10)` and
 * `atoi(s)`. Their leniency is part of the observable behaviour ("12abc" is 12, "abc" is 0,
 * " 7" is 7), so values are never parsed with Number().
 */

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

function isCSpace(c: string): boolean {
  return c === ' ' || (c >= '\t' && c <= '\r');
}

/** `strtol(s, NULL, 10)` on a 64-bit `long`: leading blanks, a sign, digits; clamps on overflow. */
export function strtol(s: string): bigint {
  let i = 0;
  while (i < s.length && isCSpace(s[i]!)) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
  if (i === start) return 0n;
  const magnitude = BigInt(s.slice(start, i));
  const value = negative ? -magnitude : magnitude;
  if (value > LONG_MAX) return LONG_MAX;
  if (value < LONG_MIN) return LONG_MIN;
  return value;
}

/** glibc's `atoi`: `(int) strtol(s, NULL, 10)`, so out-of-range values wrap to 32 bits. */
export function atoi(s: string): number {
  return Number(BigInt.asIntN(32, strtol(s)));
}
