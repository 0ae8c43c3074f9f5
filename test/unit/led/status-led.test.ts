// Device events -> one backend call per pattern change, coalesced, never throwing out.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../src/core/device.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { createLogger } from '../../../src/core/logger.js';
import type { LedBackend } from '../../../src/led/backend.js';
import { patternKey, type LedPattern } from '../../../src/led/patterns.js';
import { startStatusLed } from '../../../src/led/status-led.js';
import { FakeClock, flushMicrotasks } from '../../helpers/fake-clock.js';

const test = suite('led: status');

class RecordingLed implements LedBackend {
  readonly name = 'recording';
  readonly shown: string[] = [];
  closed = 0;
  failing = false;
  async show(p: LedPattern): Promise<void> {
    this.shown.push(patternKey(p));
    if (this.failing) throw new Error('EIO');
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

function setup(devices: Device[], flags = { shuttingDown: false, fault: false }) {
  const clock = new FakeClock();
  const backend = new RecordingLed();
  const lines: string[] = [];
  const table = new DeviceTable(devices);
  const led = startStatusLed({
    backend,
    devices: table,
    shuttingDown: () => flags.shuttingDown,
    fault: () => flags.fault,
    clock,
    log: createLogger('led', (level, _room, m) => lines.push(`${level} ${m}`)),
  });
  return { clock, backend, lines, table, led, flags };
}

function ups(clock: FakeClock, name: string, status: string): Device {
  const d = new Device(name, clock);
  d.driverConnected();
  d.setInfo('ups.status', status);
  return d;
}

test('shows the state at start, then only when the pattern changes', async () => {
  const clock = new FakeClock();
  const d = ups(clock, 'ups', 'OL');
  const h = setup([d]);
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on']);
  d.setInfo('battery.charge', '99');
  d.setInfo('ups.status', 'OL CHRG');
  await h.clock.advance(3000);
  assert.equal(h.backend.shown, ['on']);
  d.setInfo('ups.status', 'OB DISCHRG');
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '1000/1000']);
  await h.led.stop();
});

test('a burst of events in one turn costs one computation and one show of the final state', async () => {
  const clock = new FakeClock();
  const d = ups(clock, 'ups', 'OL');
  let computations = 0;
  const flags = {
    get shuttingDown() {
      computations++;
      return false;
    },
    fault: false,
  };
  const h = setup([d], flags);
  await flushMicrotasks();
  assert.is(computations, 1);
  d.setInfo('ups.status', 'OB');
  d.setInfo('ups.status', 'OB LB');
  d.setInfo('ups.status', 'OB');
  d.setInfo('ups.status', 'OB LB');
  await flushMicrotasks();
  assert.is(computations, 2);
  assert.equal(h.backend.shown, ['on', '200/200']);
  await h.led.stop();
});

test('shuttingDown() and fault() are seen within the 1 s recheck, and staleness by age', async () => {
  const h = setup([]);
  const d = new Device('ups', h.clock);
  d.driverConnected();
  d.setInfo('ups.status', 'OL');
  h.table.add(d);
  h.led.refresh();
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on']);
  h.flags.fault = true;
  await h.clock.advance(1000);
  assert.equal(h.backend.shown, ['on', '1700/300']);
  h.flags.fault = false;
  h.flags.shuttingDown = true;
  await h.clock.advance(1000);
  assert.equal(h.backend.shown, ['on', '1700/300', '50/50']);
  h.flags.shuttingDown = false;
  // No heartbeat from the driver: data ages out past MAXAGE, with nobody calling checkAvailability.
  await h.clock.advance(d.maxAgeMs);
  assert.equal(h.backend.shown, ['on', '1700/300', '50/50', 'on', '100/1900']);
  await h.led.stop();
});

test('FSD and lost drivers are seen through events, without waiting for the recheck', async () => {
  const clock = new FakeClock();
  const a = ups(clock, 'a', 'OL');
  const b = ups(clock, 'b', 'OL');
  const h = setup([a, b]);
  await flushMicrotasks();
  b.driverLost();
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '100/1900']);
  a.setFsd();
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '100/1900', '50/50']);
  await h.led.stop();
});

test('refresh after a reload follows the new devices and drops the old ones', async () => {
  const clock = new FakeClock();
  const old = ups(clock, 'old', 'OL');
  const h = setup([old]);
  await flushMicrotasks();
  const fresh = ups(clock, 'new', 'OB');
  h.table.replace([fresh]);
  h.led.refresh();
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '1000/1000']);
  old.setInfo('ups.status', 'OB LB');
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '1000/1000']);
  fresh.setInfo('ups.status', 'OB LB');
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '1000/1000', '200/200']);
  await h.led.stop();
});

test('a backend that throws: logged once per change, nothing thrown out, later changes still tried', async () => {
  const clock = new FakeClock();
  const d = ups(clock, 'ups', 'OL');
  const h = setup([d]);
  h.backend.failing = true;
  await flushMicrotasks();
  await h.clock.advance(5000);
  assert.equal(h.backend.shown, ['on']);
  assert.is(h.lines.filter((l) => l.startsWith('warn')).length, 1);
  assert.match(h.lines.find((l) => l.startsWith('warn'))!, 'could not show online: EIO');
  d.setInfo('ups.status', 'OB');
  await flushMicrotasks();
  assert.equal(h.backend.shown, ['on', '1000/1000']);
  assert.is(h.lines.filter((l) => l.startsWith('warn')).length, 2);
  await h.led.stop();
});

test('a flag getter that throws shows fault instead of stopping the LED', async () => {
  const clock = new FakeClock();
  const h = setup([ups(clock, 'ups', 'OL')]);
  await flushMicrotasks();
  Object.defineProperty(h.flags, 'fault', {
    get() {
      throw new Error('boom');
    },
  });
  await h.clock.advance(1000);
  assert.equal(h.backend.shown, ['on', '1700/300']);
  await h.led.stop();
});

test('stop: unsubscribes, cancels the recheck, closes the backend once', async () => {
  const clock = new FakeClock();
  const d = ups(clock, 'ups', 'OL');
  const h = setup([d]);
  await flushMicrotasks();
  await h.led.stop();
  await h.led.stop();
  assert.is(h.backend.closed, 1);
  assert.is(h.clock.pendingTimers(), 0);
  d.setInfo('ups.status', 'OB');
  await h.clock.advance(5000);
  assert.equal(h.backend.shown, ['on']);
});

test.run();
