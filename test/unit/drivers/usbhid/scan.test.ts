import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUpsConf } from '../../../../src/conf/ups-conf.js';
import type { HidBus, HidDeviceInfo } from '../../../../src/drivers/usbhid/hid-types.js';
import { loadRecording } from '../../../../src/drivers/usbhid/recording.js';
import { scanHid } from '../../../../src/drivers/usbhid/scan.js';
import { parseMatchConfig } from '../../../../src/drivers/usbhid/transport/matching.js';
import { ReplayBus } from '../../../../src/drivers/usbhid/transport/replay-bus.js';

const FIXTURES = new URL('../../../fixtures/hid/', import.meta.url).pathname;

/** Both fixtures on one bus, as if both UPSes were plugged in. */
async function twoUpses(): Promise<{ bus: HidBus; devices: HidDeviceInfo[] }> {
  const buses = await Promise.all(
    ['apc-back-ups-500.txt', 'cyberpower-cst135uc2.txt'].map(async (f) => new ReplayBus(await loadRecording(join(FIXTURES, f)))),
  );
  const bus: HidBus = {
    list: async () => (await Promise.all(buses.map((b) => b.list()))).flat(),
    open: (d) => buses.find((b) => b.device.path === d.path)!.open(d),
  };
  return { bus, devices: await bus.list() };
}

test('one nut-scanner -U style section per UPS, named nutdev1, nutdev2', async () => {
  const { bus } = await twoUpses();
  assert.is(
    await scanHid(bus),
    '[nutdev1]\n' +
      '\tdriver = "usbhid-ups"\n' +
      '\tport = "auto"\n' +
      '\tvendorid = "051D"\n' +
      '\tproductid = "0002"\n' +
      '\tproduct = "Back-UPS 500 FW: 6.5.I USB FW: c1"\n' +
      '\tserial = "AB0427\\\\*\\\\*\\\\*\\\\*\\\\*\\\\*"\n' +
      '\tvendor = "American Power Conversion"\n' +
      '[nutdev2]\n' +
      '\tdriver = "usbhid-ups"\n' +
      '\tport = "auto"\n' +
      '\tvendorid = "0764"\n' +
      '\tproductid = "0601"\n' +
      '\tproduct = "CST135UC2"\n' +
      '\tvendor = "CPS"\n',
  );
});

test('each printed section, read back as ups.conf, selects its own device and not the other', async () => {
  const { bus, devices } = await twoUpses();
  const conf = parseUpsConf(await scanHid(bus), '/etc/nut/ups.conf');
  assert.equal(conf.sections.map((s) => s.name), ['nutdev1', 'nutdev2']);
  conf.sections.forEach((section, i) => {
    const { matcher, warnings } = parseMatchConfig(section, '/etc/nut');
    assert.equal(warnings, []);
    assert.equal(devices.map((d) => matcher.matches(d)), devices.map((_, j) => j === i));
  });
});

test('bus is printed when known; regex characters and blanks of the strings never break the match', async () => {
  const odd: HidDeviceInfo = {
    vendorId: 0x0463, productId: 0xffff, manufacturer: ' EATON ', product: 'Ellipse (ECO) 650+ [USB]', serial: 'G3$x\\y"z',
    release: 0x0100, path: '/dev/hidraw2', bus: '003', usagePage: 0x84, usage: 0x04,
  };
  const bus: HidBus = { list: async () => [odd], open: async () => { throw new Error('not used'); } };
  const text = await scanHid(bus, { taken: ['nutdev1'] });
  assert.match(text, /^\[nutdev2\]\n/);
  assert.match(text, /\tbus = "003"\n$/);
  assert.match(text, /\tvendor = "EATON"\n/);
  const [section] = parseUpsConf(text, '/etc/nut/ups.conf').sections;
  const { matcher } = parseMatchConfig(section!, '/etc/nut');
  assert.ok(matcher.matches(odd));
  assert.not.ok(matcher.matches({ ...odd, bus: '001' }));
  assert.not.ok(matcher.matches({ ...odd, product: 'Ellipse ECO 650 USB' }));
});

test('nothing attached: nothing printed', async () => {
  const bus: HidBus = { list: async () => [], open: async () => { throw new Error('not used'); } };
  assert.is(await scanHid(bus), '');
});

test.run();
