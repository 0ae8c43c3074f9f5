import type { HidField } from '../hid-types.js';
import { conversion } from './conversions.js';
import type { MappingRow } from './types.js';

export interface FieldWrite {
  field: HidField;
  value: number;
  /** Wait this long before the next write (some Tripp Lite firmware drops SETs that come too fast). */
  pauseAfterMs?: number;
}

export type WriteResult = FieldWrite[] | 'unknown' | 'invalid-argument';

/** What the write rules need from the mapper. */
export interface WriteTarget {
  /** The row in use for this name (first whose path exists), of the wanted kind. */
  activeRow(name: string, kind: 'command' | 'variable'): { row: MappingRow; field: HidField } | undefined;
  getInfo(name: string): string | undefined;
  setInfo(name: string, value: string): void;
  /** The device counts delays in minutes (CyberPower). */
  delaysInMinutes: boolean;
}

/** NUT's pause between the two writes of shutdown.return / shutdown.stayoff. */
export const COMPOSITE_PAUSE_MS = 125;

/** C atol: leading blanks, a sign, digits; anything after is ignored. Undefined when there are no digits. */
export function atol(text: string): number | undefined {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

const DELAY_FIELD = /(?:^|\.)(?:TL|APC)?DelayBefore(?:Shutdown|Startup|Reboot)$/i;

/**
 * The writes an instant command means, with usbhid-ups's renames and fallbacks. A text the
 * device cannot take (no digits, not in the lookup) is refused instead of being written as 0 or
 * -1 as NUT would (0 in a delay means "now").
 */
export function commandWrites(t: WriteTarget, command: string, parameter: string | undefined): WriteResult {
  const lower = command.toLowerCase();
  if (lower === 'beeper.off') return commandWrites(t, 'beeper.disable', undefined);
  if (lower === 'beeper.on') return commandWrites(t, 'beeper.enable', undefined);
  const active = t.activeRow(command, 'command');
  if (!active) return fallback(t, lower);
  const { row, field } = active;
  if (row.flags?.paramRequired && parameter === undefined) return 'invalid-argument';
  const text = parameter ?? row.default ?? '';
  let value = row.convert ? conversion(row.convert).fromNut?.(text) : atol(text);
  if (value === undefined) return 'invalid-argument';
  if (t.delaysInMinutes && DELAY_FIELD.test(field.path) && value > 0 && value % 60 !== 0) {
    // The UPS truncates to whole minutes: 20 s would become 0 = at once. Round up instead.
    value = Math.ceil(value / 60) * 60;
  }
  return [{ field, value }];
}

function fallback(t: WriteTarget, command: string): WriteResult {
  if (command === 'load.on') return commandWrites(t, 'load.on.delay', '0');
  if (command === 'load.off') return commandWrites(t, 'load.off.delay', '0');
  if (command !== 'shutdown.return' && command !== 'shutdown.stayoff') return 'unknown';
  const stayOff = command === 'shutdown.stayoff';
  const writes: FieldWrite[] = [];
  if (t.getInfo('ups.start.auto') !== undefined) {
    const auto = setWrites(t, 'ups.start.auto', stayOff ? 'no' : 'yes');
    if (Array.isArray(auto)) writes.push(...auto); // as NUT, a refusal here does not stop the shutdown
  }
  // The start delay first: the UPS must know when to come back before it is told to go off.
  const on = commandWrites(t, 'load.on.delay', stayOff ? '-1' : t.getInfo('ups.delay.start'));
  if (!Array.isArray(on)) return on;
  const off = commandWrites(t, 'load.off.delay', t.getInfo('ups.delay.shutdown'));
  if (!Array.isArray(off)) return off;
  const last = on[on.length - 1];
  if (last) last.pauseAfterMs = COMPOSITE_PAUSE_MS;
  return [...writes, ...on, ...off];
}

/**
 * The writes a SET VAR means. Driver-side (ABSENT) variables are set here and need no write;
 * numbers must fit the field's range and lookups must know the text.
 */
export function setWrites(t: WriteTarget, name: string, value: string): WriteResult {
  const active = t.activeRow(name, 'variable');
  if (!active || !active.row.flags?.rw) return 'unknown';
  const { row, field } = active;
  const max = row.flags?.string;
  if (max !== undefined && max > 0 && value.length > max) return 'invalid-argument';
  if (row.flags?.absent) {
    // The delays are later written as numbers: a text would become 0, i.e. "at once".
    if (/^-?\d+$/.test(row.default ?? '') && !/^\s*-?\d+\s*$/.test(value)) return 'invalid-argument';
    t.setInfo(row.name, value.trim());
    return [];
  }
  let number: number | undefined;
  if (row.convert) {
    number = conversion(row.convert).fromNut?.(value);
  } else {
    number = atol(value);
    if (number !== undefined && !withinRange(field, number)) return 'invalid-argument';
  }
  if (number === undefined) return 'invalid-argument';
  return [{ field, value: number }];
}

/** HID unit codes whose SI exponent base is 7 (NUT: Volt, and VA/W). */
const BASE7_UNITS = new Set([0x00f0d121, 0x0000d121]);

/** The physical range the field can carry, in NUT's units (after the unit exponent). */
export function physicalRange(field: HidField): [number, number] {
  const hasPhysical = field.phyMin !== undefined && field.phyMax !== undefined && !(field.phyMin === 0 && field.phyMax === 0);
  const lo = hasPhysical ? field.phyMin! : field.logMin;
  const hi = hasPhysical ? field.phyMax! : field.logMax;
  const base = BASE7_UNITS.has(field.unit) ? 7 : 0;
  const factor = 10 ** (field.unitExp - base);
  const a = lo * factor;
  const b = hi * factor;
  return a <= b ? [a, b] : [b, a];
}

function withinRange(field: HidField, value: number): boolean {
  const [lo, hi] = physicalRange(field);
  const slack = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
  return value >= lo - slack && value <= hi + slack;
}
