import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../../src/core/device.js';
import type { HidDeviceInfo, HidField, ReportType } from '../../../../src/drivers/usbhid/hid-types.js';
import { HidMapper, type MapperOptions } from '../../../../src/drivers/usbhid/mapping/index.js';
import type { DescriptorView, MappingRow, Subdriver } from '../../../../src/drivers/usbhid/mapping/types.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

/** A field by path; report ids in order of appearance; plain 0..max logical values unless told. */
function field(path: string, reportId: number, extra: Partial<HidField> = {}): HidField {
  return { path, nodes: [], type: 'Feature', reportId, offset: 0, size: 16, logMin: -1, logMax: 32767, phyMin: undefined, phyMax: undefined, unit: 0, unitExp: 0, constant: false, ...extra };
}
function descriptorOf(fields: HidField[]): DescriptorView {
  return { fields, find: (path: string, type: ReportType = 'Feature') => fields.find((f) => f.type === type && f.path.toLowerCase() === path.toLowerCase()) };
}
function info(vendorId: number, productId: number, extra: Partial<HidDeviceInfo> = {}): HidDeviceInfo {
  return { vendorId, productId, manufacturer: undefined, product: undefined, serial: undefined, release: undefined, path: 'x', bus: undefined, usagePage: 0x84, usage: 4, ...extra };
}
function sub(rows: MappingRow[], over: Partial<Subdriver> = {}): Subdriver {
  return { name: 'test', versionData: 'Test 1', ids: [], usageNames: { VendorThing: 0xff860016 }, rows, identity: () => ({ mfr: 'M', model: 'X', serial: undefined, extra: [] }), ...over };
}
function setup(rows: MappingRow[], fields: HidField[], values: Record<string, number>, options: MapperOptions = {}, over: Partial<Subdriver> = {}) {
  const device = new Device('ups', new FakeClock());
  const mapper = new HidMapper(sub(rows, over), descriptorOf(fields), device, options, () => undefined);
  const read = (f: HidField): number | undefined => values[f.path];
  return { device, mapper, read, values };
}

const ROWS: MappingRow[] = [
  { name: 'battery.runtime', path: 'UPS.Battery.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.runtime', path: 'UPS.PowerSummary.RunTimeToEmpty', format: '%.0f' },
  { name: 'battery.charge', path: 'UPS.PowerSummary.RemainingCapacity', format: '%.0f' },
  { name: 'battery.charge', path: 'UPS.PowerSummary.Other', format: '%.1f' },
  { name: 'battery.charge.low', path: 'UPS.PowerSummary.RemainingCapacityLimit', format: '%.0f', flags: { rw: true, string: 10, semiStatic: true } },
  { name: 'battery.mfr.date', path: 'UPS.PowerSummary.VendorThing', convert: 'apcDate' },
  { name: 'ups.delay.shutdown', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { rw: true, string: 10, absent: true }, default: '20' },
  { name: 'ups.delay.start', path: 'UPS.PowerSummary.DelayBeforeStartup', flags: { rw: true, string: 10, absent: true }, default: '30' },
  { name: 'ups.delay.start', path: 'UPS.Output.Nowhere', flags: { rw: true, string: 10, absent: true }, default: '99' },
  { name: 'ups.timer.shutdown', path: 'UPS.PowerSummary.DelayBeforeShutdown', format: '%.0f', flags: { quickPoll: true } },
  { name: 'ups.firmware', path: 'UPS.PowerSummary.Firmware', format: '%.0f', flags: { static: true } },
  { name: 'input.sensitivity', path: 'UPS.Input.Sensitivity', flags: { rw: true, string: 10, enum: true }, convert: 'sensitivity' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.ACPresent', flags: { quickPoll: true }, convert: 'online' },
  { name: 'BOOL', path: 'UPS.PowerSummary.PresentStatus.NeedReplacement', convert: 'replaceBattery' },
  { name: 'ups.alarm', path: 'UPS.PowerSummary.PresentStatus.Alarm1', convert: 'eatonWiringFault' },
  { name: 'ups.alarm', path: 'UPS.PowerSummary.PresentStatus.Alarm2', convert: 'eatonShortCircuit' },
  { name: 'load.off.delay', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { command: true }, default: '20' },
  { name: 'load.on.delay', path: 'UPS.PowerSummary.DelayBeforeStartup', flags: { command: true }, default: '30' },
  { name: 'shutdown.stop', path: 'UPS.PowerSummary.DelayBeforeShutdown', flags: { command: true }, default: '-1' },
  { name: 'beeper.enable', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: { command: true }, default: '2' },
  { name: 'beeper.disable', path: 'UPS.PowerSummary.AudibleAlarmControl', flags: { command: true }, default: '1' },
  { name: 'test.battery.start', path: 'UPS.Battery.Test', flags: { command: true, paramRequired: true } },
];
const FIELDS = [
  field('UPS.PowerSummary.RunTimeToEmpty', 1),
  field('UPS.PowerSummary.RemainingCapacity', 2),
  field('UPS.PowerSummary.Other', 3),
  field('UPS.PowerSummary.RemainingCapacityLimit', 4, { logMin: 0, logMax: 100 }),
  field('UPS.PowerSummary.ff860016', 5, { size: 24, logMin: 0, logMax: 0xffffff }),
  field('UPS.PowerSummary.DelayBeforeShutdown', 6),
  field('UPS.PowerSummary.DelayBeforeStartup', 7),
  field('UPS.PowerSummary.Firmware', 8),
  field('UPS.Input.Sensitivity', 9, { logMin: 0, logMax: 2 }),
  field('UPS.PowerSummary.PresentStatus.ACPresent', 10, { size: 1, logMin: 0, logMax: 1 }),
  field('UPS.PowerSummary.PresentStatus.NeedReplacement', 10, { size: 1, offset: 1, logMin: 0, logMax: 1 }),
  field('UPS.PowerSummary.PresentStatus.Alarm1', 10, { size: 1, offset: 2, logMin: 0, logMax: 1 }),
  field('UPS.PowerSummary.PresentStatus.Alarm2', 10, { size: 1, offset: 3, logMin: 0, logMax: 1 }),
  field('UPS.PowerSummary.AudibleAlarmControl', 11, { size: 8, logMin: 1, logMax: 3 }),
  field('UPS.Battery.Test', 12, { size: 8, logMin: 0, logMax: 3 }),
];
const VALUES = (): Record<string, number> => ({
  'UPS.PowerSummary.RunTimeToEmpty': 2580, 'UPS.PowerSummary.RemainingCapacity': 99.5, 'UPS.PowerSummary.Other': 7,
  'UPS.PowerSummary.RemainingCapacityLimit': 10, 'UPS.PowerSummary.ff860016': 0x070304, 'UPS.PowerSummary.DelayBeforeShutdown': -1,
  'UPS.PowerSummary.DelayBeforeStartup': -1, 'UPS.PowerSummary.Firmware': 3, 'UPS.Input.Sensitivity': 1,
  'UPS.PowerSummary.PresentStatus.ACPresent': 1, 'UPS.PowerSummary.PresentStatus.NeedReplacement': 0,
  'UPS.PowerSummary.PresentStatus.Alarm1': 0, 'UPS.PowerSummary.PresentStatus.Alarm2': 0,
  'UPS.PowerSummary.AudibleAlarmControl': 2, 'UPS.Battery.Test': 6,
});

test('resolution: the first existing path of a name wins; vendor names also match their hex form', () => {
  const { device, mapper, read } = setup(ROWS, FIELDS, VALUES());
  mapper.init(read);
  assert.is(device.getInfo('battery.runtime'), '2580', 'from the second row: the first path does not exist');
  assert.is(device.getInfo('battery.charge'), '100', "%.0f of 99.5 rounds to even: '100'");
  mapper.update('full', read);
  assert.is(device.getInfo('battery.charge'), '100', 'the later row of the same name stays disabled');
  assert.is(device.getInfo('battery.mfr.date'), '2004/07/03');
});

test('a row whose value cannot be read leaves its name to the next row, as NUT', () => {
  const values = VALUES();
  delete values['UPS.PowerSummary.RemainingCapacity'];
  const { device, mapper, read } = setup(ROWS, FIELDS, values);
  mapper.init(read);
  assert.is(device.getInfo('battery.charge'), '7.0');
});

test('ABSENT rows: default published with flags, only when their path exists, first default wins', () => {
  const { device, mapper, read } = setup(ROWS, FIELDS, VALUES());
  mapper.init(read);
  assert.is(device.getInfo('ups.delay.shutdown'), '20');
  assert.is(device.getInfo('ups.delay.start'), '30');
  const v = device.getVariable('ups.delay.start')!;
  assert.ok(v.flags.rw && v.flags.string);
  assert.is(v.aux, 10);
  const noPath = setup(ROWS, FIELDS.filter((f) => !f.path.endsWith('DelayBeforeStartup')), VALUES());
  noPath.mapper.init(noPath.read);
  assert.is(noPath.device.getInfo('ups.delay.start'), undefined);
});

test('ups.conf lowbatt / ondelay / offdelay replace the published values (strtol)', () => {
  const { device, mapper, read } = setup(ROWS, FIELDS, VALUES(), { lowBatt: '25%', onDelay: '120', offDelay: '60' });
  mapper.init(read);
  assert.is(device.getInfo('battery.charge.low'), '25');
  assert.is(device.getInfo('ups.delay.start'), '120');
  assert.is(device.getInfo('ups.delay.shutdown'), '60');
});

test('flags, enum values, commands (incl. the composite ones), identity', () => {
  const device = new Device('ups', new FakeClock());
  const mapper = new HidMapper(sub(ROWS), descriptorOf(FIELDS), device, {}, () => undefined, info(0x51d, 2, { product: 'P' }));
  const values = VALUES();
  mapper.init((f) => values[f.path]);
  assert.equal(device.getVariable('input.sensitivity')!.enums, ['low', 'medium', 'high']);
  assert.is(device.getInfo('input.sensitivity'), 'medium');
  assert.equal(device.commands(), ['beeper.disable', 'beeper.enable', 'load.off', 'load.off.delay', 'load.on', 'load.on.delay', 'shutdown.return', 'shutdown.stayoff', 'shutdown.stop', 'test.battery.start']);
  assert.is(device.getInfo('ups.mfr'), 'M');
  assert.is(device.getInfo('ups.vendorid'), '051d');
  assert.is(device.getInfo('ups.productid'), '0002');
});

test('walks: quick = QUICK_POLL rows; full skips STATIC and SEMI_STATIC until a write; status and alarms', () => {
  const { device, mapper, read, values } = setup(ROWS, FIELDS, VALUES());
  mapper.init(read);
  const paths = (w: 'init' | 'full' | 'quick') => mapper.fieldsFor(w).map((f) => f.path);
  assert.equal(paths('quick'), ['UPS.PowerSummary.DelayBeforeShutdown', 'UPS.PowerSummary.PresentStatus.ACPresent']);
  assert.not.ok(paths('full').includes('UPS.PowerSummary.Firmware'));
  assert.not.ok(paths('full').includes('UPS.PowerSummary.RemainingCapacityLimit'));
  assert.ok(paths('init').includes('UPS.PowerSummary.Firmware'));
  mapper.update('quick', read);
  assert.is(device.getInfo('ups.status'), 'OL');
  values['UPS.PowerSummary.PresentStatus.NeedReplacement'] = 1;
  values['UPS.PowerSummary.PresentStatus.Alarm2'] = 1;
  values['UPS.PowerSummary.Firmware'] = 4;
  mapper.update('quick', read);
  assert.is(device.getInfo('ups.status'), 'OL', 'the replace-battery bit is not a quick row');
  mapper.update('full', read);
  assert.is(device.getInfo('ups.status'), 'ALARM OL RB');
  assert.is(device.getInfo('ups.alarm'), 'Output short circuit! Replace battery!');
  assert.is(device.getInfo('ups.firmware'), '3', 'STATIC: read at init only');
  values['UPS.PowerSummary.PresentStatus.NeedReplacement'] = 0;
  values['UPS.PowerSummary.PresentStatus.Alarm2'] = 0;
  mapper.update('full', read);
  assert.is(device.getInfo('ups.status'), 'OL');
  assert.is(device.getInfo('ups.alarm'), undefined);
  assert.not.ok(mapper.wantsFullWalk);
  mapper.setWrites('battery.charge.low', '20');
  assert.ok(mapper.wantsFullWalk);
  assert.ok(paths('full').includes('UPS.PowerSummary.RemainingCapacityLimit'), 'SEMI_STATIC after a write');
  values['UPS.PowerSummary.RemainingCapacityLimit'] = 20;
  mapper.update('full', read);
  assert.is(device.getInfo('battery.charge.low'), '20');
  assert.not.ok(mapper.wantsFullWalk);
});

test('interrupt Input fields update the row reading the same path, and ups.status at once', () => {
  const { device, mapper, read } = setup(ROWS, FIELDS, VALUES());
  mapper.init(read);
  mapper.update('quick', read);
  const input = { ...FIELDS[9]!, type: 'Input' as const };
  mapper.input([input, field('UPS.Unmapped', 40, { type: 'Input' })], () => 0);
  assert.is(device.getInfo('ups.status'), 'OB');
  mapper.input([{ ...FIELDS[0]!, type: 'Input' }], () => 1200);
  assert.is(device.getInfo('battery.runtime'), '1200');
});

test('commandWrites: defaults, parameters, renames, fallbacks, errors', () => {
  const { device, mapper, read } = setup(ROWS, FIELDS, VALUES());
  mapper.init(read);
  const w = (c: string, p?: string) => {
    const r = mapper.commandWrites(c, p);
    return Array.isArray(r) ? r.map((x) => [x.field.path.split('.').pop(), x.value, x.pauseAfterMs]) : r;
  };
  assert.equal(w('load.off.delay'), [['DelayBeforeShutdown', 20, undefined]]);
  assert.equal(w('load.off.delay', '45'), [['DelayBeforeShutdown', 45, undefined]]);
  assert.equal(w('shutdown.stop'), [['DelayBeforeShutdown', -1, undefined]]);
  assert.equal(w('load.off'), [['DelayBeforeShutdown', 0, undefined]]);
  assert.equal(w('load.on'), [['DelayBeforeStartup', 0, undefined]]);
  assert.equal(w('beeper.on'), [['AudibleAlarmControl', 2, undefined]]);
  assert.equal(w('beeper.off'), [['AudibleAlarmControl', 1, undefined]]);
  assert.equal(w('BEEPER.ENABLE'), [['AudibleAlarmControl', 2, undefined]]);
  assert.equal(w('shutdown.return'), [['DelayBeforeStartup', 30, 125], ['DelayBeforeShutdown', 20, undefined]]);
  device.setInfo('ups.delay.start', '90');
  assert.equal(w('shutdown.return'), [['DelayBeforeStartup', 90, 125], ['DelayBeforeShutdown', 20, undefined]]);
  assert.equal(w('shutdown.stayoff'), [['DelayBeforeStartup', -1, 125], ['DelayBeforeShutdown', 20, undefined]]);
  assert.is(mapper.commandWrites('test.battery.start', undefined), 'invalid-argument', 'parameter required');
  assert.equal(w('test.battery.start', '2'), [['Test', 2, undefined]]);
  assert.is(mapper.commandWrites('load.off.delay', 'soon'), 'invalid-argument', 'NUT would write 0 = now');
  assert.is(mapper.commandWrites('test.panel.start', undefined), 'unknown');
  assert.is(mapper.commandWrites('battery.charge', undefined), 'unknown', 'a variable is not a command');
});

test('commandWrites: shutdown.return sets ups.start.auto first when the device has it', () => {
  const rows: MappingRow[] = [...ROWS, { name: 'ups.start.auto', path: 'UPS.Auto', flags: { rw: true, string: 5 }, convert: 'yesNo' }];
  const { mapper, read } = setup(rows, [...FIELDS, field('UPS.Auto', 30, { logMin: 0, logMax: 1 })], { ...VALUES(), 'UPS.Auto': 0 });
  mapper.init(read);
  const r = mapper.commandWrites('shutdown.return', undefined);
  assert.ok(Array.isArray(r));
  assert.equal(r.map((x) => [x.field.path, x.value]), [['UPS.Auto', 1], ['UPS.PowerSummary.DelayBeforeStartup', 30], ['UPS.PowerSummary.DelayBeforeShutdown', 20]]);
  const s = mapper.commandWrites('shutdown.stayoff', undefined);
  assert.ok(Array.isArray(s));
  assert.equal(s[0]!.value, 0);
});

test('commandWrites: a device counting minutes gets delays rounded up to whole minutes (CyberPower)', () => {
  const { mapper, read } = setup(ROWS, FIELDS, VALUES(), {}, { delaysInMinutes: true });
  mapper.init(read);
  const v = (c: string, p?: string) => {
    const r = mapper.commandWrites(c, p);
    return Array.isArray(r) ? r.map((x) => x.value) : r;
  };
  assert.equal(v('load.off.delay'), [60], '20 s would truncate to 0 = at once');
  assert.equal(v('load.off.delay', '60'), [60]);
  assert.equal(v('load.off.delay', '61'), [120]);
  assert.equal(v('load.off'), [0]);
  assert.equal(v('shutdown.stop'), [-1]);
  assert.equal(v('beeper.enable'), [2], 'not a delay');
});

test('setWrites: RW rows only; ABSENT set in memory; string length, range and enum checked', () => {
  const { device, mapper, read } = setup(ROWS, FIELDS, VALUES());
  mapper.init(read);
  const s = (n: string, v: string) => {
    const r = mapper.setWrites(n, v);
    return Array.isArray(r) ? r.map((x) => [x.field.path.split('.').pop(), x.value]) : r;
  };
  assert.equal(s('battery.charge.low', '20'), [['RemainingCapacityLimit', 20]]);
  assert.is(s('battery.charge.low', '101'), 'invalid-argument', 'outside 0..100');
  assert.is(s('battery.charge.low', 'lots'), 'invalid-argument');
  assert.is(s('battery.charge.low', '12345678901'), 'invalid-argument', 'STRING:10');
  assert.equal(s('input.sensitivity', 'high'), [['Sensitivity', 2]]);
  assert.is(s('input.sensitivity', 'extreme'), 'invalid-argument');
  assert.equal(s('ups.delay.shutdown', '90'), []);
  assert.is(device.getInfo('ups.delay.shutdown'), '90');
  assert.is(s('ups.delay.shutdown', 'later'), 'invalid-argument');
  assert.is(s('battery.runtime', '5'), 'unknown', 'not writable');
  assert.is(s('no.such.var', '5'), 'unknown');
  assert.is(s('load.off.delay', '5'), 'unknown', 'a command is not a variable');
});

test('forDevice: VID:PID tables in usbhid-ups order, "possibly" needs productid, generic last, error names the id', () => {
  const name = (vid: number, pid: number, productIdGiven = false, extra: Partial<HidDeviceInfo> = {}) => HidMapper.forDevice(info(vid, pid, extra), { productIdGiven }).name;
  assert.is(name(0x051d, 0x0002), 'apc');
  assert.is(name(0x0764, 0x0501), 'cps');
  assert.is(name(0x0483, 0xa430), 'cps');
  assert.is(name(0x0483, 0xa113), 'ever');
  assert.is(name(0x0463, 0xffff), 'mge');
  assert.is(name(0x09ae, 0x2012), 'tripplite');
  assert.is(name(0x03f0, 0x1fe5), 'mge');
  assert.is(name(0x03f0, 0x1f06), 'tripplite');
  assert.is(name(0x06da, 0xffff), 'liebert');
  assert.is(name(0x06da, 0xffff, false, { manufacturer: 'AEG Power Solutions' }), 'mge');
  assert.is(name(0x050d, 0x0980), 'belkin');
  assert.is(name(0x0d9f, 0x0004), 'powercom');
  assert.is(name(0x051d, 0x1234, true), 'apc', 'possibly supported, productid given');
  assert.throws(() => name(0x051d, 0x1234), /051d:1234.*productid = 1234/);
  assert.throws(() => name(0x09ae, 0x0001, true), /09ae:0001/, 'Tripp Lite serial-over-USB is never HID');
  assert.is(name(0x1234, 0x5678, true), 'generic');
  assert.throws(() => name(0x1234, 0x5678), /1234:5678/);
  assert.throws(() => name(0x1234, 0x5678, true, { usagePage: 0x01 }), /does not look like/);
});

test('quirks by exact id: APC 5G poll only, CyberPower 0501 checks, Tripp Lite scale and skipped report', () => {
  const q = (vid: number, pid: number) => {
    const i = info(vid, pid);
    return new HidMapper(HidMapper.forDevice(i), descriptorOf([]), new Device('u', new FakeClock()), {}, () => undefined, i).quirks;
  };
  assert.equal(q(0x051d, 0x0003), { pollOnly: true });
  assert.equal(q(0x051d, 0x0002), {});
  assert.equal(q(0x0764, 0x0501), { batteryVoltageCheck: true, frequencyCheck: true });
  assert.equal(q(0x09ae, 0x2012).scale, { battery: 0.1 });
  assert.equal(q(0x09ae, 0x1330).skipReports, [0x54]);
});

test.run();
