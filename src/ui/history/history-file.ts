/**
 * The history file: plain JSON so a person can look into it, kept small because it is rewritten
 * on an SD card. Means are rounded to 0.1 (finer than any chart shows), the empty start of a
 * young ring is not written, and only fields a UPS ever reported appear:
 *
 *   {"format":"upsgate-history","version":1,"ups":{"myups":{"24h":{"charge":{"end":29455200,"n":17,
 *     "v":[100,100,null,99.5]}},"7d":{...}}}}
 *
 * `end` is the newest bucket number (wall ms / bucket width), `v` the means of the buckets ending
 * there, oldest first, null for a gap, and `n` how many samples the newest mean is made of.
 * One UPS with all six fields and full rings (1440 + 1008 buckets each) is about 80 KB (measured by the size test in test/unit/ui/history).
 */
import { HISTORY_FIELDS, HISTORY_RANGES, RANGE_SPECS, isHistoryField, isHistoryRange, type HistoryField, type HistoryRange } from './fields.js';

const FORMAT = 'upsgate-history';
const VERSION = 1;

export interface SavedRing {
  end: number;
  n: number;
  v: Array<number | null>;
}

export type SavedUps = Partial<Record<HistoryRange, Partial<Record<HistoryField, SavedRing>>>>;

export function encodeHistory(ups: ReadonlyMap<string, SavedUps>): string {
  const out: Record<string, Record<string, Record<string, SavedRing>>> = {};
  for (const [name, saved] of ups) {
    const ranges: Record<string, Record<string, SavedRing>> = {};
    for (const range of HISTORY_RANGES) {
      const fields: Record<string, SavedRing> = {};
      for (const field of HISTORY_FIELDS) {
        const ring = saved[range]?.[field];
        if (!ring) continue;
        const first = ring.v.findIndex((m) => m !== null);
        if (first < 0) continue;
        fields[field] = { end: ring.end, n: ring.n, v: ring.v.slice(first).map((m) => (m === null ? null : round1(m))) };
      }
      if (Object.keys(fields).length > 0) ranges[range] = fields;
    }
    out[name] = ranges;
  }
  // One line: indentation would put every one of ~15,000 numbers on its own line, doubling the size.
  return `${JSON.stringify({ format: FORMAT, version: VERSION, ups: out })}\n`;
}

export type DecodeResult = { ok: true; ups: Map<string, SavedUps> } | { ok: false; why: string };

/** Reads a history file, refusing anything that is not exactly what `encodeHistory` writes. */
export function decodeHistory(text: string): DecodeResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, why: `not JSON (${(e as Error).message})` };
  }
  if (!isObject(data) || data.format !== FORMAT) return { ok: false, why: `not an upsgate history file (no "format": "${FORMAT}")` };
  if (data.version !== VERSION) return { ok: false, why: `version ${JSON.stringify(data.version)} is not understood (this upsgate reads version ${VERSION})` };
  if (!isObject(data.ups)) return { ok: false, why: '"ups" must be an object of UPS names' };
  const ups = new Map<string, SavedUps>();
  for (const [name, ranges] of Object.entries(data.ups)) {
    if (!isObject(ranges)) return { ok: false, why: `ups "${name}": must be an object of ranges (24h, 7d)` };
    const saved: SavedUps = {};
    for (const [range, fields] of Object.entries(ranges)) {
      if (!isHistoryRange(range)) return { ok: false, why: `ups "${name}": unknown range "${range}" (expected ${HISTORY_RANGES.join(', ')})` };
      if (!isObject(fields)) return { ok: false, why: `ups "${name}" ${range}: must be an object of fields` };
      const out: Partial<Record<HistoryField, SavedRing>> = {};
      for (const [field, ring] of Object.entries(fields)) {
        if (!isHistoryField(field)) return { ok: false, why: `ups "${name}" ${range}: unknown field "${field}" (expected ${HISTORY_FIELDS.join(', ')})` };
        const why = checkRing(ring, RANGE_SPECS[range].capacity);
        if (why) return { ok: false, why: `ups "${name}" ${range} ${field}: ${why}` };
        out[field] = ring as SavedRing;
      }
      saved[range] = out;
    }
    ups.set(name, saved);
  }
  return { ok: true, ups };
}

function checkRing(ring: unknown, capacity: number): string | undefined {
  if (!isObject(ring)) return 'must be {"end", "n", "v"}';
  if (!Number.isSafeInteger(ring.end)) return '"end" must be an integer bucket number';
  if (!Number.isSafeInteger(ring.n) || (ring.n as number) < 0) return '"n" must be a count (0 or more)';
  if (!Array.isArray(ring.v) || ring.v.length > capacity) return `"v" must be an array of at most ${capacity} means`;
  if (!ring.v.every((m) => m === null || (typeof m === 'number' && Number.isFinite(m)))) return '"v" must hold only numbers and null';
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
