import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { supportedDrivers } from '../../../src/drivers/registry.js';
import { configError, Harness } from './helpers.js';

test('supported drivers are listed by their ups.conf name', () => {
  assert.equal(supportedDrivers(), ['apcsmart', 'dummy-ups', 'snmp-ups', 'usbhid-ups']);
});

test('dummy-ups is built from its section', () => {
  const h = new Harness([['driver', 'dummy-ups'], ['port', 'flip.seq']]);
  assert.is(h.driver.driverName, 'dummy-ups');
});

test('usbhid-ups is built from its section (nothing is opened before start)', () => {
  const h = new Harness([['driver', 'usbhid-ups'], ['port', 'auto'], ['vendorid', '051D']]);
  assert.is(h.driver.driverName, 'usbhid-ups');
});

test('an unsupported driver: the ups.conf line and the supported drivers', async () => {
  await configError(
    () => new Harness([['port', '/dev/ttyS0'], ['driver', 'blazer_ser']]),
    /^\/etc\/nut\/ups\.conf:3:3: \[ups1\]: driver 'blazer_ser' is not supported by upsgate; supported drivers: apcsmart, dummy-ups, snmp-ups, usbhid-ups$/,
  );
});

test('a section without driver: named, with the supported drivers', async () => {
  await configError(() => new Harness([['port', 'auto']]), /^\/etc\/nut\/ups\.conf:1:1: \[ups1\] has no 'driver'; supported drivers: apcsmart, dummy-ups, snmp-ups, usbhid-ups$/);
});

test.run();
