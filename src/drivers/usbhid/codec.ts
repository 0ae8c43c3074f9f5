/**
 * Field values both ways, with NUT 2.8.0's arithmetic (HARDWARE.md §1.3; libhid.c GetValue,
 * logical_to_physical, get_unit_expo, exponent, physical_to_logical, SetValue), so that the
 * numbers — including their last floating-point bits, which decide how "%.1f" rounds — are the
 * ones usbhid-ups publishes:
 * - bits little-endian from bit offset + 8 (byte 0 is the report ID);
 * - only the bits the LogMin..LogMax range needs are kept (firmware puts garbage above them),
 *   sign-extended when LogMin < 0, then clamped to the range;
 * - logical -> physical linear scaling when both physical extents were given (not 0 and 0);
 * - times 10^(UnitExp - 7) for Volt and VA/W, 10^UnitExp for every other unit.
 */
import type { HidField } from './hid-types.js';

/** Units whose exponent NUT counts from 7 (the HID spec's SI base units make Volt and W/VA 10^7). */
const VOLT = 0x00f0d121;
const WATT_OR_VA = 0x0000d121;

/**
 * The physical value of `field` in `report` (byte 0 = report ID), or undefined when the report is
 * too short to hold the field: a short read decodes what arrived and never invents the rest.
 */
export function readField(field: HidField, report: Uint8Array): number | undefined {
  const first = field.offset + 8;
  if (field.size === 0 || first + field.size > report.length * 8) return undefined;
  const logical = toLogical(field, report, first);
  return logicalToPhysical(field, logical) * powerOfTen(unitExponent(field));
}

/**
 * A copy of `report` (the last buffer read for this report ID) of `length` bytes with `value`
 * (physical, in the field's units) written into the field's bits, ready for SET_REPORT: the
 * neighbouring fields keep what was read. The value goes through NUT's conversion backwards,
 * truncating toward zero; it is clamped where NUT clamps it, i.e. when physical scaling applies.
 * An unscaled value outside LogMin..LogMax is written as NUT writes it, two's complement in the
 * field's bits: firmware that declares a delay 0..65535 still reads -1 ("no countdown", what
 * shutdown.stop writes) as -1, where clamping would make it 0, "now".
 */
export function writeField(field: HidField, value: number, report: Uint8Array, length: number): Buffer {
  if (!Number.isFinite(value)) throw new RangeError(`${field.path}: cannot write ${value}, only a finite number`);
  const bits = field.offset + 8 + field.size;
  if (bits > length * 8) throw new RangeError(`${field.path}: the field ends at bit ${bits}, past a report of ${length} bytes`);
  const out = Buffer.alloc(length);
  out.set(report.subarray(0, length));
  // hidraw takes the report number from byte 0; a report never read must still carry it.
  out[0] = field.reportId;
  const logical = physicalToLogical(field, value / powerOfTen(unitExponent(field)));
  let v = BigInt.asUintN(Math.max(field.size, 1), BigInt(logical));
  for (let k = 0, bit = field.offset + 8; k < field.size; k++, bit++, v >>= 1n) {
    const mask = 1 << (bit & 7);
    if (v & 1n) out[bit >> 3]! |= mask;
    else out[bit >> 3]! &= ~mask;
  }
  return out;
}

/** NUT's write guard (HIDSetDataValue): it refuses only a main item whose data byte is exactly Constant. */
export function isWritable(field: HidField): boolean {
  return ((field.attributes ?? (field.constant ? 1 : 0)) & 0xff) !== 0x01;
}

function toLogical(field: HidField, report: Uint8Array, first: number): number {
  const { logMin, logMax } = field;
  // Where the sign bit sits for the larger magnitude of the range; only the bits below it (and
  // the sign bit itself when the range goes negative) carry the value.
  const magnitude = Math.max(logMax >= 0 ? logMax : -(logMax + 1), logMin >= 0 ? logMin : -(logMin + 1));
  const signBit = 2 ** bitLength(magnitude);
  const keep = bitLength(magnitude) + (logMin < 0 ? 1 : 0);
  let value = 0;
  for (let k = 0; k < Math.min(keep, field.size); k++) {
    const bit = first + k;
    if (report[bit >> 3]! & (1 << (bit & 7))) value += 2 ** k;
  }
  if (logMin < 0 && value >= signBit) value -= 2 * signBit;
  return value < logMin ? logMin : value > logMax ? logMax : value;
}

/** 1 + the position of the highest set bit; 0 for 0. */
function bitLength(x: number): number {
  let n = 0;
  while (x >= 1) {
    x = Math.floor(x / 2);
    n++;
  }
  return n;
}

function scaled(field: HidField): field is HidField & { phyMin: number; phyMax: number } {
  const { phyMin, phyMax, logMin, logMax } = field;
  // NUT leaves the value logical for reversed or empty ranges too ("this should not really happen").
  return phyMin !== undefined && phyMax !== undefined && !(phyMin === 0 && phyMax === 0) && phyMax > phyMin && logMax > logMin;
}

function logicalToPhysical(field: HidField, logical: number): number {
  if (!scaled(field)) return logical;
  const factor = (field.phyMax - field.phyMin) / (field.logMax - field.logMin);
  const physical = (logical - field.logMin) * factor + field.phyMin;
  return physical > field.phyMax ? field.phyMax : physical < field.phyMin ? field.phyMin : physical;
}

function physicalToLogical(field: HidField, physical: number): number {
  if (!scaled(field)) return Math.trunc(physical);
  const factor = (field.logMax - field.logMin) / (field.phyMax - field.phyMin);
  const logical = Math.trunc((physical - field.phyMin) * factor) + field.logMin;
  return logical > field.logMax ? field.logMax : logical < field.logMin ? field.logMin : logical;
}

function unitExponent(field: HidField): number {
  return field.unit === VOLT || field.unit === WATT_OR_VA ? field.unitExp - 7 : field.unitExp;
}

/**
 * 10^e multiplied out one factor at a time, as NUT's exponent() does: 10^-2 is 0.1 * 0.1 =
 * 0.010000000000000002, so 1358 decodes as 13.580000000000002, exactly NUT's double.
 */
function powerOfTen(e: number): number {
  let result = 1;
  for (let i = 0; i < Math.abs(e); i++) result = (e > 0 ? 10 : 1 / 10) * result;
  return result;
}
