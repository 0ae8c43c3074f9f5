// The LED shows the worst UPS: shutting-down > fault > low-battery > comm-lost > on-battery > online.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../src/core/device.js';
import { ledStateOf } from '../../../src/led/led-state.js';
import { LED_PATTERNS, patternKey } from '../../../src/led/patterns.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('led: state');

function ups(clock: FakeClock, status: string | undefined, name = 'ups'): Device {
  const d = new Device(name, clock);
  d.driverConnected();
  if (status !== undefined) d.setInfo('ups.status', status);
  return d;
}

const calm = { shuttingDown: false, fault: false };

test('one UPS: each status token set gives its state', () => {
  const clock = new FakeClock();
  assert.is(ledStateOf({ devices: [ups(clock, 'OL')], ...calm }), 'online');
  assert.is(ledStateOf({ devices: [ups(clock, 'OL CHRG')], ...calm }), 'online');
  assert.is(ledStateOf({ devices: [ups(clock, 'OB DISCHRG')], ...calm }), 'on-battery');
  assert.is(ledStateOf({ devices: [ups(clock, 'OB LB')], ...calm }), 'low-battery');
  // LB while on line power (charging after an outage) is not critical in NUT's sense.
  assert.is(ledStateOf({ devices: [ups(clock, 'OL LB')], ...calm }), 'online');
});

test('the worst UPS wins, in the documented order', () => {
  const clock = new FakeClock();
  const online = ups(clock, 'OL', 'a');
  const onBattery = ups(clock, 'OB', 'b');
  const low = ups(clock, 'OB LB', 'c');
  const stale = ups(clock, 'OL', 'd');
  stale.dataStale();
  assert.is(ledStateOf({ devices: [online, onBattery], ...calm }), 'on-battery');
  assert.is(ledStateOf({ devices: [online, onBattery, stale], ...calm }), 'comm-lost');
  assert.is(ledStateOf({ devices: [stale, low, onBattery], ...calm }), 'low-battery');
  assert.is(ledStateOf({ devices: [stale, low], shuttingDown: false, fault: true }), 'fault');
  assert.is(ledStateOf({ devices: [stale, low], shuttingDown: true, fault: true }), 'shutting-down');
  online.setFsd();
  assert.is(ledStateOf({ devices: [online, low], shuttingDown: false, fault: true }), 'shutting-down');
});

test('stale, aged-out and lost UPSes are comm-lost, and their last tokens are not trusted', async () => {
  const clock = new FakeClock();
  const flagged = ups(clock, 'OB LB');
  flagged.dataStale();
  assert.is(ledStateOf({ devices: [flagged], ...calm }), 'comm-lost');

  const aged = ups(clock, 'OL');
  assert.is(ledStateOf({ devices: [aged], ...calm }), 'online');
  await clock.advance(aged.maxAgeMs + 1);
  assert.is(aged.checkAvailability(), 'stale');
  assert.is(ledStateOf({ devices: [aged], ...calm }), 'comm-lost');

  const lost = ups(clock, 'OB');
  lost.driverLost();
  assert.is(ledStateOf({ devices: [lost], ...calm }), 'comm-lost');
  const never = new Device('never', clock);
  assert.is(ledStateOf({ devices: [never], ...calm }), 'comm-lost');
});

test('FSD from the driver (a repeated upsd) counts as shutting down', () => {
  const clock = new FakeClock();
  assert.is(ledStateOf({ devices: [ups(clock, 'FSD OB LB')], ...calm }), 'shutting-down');
});

test('no UPS: off, unless the gateway reports the fault', () => {
  assert.is(ledStateOf({ devices: [], ...calm }), 'off');
  assert.is(ledStateOf({ devices: [], shuttingDown: false, fault: true }), 'fault');
});

test('every state has its own pattern, and each fits the kernel timer trigger', () => {
  const keys = Object.values(LED_PATTERNS).map(patternKey);
  assert.is(new Set(keys).size, keys.length);
  for (const p of Object.values(LED_PATTERNS)) {
    if (typeof p === 'string') assert.ok(p === 'on' || p === 'off');
    else assert.ok(Number.isInteger(p.onMs) && Number.isInteger(p.offMs) && p.onMs > 0 && p.offMs > 0);
  }
  assert.equal(LED_PATTERNS['on-battery'], { onMs: 1000, offMs: 1000 });
  assert.equal(LED_PATTERNS['low-battery'], { onMs: 200, offMs: 200 });
  assert.is(LED_PATTERNS.online, 'on');
});

test.run();
