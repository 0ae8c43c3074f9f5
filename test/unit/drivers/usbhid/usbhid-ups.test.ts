// usbhid-ups end to end on a recorded device (the APC Back-UPS 500 capture) played back as if it
// were plugged in: the variables it publishes against NUT's upsc; OL -> OB -> LB -> OL by
// changing what the device reports and by interrupt reports; a command written as the right
// feature report; unplug and replug on another hidraw node, data stale meanwhile.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../../src/core/device.js';
import { createLogger } from '../../../../src/core/logger.js';
import type { DriverContext } from '../../../../src/drivers/driver.js';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import { ReplayBus } from '../../../../src/drivers/usbhid/transport/replay-bus.js';
import { UsbHidUps } from '../../../../src/drivers/usbhid/usbhid-ups.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { sectionOf, settle, type Lines } from '../helpers.js';

const FIXTURE = new URL('../../../fixtures/hid/apc-back-ups-500.txt', import.meta.url).pathname;

const test = suite('drivers/usbhid: usbhid-ups on a replayed APC Back-UPS 500');

async function harness(extra: Lines = []) {
  const recording = await loadRecording(FIXTURE);
  const bus = new ReplayBus(recording);
  const clock = new FakeClock();
  const section = sectionOf([['driver', 'usbhid-ups'], ['port', 'auto'], ['vendorid', '051D'], ...extra], 'apc');
  const device = new Device('apc', clock);
  const logs: string[] = [];
  const ctx: DriverContext = {
    section, pollIntervalSeconds: 2, confDir: '/tmp', device, clock,
    log: createLogger('test', (level, _r, m) => logs.push(`${level}: ${m}`), 'debug'),
  };
  const driver = new UsbHidUps(ctx, bus);
  let done = false;
  const started = driver.start().finally(() => (done = true));
  while (!done) {
    await settle(() => done || clock.pendingTimeouts() > 0);
    if (!done) await clock.advance(50);
  }
  await started;
  const run = async (ms: number): Promise<void> => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      await settle(() => clock.pendingTimeouts() > 0, 200);
      await clock.advance(Math.min(100, end - clock.now()));
    }
  };
  return { recording, bus, clock, device, driver, logs, run };
}

test('publishes what NUT published for this UPS (driver.* excepted; battery.type needs a USB string hidraw cannot read)', async () => {
  const h = await harness();
  try {
    const want = Object.fromEntries((h.recording.upsc ?? []).filter(([n]) => !n.startsWith('driver.') && n !== 'battery.type'));
    const got = Object.fromEntries(h.device.variables().filter((v) => !v.name.startsWith('driver.')).map((v) => [v.name, v.value]));
    assert.equal(got, want);
    assert.is(h.device.availability(), 'ok');
    assert.is(h.device.getInfo('driver.version.data'), 'APC HID 0.98');
  } finally {
    await h.driver.stop();
  }
});

test('OL -> OB -> OB LB -> OL, by feature polls and by interrupt reports', async () => {
  const h = await harness();
  try {
    assert.is(h.device.getInfo('ups.status'), 'OL');
    // ACPresent 0 and Discharging 1 (report 0x13, report 0x06), seen at the next quick walk.
    h.bus.setFeature('13 00');
    h.bus.setFeature('06 00 01 08');
    await h.run(2000);
    assert.is(h.device.getInfo('ups.status'), 'OB DISCHRG');
    // Low battery arrives as an interrupt report: published at once, without waiting for a poll.
    h.bus.setFeature('14 01 00');
    h.bus.emitInput('14 01 00');
    await settle(() => h.device.getInfo('ups.status') === 'OB DISCHRG LB', 200);
    assert.is(h.device.getInfo('ups.status'), 'OB DISCHRG LB');
    h.bus.setFeature('13 01');
    h.bus.setFeature('06 01 00 08');
    h.bus.setFeature('14 00 00');
    await h.run(2000);
    assert.is(h.device.getInfo('ups.status'), 'OL CHRG');
  } finally {
    await h.driver.stop();
  }
});

test('an instant command goes out as the right feature report', async () => {
  const h = await harness();
  try {
    const cmds = h.device.commands();
    assert.ok(cmds.includes('test.panel.start'), `commands: ${cmds.join(', ')}`);
    assert.is(await h.driver.instcmd('test.panel.start'), 'success');
    assert.equal(h.bus.sent().map((b) => b.toString('hex')), ['3501']);
    assert.is(await h.driver.instcmd('no.such.command'), 'unknown');
  } finally {
    await h.driver.stop();
  }
});

test('unplug: stale at once; replug on another hidraw node: fresh again within seconds, counted', async () => {
  const h = await harness();
  try {
    h.bus.unplug();
    await h.run(100);
    assert.is(h.device.availability(), 'stale', 'never served as fresh while the UPS is away');
    await h.run(3000);
    assert.is(h.device.availability(), 'stale');
    h.bus.replug({ path: '/dev/hidraw7' });
    await h.run(12_000);
    assert.is(h.device.availability(), 'ok');
    assert.is(h.device.getInfo('driver.state.usb.drops'), '1');
    assert.is(h.device.getInfo('driver.state.usb.recoveries'), '1');
    assert.is(h.device.getInfo('ups.status'), 'OL');
  } finally {
    await h.driver.stop();
  }
});

test('a section matching no attached UPS fails to start with what it looked for', async () => {
  const recording = await loadRecording(FIXTURE);
  const clock = new FakeClock();
  const section = sectionOf([['driver', 'usbhid-ups'], ['port', 'auto'], ['vendorid', '0764']], 'cps');
  const device = new Device('cps', clock);
  const driver = new UsbHidUps({ section, pollIntervalSeconds: 2, confDir: '/tmp', device, clock, log: createLogger('t', () => {}) }, new ReplayBus(recording));
  let error: Error | undefined;
  const p = driver.start().catch((e: Error) => (error = e));
  for (let i = 0; i < 200 && !error; i++) await clock.advance(100);
  await p;
  assert.match(String(error?.message), /\[cps\]: no matching HID UPS found \(vendorid = 0764\); run "upsgate scan"/);
  await driver.stop();
});

test.run();
