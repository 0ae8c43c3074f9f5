import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../src/core/device.js';
import { followStatusEvents } from '../../../src/mqtt-bridge/status-events.js';
import { FakeClock } from '../../helpers/fake-clock.js';

function setup(status = 'OL') {
  const clock = new FakeClock();
  const device = new Device('ups', clock, { maxAgeSeconds: 15 });
  device.setInfo('ups.status', status);
  device.driverConnected();
  device.checkAvailability();
  const events: string[] = [];
  const off = followStatusEvents(device, (type, message) => events.push(`${type}: ${message}`));
  return { clock, device, events, off };
}

test('the state found at start is not an event; OL -> OB -> OB LB -> OL raise ONBATT, LOWBATT, ONLINE with NUT texts', () => {
  const { device, events } = setup('OL');
  assert.equal(events, []);
  device.setInfo('ups.status', 'OB DISCHRG');
  device.setInfo('ups.status', 'OB DISCHRG LB');
  device.setInfo('ups.status', 'OL CHRG');
  assert.equal(events, ['ONBATT: UPS ups on battery', 'LOWBATT: UPS ups battery is low', 'ONLINE: UPS ups on line power']);
});

test('RB and the FSD latch are events; a token that stays is not raised again', () => {
  const { device, events } = setup('OL');
  device.setInfo('ups.status', 'OL RB');
  device.setInfo('ups.status', 'OL RB CHRG');
  device.setFsd();
  assert.equal(events, ['REPLBATT: UPS ups battery needs to be replaced', 'FSD: UPS ups: forced shutdown in progress']);
});

test('WAIT is no state: OL after WAIT at start is not ONLINE', () => {
  const { device, events } = setup('WAIT');
  device.setInfo('ups.status', 'OL');
  device.setInfo('ups.status', 'OB');
  assert.equal(events, ['ONBATT: UPS ups on battery']);
});

test('stale data raises COMMBAD, fresh data COMMOK; the status found after the gap is not news', async () => {
  const { clock, device, events } = setup('OL');
  await clock.advance(16_000);
  device.checkAvailability();
  assert.equal(events, ['COMMBAD: Communications with UPS ups lost']);
  device.setInfo('ups.status', 'OB');
  device.heartbeat();
  device.checkAvailability();
  assert.equal(events, ['COMMBAD: Communications with UPS ups lost', 'COMMOK: Communications with UPS ups established']);
  device.setInfo('ups.status', 'OL');
  assert.equal(events.at(-1), 'ONLINE: UPS ups on line power');
});

test('unsubscribing stops the events', () => {
  const { device, events, off } = setup('OL');
  off();
  device.setInfo('ups.status', 'OB');
  assert.equal(events, []);
});

test.run();
