/**
 * The Megatec/Q1 replies as NUT 2.8.0's megatec subdriver (nutdrv_qx) and blazer read them. No I/O.
 *
 * Q1:  `(MMM.M NNN.N PPP.P QQQ RR.R S.SS TT.T b7..b0`  (46 characters before the CR)
 * F:   `#MMM.M QQQ SS.SS RR.R`
 * I:   `#` company(15) ' ' model(10) ' ' firmware(10)
 *
 * Fields are cut at NUT's fixed positions and read as C's strtod reads them; a field that is not
 * a number ('@' fill of units lacking it, '---.-') is left out, as NUT leaves it out.
 */

/** C's printf("%.Nf"): rounds exact binary ties to even, where toFixed rounds them up. */
export function cFixed(x: number, decimals: number): string {
  const scale = 10 ** decimals;
  const scaled = x * scale;
  const floor = Math.floor(scaled);
  // A true tie only when x is exactly (floor + 0.5) / scale in binary (0.5, 2.5, 0.25 …).
  if (scaled - floor === 0.5 && (floor + 0.5) / scale === x) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / scale).toFixed(decimals);
  }
  return x.toFixed(decimals);
}

/** C's strtod on a field: the leading number, or undefined when there is none. */
export function strtod(text: string): number | undefined {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
  return m ? Number(m[0]) : undefined;
}

/** blazer checks a field with strspn(value, "0123456789.") before reading it. */
function plainNumber(field: string): number | undefined {
  return field.length > 0 && /^[0-9.]+$/.test(field) ? strtod(field) : undefined;
}

export interface Q1Status {
  inputVoltage?: number;
  inputFaultVoltage?: number;
  outputVoltage?: number;
  load?: number;
  inputFrequency?: number;
  /** As the UPS sent it (per cell on most on-line units). */
  batteryVoltage?: number;
  temperature?: number;
  /** The 8 status characters b7..b0, each '0' or '1'. */
  bits: string;
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Splits a Q1 reply (without its CR). Throws ProtocolError when it is not one. */
export function parseQ1(reply: string): Q1Status {
  if (reply.length < 46) throw new ProtocolError(`short Q1 reply (${reply.length} of 46 characters)`);
  if (reply[0] !== '(') throw new ProtocolError(`Q1 reply does not start with '(': ${JSON.stringify(reply.slice(0, 8))}`);
  const fields = reply.slice(1).split(' ').filter((f) => f !== '');
  if (fields.length < 8) throw new ProtocolError(`Q1 reply has ${fields.length} of 8 fields`);
  const bits = fields[7]!;
  if (!/^[01]{8}$/.test(bits)) throw new ProtocolError(`invalid Q1 status bits ${JSON.stringify(bits)}`);
  const n = (i: number) => plainNumber(fields[i]!);
  return {
    inputVoltage: n(0),
    inputFaultVoltage: n(1),
    outputVoltage: n(2),
    load: n(3),
    inputFrequency: n(4),
    batteryVoltage: n(5),
    temperature: n(6),
    bits,
  };
}

export interface Ratings {
  inputVoltage?: number;
  inputCurrent?: number;
  batteryVoltage?: number;
  inputFrequency?: number;
}

export function parseF(reply: string): Ratings {
  if (reply.length < 21) throw new ProtocolError(`short F reply (${reply.length} of 21 characters)`);
  if (reply[0] !== '#') throw new ProtocolError(`F reply does not start with '#'`);
  const fields = reply.slice(1).split(' ').filter((f) => f !== '');
  const n = (i: number) => (fields[i] === undefined ? undefined : plainNumber(fields[i]!));
  return { inputVoltage: n(0), inputCurrent: n(1), batteryVoltage: n(2), inputFrequency: n(3) };
}

export interface UpsInfo {
  mfr: string;
  model: string;
  firmware: string;
}

/** I reply: fixed columns, trimmed (QX_FLAG_TRIM); an empty field is left out by the caller. */
export function parseI(reply: string): UpsInfo {
  if (reply.length < 38) throw new ProtocolError(`short I reply (${reply.length} of 38 characters)`);
  if (reply[0] !== '#') throw new ProtocolError(`I reply does not start with '#'`);
  return { mfr: reply.slice(1, 16).trim(), model: reply.slice(17, 27).trim(), firmware: reply.slice(28, 38).trim() };
}

export interface StatusView {
  /** ups.status elements in NUT's order. */
  status: string[];
  /** ups.alarm text, or undefined for none. */
  alarm?: string;
  type: 'offline / line interactive' | 'online';
  beeper: 'enabled' | 'disabled';
}

/**
 * Status bits → NUT's words. b5 (bypass/boost/buck) means TRIM, BYPASS or BOOST depending on
 * output/input voltage (below 0.95, below 1.05, below 1.5); outside 0.5–1.5 nothing. b1
 * (shutdown active) gives FSD and the "Shutdown imminent!" alarm; b4 "UPS selftest failed!".
 */
export function statusOf(q: Q1Status): StatusView {
  const b = (i: number) => q.bits[i] === '1';
  const status = [b(0) ? 'OB' : 'OL'];
  if (b(1)) status.push('LB');
  if (b(2) && q.inputVoltage !== undefined && q.outputVoltage !== undefined) {
    const vi = q.inputVoltage;
    const vo = q.outputVoltage;
    if (vo < 0.5 * vi) {
      // "output voltage too low": no word
    } else if (vo < 0.95 * vi) status.push('TRIM');
    else if (vo < 1.05 * vi) status.push('BYPASS');
    else if (vo < 1.5 * vi) status.push('BOOST');
  }
  if (b(5)) status.push('CAL');
  const alarms: string[] = [];
  if (b(3)) alarms.push('UPS selftest failed!');
  if (b(6)) {
    alarms.push('Shutdown imminent!');
    status.push('FSD');
  }
  return {
    status,
    alarm: alarms.length > 0 ? alarms.join(' ') : undefined,
    type: b(4) ? 'offline / line interactive' : 'online',
    beeper: b(7) ? 'enabled' : 'disabled',
  };
}

/** The pack multipliers NUT tries, highest first. */
const PACKS = [120, 100, 80, 60, 48, 36, 30, 24, 18, 12, 8, 6, 4, 3, 2, 1, 0.5];

/**
 * How many cells/packs the reported battery voltage stands for, against the nominal voltage:
 * the highest multiplier that puts it within 0.8–1.2 × nominal; undefined when none does.
 */
export function packsFor(nominal: number, reported: number): number | undefined {
  for (const p of PACKS) {
    if (p * reported > 1.2 * nominal) continue;
    if (p * reported < 0.8 * nominal) return undefined;
    return p;
  }
  return undefined;
}
