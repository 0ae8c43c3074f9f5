import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isWritable, readField, writeField } from '../../../../src/drivers/usbhid/codec.js';
import { parseReportDescriptor, type HidDescriptor } from '../../../../src/drivers/usbhid/descriptor.js';
import type { HidField, ReportType } from '../../../../src/drivers/usbhid/hid-types.js';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import { failure } from '../../../helpers/fail.js';

const FIXTURES = new URL('../../../fixtures/hid/', import.meta.url).pathname;
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const bytes = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
/** C's %g (6 significant digits), as NUT prints decoded values. */
const g = (v: number) => Number(v.toPrecision(6));

/** A field with the given ranges, Feature report 1 at bit 0 unless told. */
function field(over: Partial<HidField>): HidField {
  return {
    path: 'UPS.Test', nodes: [0x00840004, 0x00840058], type: 'Feature', reportId: 1, offset: 0, size: 8,
    logMin: 0, logMax: 255, phyMin: undefined, phyMax: undefined, unit: 0, unitExp: 0, constant: false, ...over,
  };
}

const descriptorOf = async (file: string) => {
  const r = await loadRecording(join(FIXTURES, file));
  return { r, d: parseReportDescriptor(r.descriptor) };
};
const one = (d: HidDescriptor, path: string, type: ReportType = 'Feature'): HidField => {
  const f = d.find(path, type);
  if (!f) throw failure(`no ${type} field ${path}`);
  return f;
};

test('every [decoded] line of the APC fixture equals readField on the recorded reports', async () => {
  const { r, d } = await descriptorOf('apc-back-ups-500.txt');
  // The last report read per ID; NUT's explore dump decodes Input items from the same GET_REPORT.
  const byId = new Map(r.featureReads.map((b) => [b[0]!, b]));
  for (const b of r.interruptIn) byId.set(b[0]!, b);
  const diff: string[] = [];
  for (const text of r.decoded!) {
    const m = /^(\S+) (Input|Output|Feature) id=0x([0-9a-f]{2}) off=(\d+) size=(\d+) value=(\S+)$/.exec(text.trim());
    if (!m) throw failure(`cannot read [decoded] line: ${text}`);
    const [, path, type, id, off, size, value] = m;
    const f = d.fields.find((x) => x.path === path && x.type === type && x.reportId === parseInt(id!, 16) && x.offset === Number(off));
    if (!f || f.size !== Number(size)) {
      diff.push(`${text}: no such field`);
      continue;
    }
    const got = readField(f, byId.get(f.reportId)!);
    if (got === undefined || g(got) !== Number(value)) diff.push(`${text}: got ${got}`);
  }
  assert.is(r.decoded!.length, 35);
  if (diff.length > 0) throw failure(diff.join('\n'));
});

test('NUT\'s exact doubles: 10^-2 is multiplied out, so 1358 reads 13.580000000000002', async () => {
  const { d } = await descriptorOf('apc-back-ups-500.txt');
  assert.is(readField(one(d, 'UPS.PowerSummary.Voltage'), hex('09 4e 05')), 1358 * (0.1 * 0.1));
  assert.is(readField(one(d, 'UPS.PowerSummary.Voltage'), hex('09 4e 05')), 13.580000000000002);
  // Unit and exponent leak into iManufacturer (a string index) as in NUT: 3 reads 0.03.
  assert.is(g(readField(one(d, 'UPS.PowerSummary.iManufacturer'), hex('0a 03'))!), 0.03);
});

test('signed fields: sign-extended only when LogMin < 0', () => {
  const s16 = field({ size: 16, logMin: -1, logMax: 32767 });
  assert.is(readField(s16, hex('01 ff ff')), -1);
  assert.is(readField(s16, hex('01 14 00')), 20);
  const s8 = field({ logMin: -128, logMax: 127 });
  assert.is(readField(s8, hex('01 80')), -128);
  assert.is(readField(s8, hex('01 7f')), 127);
  assert.is(readField(field({}), hex('01 ff')), 255, 'unsigned when both extents are >= 0');
});

test('garbage high bits are masked off by the range, then values are clamped to it', () => {
  // Back-UPS BF500: LogMax 0xffff in a 32-bit field, high bits set.
  assert.is(readField(field({ size: 32, logMax: 0xffff }), hex('01 00 0a 08 80')), 0x0a00);
  const pct = field({ logMax: 100 }); // 7 bits carry 0..100
  assert.is(readField(pct, hex('01 e4')), 100);
  assert.is(readField(pct, hex('01 ff')), 100, '127 after the mask, clamped');
  assert.is(readField(pct, hex('01 e3')), 99);
  const transfer = field({ size: 16, logMin: 97, logMax: 103 });
  assert.is(readField(transfer, hex('01 32 00')), 97, 'below LogMin: clamped up');
  assert.is(readField(transfer, hex('01 65 00')), 101);
  assert.is(readField(field({ logMax: 0 }), hex('01 ff')), 0, 'a range of 0..0 keeps no bits');
});

test('bit fields at any offset, little-endian across bytes', () => {
  const bit = (offset: number) => field({ offset, size: 1, logMax: 1 });
  assert.equal([0, 1, 2, 3, 4, 5, 6, 7].map((o) => readField(bit(o), hex('0b 25'))), [1, 0, 1, 0, 0, 1, 0, 0]);
  assert.is(readField(field({ offset: 4, size: 12, logMax: 4095 }), hex('01 a0 bc')), 0xbca);
  assert.is(readField(field({ offset: 8, size: 24, logMax: 16777214 }), hex('0c 00 64 00 00')), 100);
});

test('physical scaling: CyberPower delays are Physical = Logical*60 (minutes on the wire)', async () => {
  const { d } = await descriptorOf('cyberpower-cst135uc2.txt');
  const delay = one(d, 'UPS.Output.DelayBeforeShutdown');
  assert.is(readField(delay, hex('15 ff ff')), -60, 'no countdown reads -60 (ups.timer.shutdown)');
  assert.is(readField(delay, hex('15 00 00')), 0);
  assert.is(readField(delay, hex('15 02 00')), 120);
  assert.is(readField(delay, hex('15 ff 7f')), 1966020);
  // Battery voltage in 0.1 V (exponent 6 against Volt's 7), 0 0 physical extents ignored.
  assert.is(g(readField(one(d, 'UPS.PowerSummary.Voltage'), hex('0a 88 00'))!), 13.6);
  assert.is(readField(one(d, 'UPS.Output.ConfigActivePower'), hex('18 84 03 e8 03')), 900);
  assert.is(readField(one(d, 'UPS.Output.ConfigApparentPower'), hex('18 84 03 e8 03')), 1000);
  // Scaling is clamped to the physical range; reversed ranges stay logical (NUT's paranoia).
  assert.is(readField(field({ logMin: 0, logMax: 10, phyMin: 0, phyMax: 100 }), hex('01 05')), 50);
  assert.is(readField(field({ logMin: 0, logMax: 10, phyMin: 100, phyMax: 0 }), hex('01 05')), 5);
});

test('reports shorter than the field read undefined, never garbage', async () => {
  const { d } = await descriptorOf('apc-back-ups-500.txt');
  const capacity = one(d, 'UPS.PowerSummary.RemainingCapacity');
  const runtime = one(d, 'UPS.PowerSummary.RunTimeToEmpty');
  const short = hex('0c 64 00 00 14');
  assert.is(readField(capacity, short), 100);
  assert.is(readField(runtime, short), undefined);
  assert.is(readField(runtime, hex('0c 64 00 00 14 0a')), 2580);
  assert.is(readField(capacity, hex('0c 64')), undefined);
  assert.is(readField(capacity, new Uint8Array(0)), undefined);
  assert.is(readField(field({ size: 0 }), hex('01 ff')), undefined);
});

test('writeField: BK650M2-CH DelayBeforeShutdown (id 0x15, 16-bit signed): 20 -> 15 14 00, -1 -> 15 ff ff', () => {
  const d = parseReportDescriptor(hex('05 84 09 04 a1 01 09 24 a1 00 85 15 09 57 75 10 95 01 16 00 80 26 ff 7f 66 01 10 55 00 b1 02 c0 c0'));
  const delay = one(d, 'UPS.PowerSummary.DelayBeforeShutdown');
  const length = d.reportLength('Feature', 0x15);
  assert.is(length, 3);
  const last = hex('15 ff ff');
  assert.is(bytes(writeField(delay, 20, last, length)), '15 14 00');
  assert.is(bytes(writeField(delay, -1, hex('15 14 00'), length)), '15 ff ff');
  assert.is(bytes(last), '15 ff ff', 'the last buffer is not modified');
  assert.is(bytes(writeField(delay, 20, new Uint8Array(0), length)), '15 14 00', 'never read: zero-filled, id in byte 0');
  assert.is(readField(delay, writeField(delay, -1, last, length)), -1);
});

test('writeField is read-modify-write: neighbouring fields keep the bytes last read', async () => {
  const { r, d } = await descriptorOf('apc-back-ups-500.txt');
  const last = r.featureReads.find((b) => b[0] === 0x0c)!;
  const runtime = one(d, 'UPS.PowerSummary.RunTimeToEmpty');
  const out = writeField(runtime, 600, last, d.reportLength('Feature', 0x0c));
  assert.is(bytes(out), '0c 64 00 00 58 02');
  assert.is(readField(one(d, 'UPS.PowerSummary.RemainingCapacity'), out), 100);
  // Bits inside a byte: only the field's bits change.
  const bit2 = field({ reportId: 0x0b, offset: 2, size: 1, logMax: 1 });
  assert.is(bytes(writeField(bit2, 0, hex('0b ff'), 2)), '0b fb');
  assert.is(bytes(writeField(bit2, 1, hex('0b 00'), 2)), '0b 04');
  // A report longer than the length is cut to it; a shorter one padded with zeros.
  assert.is(bytes(writeField(field({}), 7, hex('01 00 aa bb'), 3)), '01 07 aa');
  assert.is(bytes(writeField(field({ offset: 8 }), 7, hex('01'), 3)), '01 00 07');
});

test('writes go back through NUT\'s conversion: exponent, scaling truncated toward zero, clamped when scaled', async () => {
  const { d } = await descriptorOf('cyberpower-cst135uc2.txt');
  const delay = one(d, 'UPS.Output.DelayBeforeShutdown');
  const w = (v: number) => bytes(writeField(delay, v, hex('15 00 00'), 3));
  assert.is(w(20), '15 00 00', '20 s truncates to 0 minutes: "now" (why NUT defaults CPS offdelay to 60)');
  assert.is(w(60), '15 01 00');
  assert.is(w(119), '15 01 00');
  assert.is(w(120), '15 02 00');
  assert.is(w(-60), '15 ff ff');
  assert.is(w(-1000), '15 ff ff', 'clamped to LogMin');
  assert.is(w(1e12), '15 ff 7f', 'clamped to LogMax');
  const volts = field({ reportId: 0x09, size: 16, logMax: 65534, unit: 0x00f0d121, unitExp: 5 });
  // NUT divides by its multiplied-out 10^-2 (0.010000000000000002) and truncates: 13.6 V is
  // 1359.9999999999998 -> 1359, 12 V is 1199; an exponent of 7 (x1) is exact.
  assert.is(bytes(writeField(volts, 13.6, hex('09 00 00'), 3)), '09 4f 05');
  assert.is(bytes(writeField(volts, 12, hex('09 00 00'), 3)), '09 af 04');
  assert.is(bytes(writeField(field({ size: 16, logMax: 300, unit: 0x00f0d121, unitExp: 7 }), 230, hex('01 00 00'), 3)), '01 e6 00');
  assert.is(bytes(writeField(field({ unit: 0x1001, unitExp: 1 }), 125, hex('01 00'), 2)), '01 0c', 'seconds at 10^1');
});

test('unscaled values outside LogMin..LogMax are written as NUT writes them (two\'s complement in the field)', () => {
  // A delay declared 0..65535: shutdown.stop's -1 must reach the UPS as ff ff (no countdown), not 0 (now).
  const delay = field({ size: 16, logMin: 0, logMax: 65535 });
  assert.is(bytes(writeField(delay, -1, hex('01 00 00'), 3)), '01 ff ff');
  assert.is(bytes(writeField(field({ size: 4, logMax: 15 }), 0x1f, hex('01 f0'), 2)), '01 ff', 'cut to the field\'s 4 bits, neighbours kept');
  assert.is(bytes(writeField(field({}), 2.9, hex('01 00'), 2)), '01 02');
  assert.is(bytes(writeField(field({}), -2.9, hex('01 00'), 2)), '01 fe');
});

test('round trips: what is written reads back (in range, representable)', async () => {
  const { d } = await descriptorOf('cyberpower-cst135uc2.txt');
  const cases: Array<[string, number[]]> = [
    ['UPS.Output.DelayBeforeShutdown', [-60, 0, 60, 600, 1966020]],
    ['UPS.PowerSummary.RemainingTimeLimit', [0, 120, 480]],
    ['UPS.PowerSummary.AudibleAlarmControl', [1, 2, 3]],
    ['UPS.Output.LowVoltageTransfer', [97, 100, 103]],
    ['UPS.Output.HighVoltageTransfer', [135, 144]],
  ];
  for (const [path, values] of cases) {
    const f = one(d, path);
    const length = d.reportLength('Feature', f.reportId);
    let report: Buffer = Buffer.alloc(length);
    for (const v of values) {
      report = writeField(f, v, report, length);
      assert.is(readField(f, report), v, `${path} = ${v}`);
    }
  }
  // Both transfer fields share report 0x10: writing one keeps the other.
  const low = one(d, 'UPS.Output.LowVoltageTransfer');
  const high = one(d, 'UPS.Output.HighVoltageTransfer');
  const both = writeField(high, 140, writeField(low, 100, hex('10 00 00 00 00'), 5), 5);
  assert.equal([readField(low, both), readField(high, both)], [100, 140]);
});

test('bad writes are refused: not a number, a field past the length', () => {
  assert.throws(() => writeField(field({}), Number.NaN, hex('01 00'), 2), /UPS\.Test: cannot write NaN/);
  assert.throws(() => writeField(field({ offset: 8 }), 1, hex('01 00'), 2), /UPS\.Test: the field ends at bit 24, past a report of 2 bytes/);
});

test('isWritable: NUT refuses only a main item whose data byte is exactly Constant (0x01)', async () => {
  const { d } = await descriptorOf('cyberpower-cst135uc2.txt');
  assert.ok(isWritable(one(d, 'UPS.Output.DelayBeforeShutdown')), 'b1 a2');
  assert.ok(isWritable(one(d, 'UPS.PowerSummary.iProduct')), 'b1 23: Constant, yet NUT writes it');
  assert.not.ok(isWritable(field({ constant: true, attributes: 0x01 })));
  assert.ok(isWritable(field({ constant: true, attributes: 0x03 })));
});

test.run();
