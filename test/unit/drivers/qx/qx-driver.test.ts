import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { configError, Harness } from '../helpers.js';
import { QxHarness } from './qx-harness.js';

const test = suite('nutdrv_qx / blazer_ser driver on a fake line and clock');

test('start: Q1, I, F; NUT\'s guesstimated voltage range and charge; delays and commands', async () => {
  const h = new QxHarness('nutdrv_qx');
  await h.start();
  assert.equal(h.sent.slice(0, 3), ['Q1', 'I', 'F']); // I first: it decides the subdriver, as NUT's claim does
  assert.is(h.get('battery.voltage.low'), '10.40');
  assert.is(h.get('battery.voltage.high'), '13.00');
  assert.is(h.get('battery.charge'), '100');
  assert.is(h.get('device.mfr'), 'SIMULATED');
  assert.is(h.get('ups.mfr'), undefined); // nutdrv_qx's megatec subdriver publishes device.mfr only
  assert.is(h.get('ups.delay.shutdown'), '30');
  assert.is(h.get('ups.delay.start'), '180');
  assert.is(h.device.getVariable('ups.delay.shutdown')?.flags.rw, true);
  assert.is(h.get('ups.status'), 'OL');
  assert.is(await h.cmd('shutdown.return'), 'success');
  assert.is(h.sent.at(-1), 'S.5R0003');
  assert.is(await h.cmd('test.battery.start', '20'), 'invalid-argument');
  assert.is(await h.cmd('nonsense'), 'unknown');
  await h.driver.stop();
});

test('nutdrv_qx on a unit without I: the plain Q1 subdriver, no F ratings and so no guessed charge', async () => {
  const h = new QxHarness('nutdrv_qx');
  h.state.info = undefined;
  await h.start();
  assert.is(h.get('driver.version.data'), 'Q1 0.07');
  assert.not.ok(h.sent.includes('F'));
  assert.is(h.get('input.voltage.nominal'), undefined);
  assert.is(h.get('battery.charge'), undefined);
  assert.is(h.get('ups.status'), 'OL');
  await h.driver.stop();
});

test('blazer_ser: ups.mfr/model, battery.voltage multiplied by the detected cells, ondelay in minutes', async () => {
  const h = new QxHarness('blazer_ser', [['ondelay', '2']]);
  h.state = { ...h.state, batteryVoltage: 2.27, ratedBatteryVoltage: 24, standby: false };
  await h.start();
  await h.run(2100);
  assert.is(h.get('ups.mfr'), 'SIMULATED');
  assert.is(h.get('battery.voltage'), '27.24');
  assert.is(h.get('ups.type'), 'online');
  assert.is(h.get('ups.delay.start'), '120');
  assert.is(h.device.getVariable('ups.delay.start')?.flags.rw, false);
  await h.driver.stop();
});

test('runtimecal: runtime drains on battery by load; charge follows', async () => {
  const h = new QxHarness('blazer_ser', [['runtimecal', '240,100,720,50']]);
  h.state.batteryVoltage = 13.8; // full
  await h.start();
  assert.is(h.get('battery.charge'), '100');
  Object.assign(h.state, { utilityFail: true, load: 100 });
  await h.run(60_000);
  // full-load runtime 240 s, minus about 60 s at 100 % load
  const runtime = Number(h.get('battery.runtime'));
  assert.ok(runtime >= 178 && runtime <= 184, String(runtime));
  assert.is(h.get('ups.status'), 'OB');
  await h.driver.stop();
});

test('garbage glued before a reply does not lose it; a silent UPS goes stale after NUT\'s retries', async () => {
  const h = new QxHarness('nutdrv_qx');
  await h.start();
  h.noise = '\x00#x(1';
  h.state.utilityFail = true;
  await h.run(2100);
  assert.is(h.get('ups.status'), 'OB');
  assert.is(h.device.availability(), 'ok');
  h.noise = '';
  h.silent = true;
  await h.run(6000); // two polls without a reply: NUT keeps the data for MAXTRIES
  assert.is(h.device.availability(), 'ok');
  await h.run(10_000);
  assert.is(h.device.availability(), 'stale');
  assert.ok(h.logs.some((l) => /communications with the UPS lost/.test(l)), h.logs.join('\n'));
  h.silent = false;
  await h.run(3100);
  assert.is(h.device.availability(), 'ok');
  await h.driver.stop();
});

test('a vanished adapter: stale at once, reopened with backoff, fresh again when it is back', async () => {
  const h = new QxHarness('nutdrv_qx');
  await h.start();
  await h.run(2100);
  assert.is(h.device.availability(), 'ok');
  h.unplug();
  await h.run(2100);
  assert.is(h.device.availability(), 'stale');
  assert.ok(h.logs.some((l) => /serial port lost/.test(l)), h.logs.join('\n'));
  await h.run(20_000);
  assert.is(h.device.availability(), 'stale');
  h.present = true;
  h.state.utilityFail = true;
  await h.run(35_000);
  assert.is(h.device.availability(), 'ok');
  assert.is(h.get('ups.status'), 'OB');
  await h.driver.stop();
});

test('an instant command during a poll waits its turn: neither takes the other\'s reply', async () => {
  const h = new QxHarness('nutdrv_qx');
  h.replyDelayMs = 500;
  await h.start();
  await h.run(2050); // the next poll's Q1 is out, its reply due in 450 ms
  assert.is(h.sent.at(-1), 'Q1');
  const failuresBefore = h.logs.length;
  assert.is(await h.cmd('beeper.toggle'), 'success'); // h.cmd moves the clock: the poll's reply comes meanwhile
  await h.run(2100);
  assert.ok(!h.logs.slice(failuresBefore).some((l) => /refused/.test(l)), h.logs.join('\n'));
  assert.is(h.device.availability(), 'ok');
  await h.driver.stop();
});

test('ups.conf errors name the line and what is accepted', async () => {
  await configError(() => new Harness([['driver', 'nutdrv_qx'], ['port', '/dev/ttyS0'], ['runtimecal', '240,100']]), /ups\.conf:4:3: runtimecal '240,100': insufficient/, /accepted/);
  await configError(() => new Harness([['driver', 'nutdrv_qx'], ['port', '/dev/ttyS0'], ['offdelay', '5']]), /ups\.conf:4:3: offdelay '5' out of range; accepted: 12\.\.600 seconds/);
  await configError(() => new Harness([['driver', 'blazer_ser'], ['port', '/dev/ttyS0'], ['protocol', 'zinto']]), /protocol 'zinto'.*accepted: megatec/);
  await configError(() => new Harness([['driver', 'blazer_ser'], ['port', '/dev/ttyS0'], ['pollfreq', '5']]), /'pollfreq' is not a valid variable name for driver blazer_ser/);
});

test.run();
