import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../../src/core/device.js';
import { readField } from '../../../../src/drivers/usbhid/codec.js';
import { parseReportDescriptor } from '../../../../src/drivers/usbhid/descriptor.js';
import type { HidField } from '../../../../src/drivers/usbhid/hid-types.js';
import { HidMapper } from '../../../../src/drivers/usbhid/mapping/index.js';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import { usageNames, type VendorSubdriver } from '../../../../src/drivers/usbhid/usage-names.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const FIXTURES = new URL('../../../fixtures/hid/', import.meta.url).pathname;

/**
 * Where our published variables may differ from the fixture's [upsc], and why. driver.* and
 * device.* are the framework's (driver-core.ts), not the mapper's.
 */
const PLATFORM_DIFFERENCES: Record<string, string> = {
  // iDeviceChemistry is USB string index 4; hidraw gives only the enumeration strings, so the
  // real driver cannot read it (NUT over libusb can). The test's `strings` answers like hidraw.
  'battery.type': 'USB string index 4 is not readable through hidraw',
};

async function apcRun(strings: (i: number) => string | undefined) {
  const rec = await loadRecording(join(FIXTURES, 'apc-back-ups-500.txt'));
  const sub = HidMapper.forDevice(rec.device);
  const descriptor = parseReportDescriptor(rec.descriptor, usageNames(sub.name as VendorSubdriver));
  const reports = new Map<number, Buffer>();
  for (const r of rec.featureReads) reports.set(r[0]!, r);
  const read = (f: HidField): number | undefined => {
    const report = reports.get(f.reportId);
    return report ? readField(f, report) : undefined;
  };
  const device = new Device('ups', new FakeClock());
  const mapper = new HidMapper(sub, descriptor, device, {}, strings, rec.device);
  mapper.init(read);
  mapper.update('full', read);
  return { rec, device, mapper, sub };
}

test('APC Back-UPS 500: the published variables equal the fixture upsc (driver.*, device.* and documented differences aside)', async () => {
  const { rec, device, sub } = await apcRun(() => undefined);
  assert.is(sub.name, 'apc');
  const expected = rec.upsc!.filter(([n]) => !n.startsWith('driver.') && !n.startsWith('device.') && !(n in PLATFORM_DIFFERENCES));
  const actual = device.variables().map((v) => [v.name, v.value] as [string, string]).filter(([n]) => !(n in PLATFORM_DIFFERENCES));
  assert.equal(actual, expected);
  assert.is(device.getInfo('battery.type'), undefined, 'hidraw cannot read string 4: nothing published, not a guess');
});

test('APC Back-UPS 500: with string descriptors (libusb) battery.type is PbAc as in the fixture', async () => {
  const { rec, device } = await apcRun((i) => (i === 4 ? 'PbAc' : undefined));
  assert.is(device.getInfo('battery.type'), rec.upsc!.find(([n]) => n === 'battery.type')![1]);
});

test('APC Back-UPS 500: commands, flags and driver.version.data as usbhid-ups publishes them', async () => {
  const { device, sub, mapper } = await apcRun(() => undefined);
  assert.is(sub.versionData, 'APC HID 0.98');
  // upscmd -l of the source report: shutdown.reboot, test.panel.start, test.panel.stop
  assert.equal(device.commands(), ['shutdown.reboot', 'test.panel.start', 'test.panel.stop']);
  assert.equal(device.getVariable('battery.charge.low')!.flags.rw, true);
  assert.is(device.getVariable('battery.charge.low')!.aux, 10);
  assert.equal(mapper.quirks, {});
  const reboot = mapper.commandWrites('shutdown.reboot', undefined);
  assert.ok(Array.isArray(reboot));
  assert.is(reboot[0]!.field.path, 'UPS.APCGeneralCollection.APCDelayBeforeReboot');
  assert.is(reboot[0]!.value, 10);
  assert.is(mapper.commandWrites('shutdown.return', undefined), 'unknown', 'no load.on.delay on this model');
});

test('APC Back-UPS 500: an interrupt report with ACPresent = 0 turns OL into OB at once', async () => {
  const { device, mapper } = await apcRun(() => undefined);
  const rec = await loadRecording(join(FIXTURES, 'apc-back-ups-500.txt'));
  const descriptor = parseReportDescriptor(rec.descriptor, usageNames('apc'));
  const input = descriptor.fields.filter((f) => f.type === 'Input' && f.reportId === 0x13);
  mapper.input(input, () => 0);
  assert.is(device.getInfo('ups.status'), 'OB');
});

test('CyberPower CST135UC2: the descriptor resolves the rows NUT uses for it', async () => {
  const rec = await loadRecording(join(FIXTURES, 'cyberpower-cst135uc2.txt'));
  const sub = HidMapper.forDevice(rec.device);
  assert.is(sub.name, 'cps');
  assert.is(sub.versionData, 'CyberPower HID 0.6');
  const descriptor = parseReportDescriptor(rec.descriptor, usageNames('cps'));
  const device = new Device('ups', new FakeClock());
  const mapper = new HidMapper(sub, descriptor, device, {}, () => undefined, rec.device);
  mapper.init(() => 0); // no values were captured: every field reads 0
  const paths = new Set(mapper.fieldsFor('init').map((f) => f.path));
  for (const p of [
    'UPS.PowerSummary.RemainingCapacity', 'UPS.PowerSummary.RunTimeToEmpty', 'UPS.PowerSummary.Voltage',
    'UPS.PowerSummary.PresentStatus.ACPresent', 'UPS.PowerSummary.PresentStatus.FullyCharged',
    'UPS.Input.Voltage', 'UPS.Output.Voltage', 'UPS.Output.PercentLoad', 'UPS.Output.Test',
    'UPS.Output.DelayBeforeShutdown', 'UPS.Output.DelayBeforeStartup', 'UPS.Output.Boost', 'UPS.Output.Overload',
    'UPS.Output.LowVoltageTransfer', 'UPS.Output.HighVoltageTransfer',
    // later NUT's CPSInputSensitivity / CPSFirmwareVersion: NUT 2.8.0's cps names lack them, so the
    // parser prints the usages as hex and the mapper's own vendor names find them
    'UPS.Output.ff010043', 'UPS.PowerSummary.ff0100d0',
  ]) {
    assert.ok(paths.has(p), `${p} resolves`);
  }
  // The delays count minutes: ABSENT defaults 120/60, and the composite commands exist.
  assert.is(device.getInfo('ups.delay.start'), '120');
  assert.is(device.getInfo('ups.delay.shutdown'), '60');
  for (const c of ['load.off', 'load.on', 'shutdown.return', 'shutdown.stayoff', 'test.battery.start.quick', 'shutdown.stop']) {
    assert.ok(device.hasCommand(c), c);
  }
  assert.equal(device.getVariable('input.sensitivity')!.enums, ['low', 'normal', 'high']);
  const ret = mapper.commandWrites('shutdown.return', undefined);
  assert.ok(Array.isArray(ret));
  assert.equal(ret.map((w) => [w.field.path, w.value, w.pauseAfterMs]), [
    ['UPS.Output.DelayBeforeStartup', 120, 125],
    ['UPS.Output.DelayBeforeShutdown', 60, undefined],
  ]);
});

test.run();
