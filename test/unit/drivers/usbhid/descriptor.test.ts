import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HidDescriptorError, MAX_FIELDS, parseReportDescriptor } from '../../../../src/drivers/usbhid/descriptor.js';
import { parsePath } from '../../../../src/drivers/usbhid/descriptor-path.js';
import type { HidField } from '../../../../src/drivers/usbhid/hid-types.js';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import { usageNames } from '../../../../src/drivers/usbhid/usage-names.js';
import { failure } from '../../../helpers/fail.js';

const FIXTURES = new URL('../../../fixtures/hid/', import.meta.url).pathname;

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const parse = (text: string, names = usageNames()) => parseReportDescriptor(hex(text), names);
/** `path type id off size lmin lmax` of each field, the parts a rule changes. */
const brief = (text: string, names = usageNames()) =>
  parse(text, names).fields.map((f) => `${f.path} ${f.type} ${f.reportId} ${f.offset} ${f.size} ${f.logMin}..${f.logMax}`);

/** One field as the fixtures' [parsed] lines print it (whitespace normalised). */
function line(f: HidField): string {
  return [
    f.path, f.type, `id=0x${f.reportId.toString(16).padStart(2, '0')}`, `off=${f.offset}`, `size=${f.size}`,
    `lmin=${f.logMin}`, `lmax=${f.logMax}`,
    ...(f.physicalGiven ? [`pmin=${f.phyMin ?? 0}`, `pmax=${f.phyMax ?? 0}`] : []),
    `unit=0x${f.unit.toString(16)}`, `exp=${f.unitExp}`, ...(f.constant ? ['CONST'] : []),
  ].join(' ');
}

// UPS application collection, report 1, 8-bit 0..255 fields: the frame most tests put items in.
const UPS = '05 84 09 04 a1 01';
const END = 'c0';

for (const file of ['apc-back-ups-500.txt', 'cyberpower-cst135uc2.txt']) {
  test(`${file}: the field list equals [parsed] line for line (explore names)`, async () => {
    const r = await loadRecording(join(FIXTURES, file));
    const got = parseReportDescriptor(r.descriptor).fields.map(line);
    const want = r.parsed!.map((l) => l.trim().split(/\s+/).join(' '));
    const diff = want.flatMap((w, i) => (got[i] === w ? [] : [`line ${i + 1}\n  want ${w}\n  got  ${got[i]}`]));
    if (got.length !== want.length) diff.push(`${got.length} fields, [parsed] has ${want.length}`);
    if (diff.length > 0) throw failure(diff.join('\n'));
  });
}

test('APC fixture with the apc table: vendor usages by name; lookups take the name or the hex', async () => {
  const r = await loadRecording(join(FIXTURES, 'apc-back-ups-500.txt'));
  const apc = parseReportDescriptor(r.descriptor, usageNames('apc'));
  const paths = apc.fields.map((f) => f.path);
  assert.ok(paths.includes('UPS.PowerSummary.APCStatusFlag'));
  assert.ok(paths.includes('UPS.PowerSummary.APCPanelTest'));
  assert.ok(paths.includes('UPS.PowerSummary.APCBattReplaceDate'));
  assert.ok(paths.includes('UPS.APCGeneralCollection.APCDelayBeforeReboot'));
  assert.not.ok(paths.some((p) => /ff86/.test(p)));
  assert.is(apc.find('UPS.PowerSummary.APCStatusFlag')?.reportId, 0x06);
  assert.is(apc.find('UPS.PowerSummary.ff860060')?.offset, 16);
  assert.is(apc.find('ups.apcgeneralcollection.APCDELAYBEFOREREBOOT')?.reportId, 0x40);
  assert.is(apc.find('UPS.PowerSummary.APCStatusFlag', 'Input')?.type, 'Input');

  const explore = parseReportDescriptor(r.descriptor);
  assert.is(explore.find('UPS.PowerSummary.ff860060')?.path, 'UPS.PowerSummary.ff860060');
  assert.is(explore.find('UPS.PowerSummary.APCStatusFlag'), undefined, 'explore has no vendor names');
  assert.is(explore.find('ups.powersummary.remainingcapacity')?.size, 24);
  assert.is(explore.find('UPS.PowerSummary.RemainingCapacity', 'Input')?.type, 'Input');
  assert.is(explore.find('UPS.PowerSummary'), undefined, 'a collection is not a field (no prefix match)');
  assert.is(explore.find('UPS.PowerSummary.NoSuchName'), undefined);
  assert.is(explore.find('UPS.PowerSummary.Voltage', 'Output'), undefined);
  assert.equal(explore.reportIds('Input'), [0x06, 0x0c, 0x13, 0x14]);
  assert.is(explore.reportLength('Feature', 0x0c), 6);
  assert.is(explore.reportLength('Feature', 0x1c), 4);
});

test('CyberPower fixture: physical extents (delays in minutes) and vendor hex paths', async () => {
  const r = await loadRecording(join(FIXTURES, 'cyberpower-cst135uc2.txt'));
  const d = parseReportDescriptor(r.descriptor, usageNames('cps'));
  const delay = d.find('UPS.Output.DelayBeforeShutdown')!;
  assert.equal([delay.logMin, delay.logMax, delay.phyMin, delay.phyMax, delay.size], [-1, 32767, -60, 1966020, 16]);
  // `35 00 45 00` later: given, but 0 and 0 mean physical = logical.
  const boost = d.find('UPS.Output.Boost')!;
  assert.equal([boost.phyMin, boost.phyMax, boost.physicalGiven], [undefined, undefined, true]);
  assert.is(d.find('UPS.Output.ff010043')?.reportId, 0x1a);
  assert.is(d.find('UPS.PowerSummary.PresentStatus.Discharging', 'Input')?.offset, 2);
  assert.is(d.reportLength('Input', 0x0b), 2);
  assert.is(d.reportLength('Feature', 0x28), 64, 'id 0x28: 62 bytes + 1 byte before them + the id byte');
});

test('Usage Minimum/Maximum expand to a usage list; a range on a 4-byte minimum keeps its page', () => {
  assert.equal(brief(`${UPS} 85 01 75 08 95 03 15 00 26 ff 00 19 30 29 32 b1 02 ${END}`), [
    'UPS.Voltage Feature 1 0 8 0..255', 'UPS.Current Feature 1 8 8 0..255', 'UPS.Frequency Feature 1 16 8 0..255',
  ]);
  assert.equal(brief(`${UPS} 75 01 95 02 25 01 1b 60 00 86 ff 29 61 81 02 ${END}`), [
    'UPS.ff860060 Input 0 0 1 0..1', 'UPS.ff860061 Input 0 1 1 0..1',
  ]);
  assert.equal(brief(`${UPS} 75 01 95 02 25 01 09 d0 05 85 19 44 29 45 81 02 ${END}`)[0], 'UPS.008400d0 Input 0 0 1 0..1',
    'a 1-byte usage takes the page in effect at its own item (0x84 here, where d0 has no name)');
});

test('4-byte usages carry their own page; 1-2 byte ones take the current page', () => {
  const d = parse(`${UPS} 09 24 a1 00 75 10 95 01 26 ff 7f 0b 7d 00 86 ff b1 02 0a 30 00 b1 02 ${END} ${END}`, usageNames('apc'));
  assert.equal(d.fields.map((f) => [f.path, f.nodes]), [
    ['UPS.PowerSummary.APCDelayBeforeShutdown', [0x00840004, 0x00840024, 0xff86007d]],
    ['UPS.PowerSummary.Voltage', [0x00840004, 0x00840024, 0x00840030]],
  ]);
});

test('collection types >= 0x80 add an index node [n]; End Collection removes it with its usage', () => {
  const d = parse(`${UPS} 09 16 a1 00 85 01 75 10 95 01 27 ff ff 00 00 09 1a a1 81 09 30 b1 02 c0 09 1a a1 82 09 30 b1 02 c0 09 35 b1 02 c0 ${END}`);
  assert.equal(d.fields.map((f) => `${f.path}@${f.offset}`), [
    'UPS.PowerConverter.Input.[1].Voltage@0', 'UPS.PowerConverter.Input.[2].Voltage@16', 'UPS.PowerConverter.PercentLoad@32',
  ]);
  assert.equal(d.fields[1]!.nodes, [0x00840004, 0x00840016, 0x0084001a, 0x00ff0002, 0x00840030]);
  assert.is(d.find('UPS.PowerConverter.Input.[2].Voltage')?.offset, 16);
  assert.is(d.find('UPS.PowerConverter.Input.[3].Voltage'), undefined);
  // A collection without a usage is node 00000000; a stray End Collection is ignored.
  assert.equal(brief(`${UPS} a1 00 09 30 75 08 95 01 b1 02 c0 c0 c0 09 31 b1 02`), ['UPS.00000000.Voltage Feature 0 0 8 0..0', 'Current Feature 0 8 8 0..0']);
});

test('Push/Pop restore the globals (NUT ignores them; the HID spec does not)', () => {
  assert.equal(brief(`${UPS} 85 02 75 08 95 01 15 00 26 ff 00 a4 85 03 15 9c 25 64 09 30 b1 02 b4 09 31 b1 02 b4 09 32 b1 02 ${END}`), [
    'UPS.Voltage Feature 3 0 8 -100..100', 'UPS.Current Feature 2 0 8 0..255', 'UPS.Frequency Feature 2 8 8 0..255',
  ]);
});

test('padding and NUT\'s unnamed trailing fields take bits but are not stored', () => {
  const d = parse(`${UPS} 85 05 05 85 75 01 95 02 25 01 09 d0 09 44 81 02 75 06 95 01 81 03 09 45 75 08 81 02 ${END}`);
  assert.equal(d.fields.map((f) => `${f.path}@${f.offset}`), ['UPS.ACPresent@0', 'UPS.Charging@1', 'UPS.Discharging@8']);
  assert.is(d.reportLength('Input', 5), 3);
  // Report Count 3 with one usage: NUT names field 0 only (the HID spec would repeat the usage).
  assert.equal(brief(`${UPS} 75 08 95 03 26 ff 00 09 30 b1 02 95 01 09 31 b1 02 ${END}`), ['UPS.Voltage Feature 0 0 8 0..255', 'UPS.Current Feature 0 24 8 0..255']);
  // Locals end with each main item: a redundant second usage is dropped, the next main item is unnamed.
  assert.equal(brief(`${UPS} 75 08 95 01 09 30 09 30 b1 02 b1 02 09 31 b1 02 ${END}`), ['UPS.Voltage Feature 0 0 8 0..0', 'UPS.Current Feature 0 16 8 0..0']);
  // A zero usage is padding too, and Report Count 0 declares nothing (NUT wraps it to 256).
  assert.equal(brief(`${UPS} 75 08 95 02 05 00 09 00 05 84 09 30 b1 02 95 00 09 31 b1 02 95 01 09 32 b1 02 ${END}`), ['UPS.Voltage Feature 0 8 8 0..0', 'UPS.Frequency Feature 0 16 8 0..0']);
});

test('signed extents by their own byte size, then NUT\'s LogMax < LogMin repair', () => {
  const ranges = (items: string) => brief(`${UPS} 75 10 95 01 ${items} 09 30 b1 02 ${END}`)[0]!.split(' ').pop();
  assert.is(ranges('15 00 25 ff'), '0..255');
  assert.is(ranges('15 00 26 ff ff'), '0..65535');
  assert.is(ranges('15 00 27 ff ff ff ff'), '0..4294967295');
  assert.is(ranges('15 ff 26 ff 7f'), '-1..32767');
  assert.is(ranges('16 00 80 26 ff 7f'), '-32768..32767');
  assert.is(ranges('15 80 25 7f'), '-128..127');
  assert.is(ranges('14 25 01'), '0..1', 'size 0 data is 0');
  // The repair looks only at the LogMin in effect at the LogMax item (as NUT does).
  assert.is(ranges('15 80 25 ff 15 00'), '0..-1');
});

test('Unit and Unit Exponent are global: they persist into later items and reports', () => {
  const d = parse(`${UPS} 75 08 95 01 85 01 67 21 d1 f0 00 55 05 09 30 b1 02 85 02 09 fd b1 02 65 00 55 00 09 fe b1 02 55 0e 09 31 b1 02 55 fe 09 32 b1 02 55 08 09 33 b1 02 55 07 09 34 b1 02 ${END}`);
  assert.equal(d.fields.map((f) => `${f.path} ${f.reportId} 0x${f.unit.toString(16)} ${f.unitExp}`), [
    'UPS.Voltage 1 0xf0d121 5', 'UPS.iManufacturer 2 0xf0d121 5', 'UPS.iProduct 2 0x0 0',
    'UPS.Current 2 0x0 -2', 'UPS.Frequency 2 0x0 -2', 'UPS.ApparentPower 2 0x0 -8', 'UPS.ActivePower 2 0x0 7',
  ]);
});

test('report IDs: Input and Feature of one ID have separate layouts; lengths as NUT computes them', () => {
  const d = parse(`${UPS} 75 08 95 01 26 ff 00 85 01 09 30 81 02 09 31 81 02 09 30 b1 02 85 02 75 0c 09 32 b1 02 85 01 09 35 b1 02 ${END}`);
  assert.equal(d.fields.map((f) => `${f.path} ${f.type} ${f.reportId}@${f.offset}`), [
    'UPS.Voltage Input 1@0', 'UPS.Current Input 1@8', 'UPS.Voltage Feature 1@0', 'UPS.Frequency Feature 2@0', 'UPS.PercentLoad Feature 1@8',
  ]);
  assert.is(d.find('UPS.Voltage')?.type, 'Feature', 'Feature by default');
  assert.is(d.find('UPS.Voltage', 'Input')?.type, 'Input');
  assert.equal(d.reportIds('Feature'), [1, 2]);
  assert.equal(d.reportIds('Input'), [1]);
  assert.equal(d.reportIds('Output'), []);
  assert.is(d.reportLength('Feature', 2), 3, '12 bits round up to 2 bytes, + the id byte');
  // NUT keeps one length per ID over every type: Feature 1 declares 8 + 12 bits, Input 1 only 16.
  assert.is(d.reportLength('Feature', 1), 4);
  assert.is(d.reportLength('Input', 1), 4);
  assert.is(d.reportLength('Input', 2), 0, 'no Input item uses id 2');
  assert.is(d.reportLength('Output', 1), 0);
});

test('long items are skipped; a truncated last item ends the walk with the fields before it', () => {
  assert.equal(brief(`${UPS} fe 03 f1 01 02 03 75 08 95 01 09 30 b1 02 ${END}`), ['UPS.Voltage Feature 0 0 8 0..0']);
  assert.equal(brief(`${UPS} 75 08 95 01 09 30 b1 02 27 ff ff`), ['UPS.Voltage Feature 0 0 8 0..0']);
  const f = parse(`${UPS} 75 08 95 01 09 30 b2 02 01 ${END}`).fields[0]!;
  assert.equal([f.constant, f.attributes], [false, 0x102]);
  assert.equal(parse(`${UPS} 75 08 95 01 09 30 b1 03 ${END}`).fields[0]!.constant, true);
});

test('refused: no named field, nesting past 32, too many Push, too many fields', () => {
  const error = (text: string) => {
    try {
      parse(text);
    } catch (e) {
      assert.instance(e, HidDescriptorError);
      return `${(e as HidDescriptorError).byteOffset}: ${(e as Error).message}`;
    }
    throw failure('accepted');
  };
  assert.match(error(''), /^0: HID report descriptor, byte 0: no named Input, Output or Feature field in 0 bytes/);
  assert.match(error(`${UPS} 75 08 95 04 b1 03 ${END}`), /^13: .*no named/);
  assert.match(error(`${UPS}${' 09 24 a1 00'.repeat(32)}`), /^132: HID report descriptor, byte 132: collections nested deeper than 32$/);
  assert.match(error(`${UPS}${' a4'.repeat(33)}`), /^38: .*more than 32 Push items without Pop$/);
  const many = `${UPS} 75 01 95 ff ${'19 01 2a ff 00 b1 02 '.repeat(17)}`;
  assert.match(error(many), new RegExp(`more than ${MAX_FIELDS} fields`));
});

test('fuzz: random, mutated and truncated descriptors return or throw HidDescriptorError, bounded', async () => {
  let seed = 0x2545f491;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
  const bodies: Buffer[] = [];
  for (const file of ['apc-back-ups-500.txt', 'cyberpower-cst135uc2.txt']) {
    const d = (await loadRecording(join(FIXTURES, file))).descriptor;
    for (let n = 0; n <= d.length; n++) bodies.push(d.subarray(0, n));
    for (let i = 0; i < 300; i++) {
      const m = Buffer.from(d);
      for (let k = 0; k < 1 + rand() * 8; k++) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
      bodies.push(m);
    }
  }
  const items = [0x05, 0x09, 0x0b, 0x15, 0x19, 0x29, 0x26, 0x27, 0x75, 0x85, 0x95, 0x96, 0x97, 0x81, 0xb1, 0xa1, 0xc0, 0xa4, 0xb4, 0xfe, 0x55, 0x67];
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.alloc(Math.floor(rand() * 300));
    const structured = i % 2 === 0;
    for (let k = 0; k < b.length; k++) b[k] = structured && rand() < 0.4 ? items[Math.floor(rand() * items.length)]! : Math.floor(rand() * 256);
    bodies.push(b);
  }
  const names = usageNames('mge');
  const started = Date.now();
  for (const body of bodies) {
    try {
      const d = parseReportDescriptor(body, names);
      assert.ok(d.fields.length > 0 && d.fields.length <= MAX_FIELDS);
      for (const f of d.fields) {
        assert.ok(Number.isSafeInteger(f.offset) && f.size >= 0 && f.size <= 255 && f.nodes.length <= 65);
        assert.ok(d.reportLength(f.type, f.reportId) >= 1);
        // A path whose names stand for other usages (NUT's tables repeat "Undefined") resolves as NUT resolves it.
        if (String(parsePath(f.path, names)) === String(f.nodes)) assert.equal(d.find(f.path, f.type)?.nodes, f.nodes);
      }
    } catch (e) {
      if (!(e instanceof HidDescriptorError)) throw failure(`${body.toString('hex')}: ${(e as Error).stack}`);
    }
  }
  assert.ok(Date.now() - started < 20_000, 'parsing stays fast');
});

test.run();
