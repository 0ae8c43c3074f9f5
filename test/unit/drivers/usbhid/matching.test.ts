import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DriverConfigError } from '../../../../src/drivers/driver.js';
import type { HidDeviceInfo } from '../../../../src/drivers/usbhid/hid-types.js';
import { compileMatcher, matchDevice, parseMatchConfig, sameDevice } from '../../../../src/drivers/usbhid/transport/matching.js';
import { sectionOf, type Lines } from '../helpers.js';

const APC: HidDeviceInfo = {
  vendorId: 0x051d,
  productId: 0x0002,
  manufacturer: 'American Power Conversion',
  product: 'Back-UPS ES 700G FW:871.O2 .I USB FW:O2 ',
  serial: '3B1234X56789',
  release: 0x0106,
  path: '/dev/hidraw3',
  bus: '001',
  device: '004',
  usagePage: 0x84,
  usage: 0x04,
};

const m = (info: HidDeviceInfo, options: Parameters<typeof compileMatcher>[0]) => matchDevice(info, options);

test('no option matches every device (port = auto alone)', () => {
  assert.ok(m(APC, {}));
});

test('vendorid/productid: 4 hex digits, case-insensitive, whole-string', () => {
  assert.ok(m(APC, { vendorid: '051D' }));
  assert.ok(m(APC, { vendorid: '051d', productid: '0002' }));
  assert.ok(m(APC, { vendorid: '05.d' }), 'a regular expression');
  assert.ok(m(APC, { productid: '000[0-9]' }));
  assert.not.ok(m(APC, { productid: '0003' }));
  assert.not.ok(m(APC, { vendorid: '05[0-9a-f]' }), 'anchored at the end: a prefix is not a match');
  assert.not.ok(m(APC, { vendorid: '[0-9a-f]1d' }), 'anchored at the start');
  assert.ok(m(APC, { vendorid: '051d|0764' }), 'alternation covers the whole string');
  assert.ok(m({ ...APC, vendorId: 0x0764 }, { vendorid: '051d|0764' }));
});

test('vendor/product/serial: regexes over the whole string, blanks around the device string ignored', () => {
  assert.ok(m(APC, { vendor: 'American Power Conversion' }));
  assert.ok(m(APC, { vendor: 'american power conversion' }), 'REG_ICASE');
  assert.not.ok(m(APC, { vendor: 'American' }), 'must cover the whole string');
  assert.ok(m(APC, { vendor: 'American.*' }));
  assert.ok(m(APC, { product: 'Back-UPS ES 700G FW:871.O2 .I USB FW:O2' }), 'the trailing space of the device string is trimmed');
  assert.ok(m(APC, { product: 'Back-UPS.*' }));
  assert.not.ok(m(APC, { product: 'Back-UPS ES 700G FW:871.O2 .I USB FW:O2 ' }), 'the option is not trimmed: its space has nothing to match');
  assert.ok(m(APC, { serial: '3B1234X56789' }));
  assert.not.ok(m(APC, { serial: '3B1234X5678' }));
  assert.ok(m(APC, { serial: '[[:alnum:]]+' }), 'POSIX bracket classes');
  assert.not.ok(m(APC, { serial: '[[:digit:]]+' }));
});

test('a device without a serial has "" to match: serial = x fails, serial = .* matches', () => {
  const noSerial = { ...APC, serial: undefined };
  assert.not.ok(m(noSerial, { serial: 'x' }));
  assert.ok(m(noSerial, { serial: '.*' }));
  assert.ok(m(noSerial, { serial: '' }));
});

test('bus and device: 3-digit numbers as regexes', () => {
  assert.ok(m(APC, { bus: '001' }));
  assert.not.ok(m(APC, { bus: '1' }), 'NUT formats the bus as %03d');
  assert.ok(m(APC, { bus: '00[12]' }));
  assert.ok(m(APC, { device: '004' }));
  assert.not.ok(m({ ...APC, bus: undefined }, { bus: '001' }), 'unknown bus: ""');
});

test('every option must match', () => {
  assert.ok(m(APC, { vendorid: '051d', serial: '3B.*', bus: '001' }));
  assert.not.ok(m(APC, { vendorid: '051d', serial: '3B.*', bus: '002' }));
});

test('ERE as glibc reads it: escapes outside brackets, a backslash inside brackets is literal', () => {
  assert.ok(m({ ...APC, product: 'UPS (USB)' }, { product: 'UPS \\(USB\\)' }));
  assert.ok(m({ ...APC, product: 'a\\b' }, { product: 'a[\\]b' }), 'bracket: backslash is itself');
  assert.throws(() => m({ ...APC, product: '1' }, { product: '\\d' }), /\\d has no meaning/, 'glibc has no \\d: refused');
  assert.ok(m({ ...APC, product: 'a]' }, { product: 'a[]]' }), '] first in a bracket is literal');
  assert.ok(m({ ...APC, product: 'x y' }, { product: 'x\\sy' }), 'glibc \\s');
});

test('sameDevice: NUT exact matcher (ids and strings, not path or bus)', () => {
  assert.ok(sameDevice(APC, { ...APC, path: '/dev/hidraw7', bus: '003' }));
  assert.not.ok(sameDevice(APC, { ...APC, serial: 'other' }));
  assert.not.ok(sameDevice(APC, { ...APC, productId: 3 }));
});

const section = (lines: Lines) => sectionOf([['driver', 'usbhid-ups'], ['port', 'auto'], ...lines]);

function configError(lines: Lines, pattern: RegExp): void {
  try {
    parseMatchConfig(section(lines), '/etc/nut');
  } catch (e) {
    assert.instance(e, DriverConfigError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(lines)}`);
}

test('parseMatchConfig: the options of the section, later lines winning, keys of any case', () => {
  const c = parseMatchConfig(section([['vendorid', '0764'], ['VendorID', '051d'], ['serial', '3B.*']]), '/etc/nut');
  assert.equal(c.matcher.options, { vendorid: '051d', serial: '3B.*' });
  assert.ok(c.matcher.matches(APC));
  assert.equal(c.port, { kind: 'auto' });
  assert.equal(c.warnings, []);
});

test('parseMatchConfig: errors name the ups.conf line', () => {
  configError([['serial', '(']], /^\/etc\/nut\/ups\.conf:4:3: \[ups1\] serial: invalid regular expression "\(".*accepted: an extended regular expression/);
  configError([['product', '[abc']], /:4:3: .*product: invalid regular expression "\[abc": unmatched \[/);
  configError([['serial', '[[:bogus:]]']], /unknown character class \[:bogus:\]/);
  configError([['serial']], /:4:3: \[ups1\] 'serial' needs a value \(serial = \.\.\.\)/);
  configError([['vendorid', '0x051d']], /:4:3: .*vendorid: NUT compares vendorid with 4 hex digits without 0x, so "0x051d" matches no device; write vendorid = 051D/);
  configError([['productid', '2']], /so "2" matches no device; write productid = 0002/);
});

test('port: auto, replay:<file> relative to the config folder, anything else warned about and ignored as NUT does', () => {
  const replay = parseMatchConfig(sectionOf([['driver', 'usbhid-ups'], ['port', 'replay:devs/apc.txt']]), '/etc/nut');
  assert.equal(replay.port, { kind: 'replay', file: '/etc/nut/devs/apc.txt' });
  const absolute = parseMatchConfig(sectionOf([['driver', 'usbhid-ups'], ['port', 'replay:/srv/apc.txt']]), '/etc/nut');
  assert.equal(absolute.port, { kind: 'replay', file: '/srv/apc.txt' });
  const odd = parseMatchConfig(sectionOf([['driver', 'usbhid-ups'], ['port', '/dev/usb/hiddev0']]), '/etc/nut');
  assert.equal(odd.port, { kind: 'auto' });
  assert.is(odd.warnings.length, 1);
  assert.match(odd.warnings[0]!, /^\/etc\/nut\/ups\.conf:3:3: \[ups1\] port = "\/dev\/usb\/hiddev0" is not used .*write port = auto/);
  try {
    parseMatchConfig(sectionOf([['driver', 'usbhid-ups'], ['port', 'replay:']]), '/etc/nut');
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /:3:3: \[ups1\] port = "replay:" names no file/);
  }
});

test.run();
