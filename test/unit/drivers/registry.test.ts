import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { supportedDrivers } from '../../../src/drivers/registry.js';
import { configError, Harness } from './helpers.js';

test('supported drivers are listed by their ups.conf name', () => {
  assert.equal(supportedDrivers(), ['apcsmart', 'blazer_ser', 'dummy-ups', 'nutdrv_qx', 'snmp-ups', 'usbhid-ups']);
});

test('dummy-ups is built from its section', () => {
  const h = new Harness([['driver', 'dummy-ups'], ['port', 'flip.seq']]);
  assert.is(h.driver.driverName, 'dummy-ups');
});

test('usbhid-ups is built from its section (nothing is opened before start)', () => {
  const h = new Harness([['driver', 'usbhid-ups'], ['port', 'auto'], ['vendorid', '051D']]);
  assert.is(h.driver.driverName, 'usbhid-ups');
});

test('nutdrv_qx and blazer_ser are built from their sections (serialport is not loaded before start)', () => {
  for (const name of ['nutdrv_qx', 'blazer_ser']) {
    const h = new Harness([['driver', name], ['port', '/dev/ttyUSB0']]);
    assert.is(h.driver.driverName, name);
  }
});

test('an unsupported driver: the ups.conf line and the supported drivers', async () => {
  await configError(
    () => new Harness([['port', '/dev/ttyS0'], ['driver', 'bcmxcp']]),
    /^\/etc\/nut\/ups\.conf:3:3: \[ups1\]: driver 'bcmxcp' is not supported by upsgate; supported drivers: apcsmart, blazer_ser, dummy-ups, nutdrv_qx, snmp-ups, usbhid-ups$/,
  );
});

test('a section without driver: named, with the supported drivers', async () => {
  await configError(() => new Harness([['port', 'auto']]), /^\/etc\/nut\/ups\.conf:1:1: \[ups1\] has no 'driver'; supported drivers: apcsmart, blazer_ser, dummy-ups, nutdrv_qx, snmp-ups, usbhid-ups$/);
});

test.run();
