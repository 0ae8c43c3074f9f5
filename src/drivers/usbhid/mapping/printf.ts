/**
 * The few printf conversions the mapping tables use (`%.0f`, `%.1f`, `%.2f`, `%s`, `%d`,
 * `%04x`, `%08lx`), producing what glibc prints: NUT publishes its values through snprintf, and
 * clients compare strings.
 */
export function cFormat(format: string, value: number | string): string {
  return format.replace(/%(0?)(\d*)(?:\.(\d+))?(l?)([fsdx%])/g, (_all, zero: string, width: string, precision: string | undefined, _l: string, conv: string) => {
    if (conv === '%') return '%';
    let text: string;
    if (conv === 's') text = String(value);
    else if (conv === 'f') text = fixed(Number(value), precision === undefined ? 6 : Number(precision));
    else if (conv === 'd') text = String(Math.trunc(Number(value)));
    else text = hex(Math.trunc(Number(value)));
    const w = width === '' ? 0 : Number(width);
    if (text.length >= w) return text;
    if (zero === '0' && conv !== 's') {
      const sign = text.startsWith('-') ? '-' : '';
      return sign + text.slice(sign.length).padStart(w - sign.length, '0');
    }
    return text.padStart(w, ' ');
  });
}

/**
 * `%.Nf`: JavaScript's toFixed rounds an exact binary tie away from zero, glibc to even
 * (printf("%.0f", 2.5) is "2"); everything else already agrees, both working on the exact value.
 */
export function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const text = value.toFixed(digits);
  const scale = 10 ** digits;
  const scaled = Math.abs(value) * scale;
  const isTie = scaled / scale === Math.abs(value) && Number.isInteger(scaled * 2) && !Number.isInteger(scaled);
  if (!isTie) return text;
  const down = Math.floor(scaled);
  const even = down % 2 === 0 ? down : down + 1;
  const magnitude = (even / scale).toFixed(digits);
  return value < 0 ? `-${magnitude}` : magnitude;
}

/** C's `%lx` of a long: negative values print as 64-bit two's complement. */
function hex(value: number): string {
  return value < 0 ? (BigInt.asUintN(64, BigInt(value))).toString(16) : value.toString(16);
}
