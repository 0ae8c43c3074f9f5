import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { UpsConf } from '../../../src/conf/model.js';
import { parseUpsConf, writeUpsConf } from '../../../src/conf/ups-conf.js';
import { assertError, confError, withoutPositions } from './helpers.js';
import { ConfError } from '../../../src/conf/errors.js';
import { soup } from './helpers.js';

const parse = (s: string) => parseUpsConf(s, 'ups.conf');
const fail = (s: string) => confError(() => parse(s));
const section = (s: string, name = 'ups') => parse(s).sections.find((x) => x.name === name);

const SAMPLE = `# a typical set-up
maxretry = 3
pollinterval = 5

[dummy]
  driver = dummy-ups
  port = dummy.dev
  desc = "Crash \\"Dummy\\" \\#1"
  sdorder = -1
  nolock
  mode = dummy-once
  default.input.voltage.nominal = 230
  override.battery.charge.low = 30

[usb]
  driver=usbhid-ups
  port =auto
  pollinterval = 10
  maxretry = 2
  retrydelay = 0
  maxstartdelay = 120
  vendorid = 051d
  usb_set_altinterface
`;

test('reads globals, sections, well-known keys and driver keys', () => {
  const c = parse(SAMPLE);
  assert.is(c.file, 'ups.conf');
  assert.equal([c.pollinterval, c.maxretry, c.retrydelay, c.maxstartdelay], [5, 3, 5, 45]);
  assert.equal(c.globals.map((g) => [g.key, g.value]), [['maxretry', '3'], ['pollinterval', '5']]);
  const d = c.sections[0]!;
  assert.equal([d.name, d.driver, d.port, d.desc, d.sdorder], ['dummy', 'dummy-ups', 'dummy.dev', 'Crash "Dummy" #1', -1]);
  assert.equal(d.entries.map((e) => [e.key, e.value]), [
    ['driver', 'dummy-ups'],
    ['port', 'dummy.dev'],
    ['desc', 'Crash "Dummy" #1'],
    ['sdorder', '-1'],
    ['nolock', undefined],
    ['mode', 'dummy-once'],
    ['default.input.voltage.nominal', '230'],
    ['override.battery.charge.low', '30'],
  ]);
  const u = c.sections[1]!;
  assert.equal([u.driver, u.port, u.pollinterval, u.maxretry, u.retrydelay, u.maxstartdelay], ['usbhid-ups', 'auto', 10, 2, 0, 120]);
  assert.equal(u.entries.at(-1), { key: 'usb_set_altinterface', value: undefined, pos: { file: 'ups.conf', line: 23, column: 3 } });
});

test('defaults apply when nothing is set', () => {
  const c = parse('[ups]\n driver = x\n port = y\n');
  assert.equal([c.pollinterval, c.maxretry, c.retrydelay, c.maxstartdelay], [2, 1, 5, 45]);
  const s = c.sections[0]!;
  assert.equal([s.sdorder, s.desc, s.pollinterval, s.maxretry, s.retrydelay, s.maxstartdelay], [0, undefined, undefined, undefined, undefined, undefined]);
});

test('an empty file or one with comments only has no sections', () => {
  assert.equal(parse('').sections, []);
  assert.equal(parse('# nothing\n\n').sections, []);
});

test('positions point at the header and at each key', () => {
  const s = section('\n  [ups]\n\tdriver = x\n')!;
  assert.equal(s.pos, { file: 'ups.conf', line: 2, column: 3 });
  assert.equal(s.entries[0]?.pos, { file: 'ups.conf', line: 3, column: 2 });
});

test('a repeated section is merged into the first, later values winning', () => {
  const c = parse('[a]\n driver = x\n port = p1\n[b]\n driver = y\n port = q\n[a]\n port = p2\n desc = later\n');
  assert.equal(c.sections.map((s) => s.name), ['a', 'b']);
  const a = c.sections[0]!;
  assert.equal([a.driver, a.port, a.desc], ['x', 'p2', 'later']);
  assert.equal(a.entries.map((e) => e.key), ['driver', 'port', 'port', 'desc']);
});

test('section names differing only in case are an error (upsd would drop one)', () => {
  assertError(fail('[ups]\n driver = x\n[UPS]\n'), 'ups.conf:3:1', '[UPS] differs from [ups] (line 1)');
});

test('a section lacking driver or port is kept in the model', () => {
  const s = section('[ups]\n desc = "half done"\n')!;
  assert.equal([s.driver, s.port, s.desc], [undefined, undefined, 'half done']);
});

test('the reserved-looking name "default" is accepted, as NUT 2.8.0 does', () => {
  assert.is(section('[default]\n driver = x\n port = y\n', 'default')?.driver, 'x');
});

test('keys are case-sensitive: a miscased well-known key is an error with the right spelling', () => {
  assertError(fail('[ups]\n  Driver = x\n'), 'ups.conf:2:3', '"Driver"', 'write driver');
  assertError(fail('Pollinterval = 3\n'), 'ups.conf:1:1', 'write pollinterval');
});

test('any other key is kept for the driver, case and all', () => {
  const s = section('[ups]\n Mode = x\n __proto__ = y\n constructor\n')!;
  assert.equal(s.entries.map((e) => [e.key, e.value]), [['Mode', 'x'], ['__proto__', 'y'], ['constructor', undefined]]);
  assert.is(({} as Record<string, unknown>)['y'], undefined);
});

test('a two-word line has no "=": error with the fix and the accepted forms', () => {
  assertError(
    fail('[ups]\n  driver = x\n\n\n\n\n  port /dev/ttyS0\n'),
    'ups.conf:7:3',
    '"port /dev/ttyS0" has no "="',
    'write "port = /dev/ttyS0"',
    'a line is "key = value", a bare flag, or "[upsname]"',
  );
});

test('key value value without "=" is an error', () => {
  assertError(fail('[ups]\n desc My UPS\n'), 'ups.conf:2:2', 'has no "="', 'desc = "My UPS"');
});

test('"key =" without a value is an error', () => {
  assertError(fail('[ups]\n port =\n'), 'ups.conf:2:2', 'has no value', 'an empty value is written ""');
});

test('an empty value written as "" is kept', () => {
  assert.is(section('[ups]\n desc = ""\n')?.desc, '');
});

test('words after the value: NUT keeps only the first, we stop and say how to quote', () => {
  assertError(fail('[ups]\n  desc = My UPS\n'), 'ups.conf:2:13', 'NUT keeps only "My"', 'desc = "My UPS"');
  assertError(fail('[ups]\n  password = 123=123\n'), 'ups.conf:2:17', 'NUT keeps only "123"', 'password = "123=123"');
});

test('the continuation quirk where a value is expected is an error', () => {
  assertError(fail('[ups]\n port = \\\n   /dev/ttyS0\n'), 'ups.conf:2:9', 'empty word');
});

test('a line starting with "=" or an empty key is an error', () => {
  assertError(fail('[ups]\n = x\n'), 'ups.conf:2:2', 'starts with "="');
  assertError(fail('[ups]\n "" = x\n'), 'ups.conf:2:2', 'key is empty');
});

test('section header problems: extra words, spaces, missing bracket, bad names', () => {
  assertError(fail('[ups] driver = x\n'), 'ups.conf:1:7', 'stands alone on its line');
  assertError(fail('[my ups]\n'), 'ups.conf:1:1', 'cannot contain spaces', 'write [my_ups]');
  assertError(fail('[ups\n'), 'ups.conf:1:1', 'bracket missing', 'write [ups]');
  assertError(fail('ups]\n'), 'ups.conf:1:1', 'bracket missing', 'write [ups]');
  assertError(fail('[]\n'), 'ups.conf:1:1', 'UPS name is empty');
  assertError(fail('[a@b]\n'), 'ups.conf:1:1', 'contains "@"', 'name@host');
  assertError(fail('"[my ups]"\n'), 'ups.conf:1:1', 'contains " "');
});

test('flags: nolock, ignorelb, allow_killpower take no value (NUT ignores it, even "no")', () => {
  assert.equal(section('[ups]\n nolock\n ignorelb\n allow_killpower\n')?.entries.map((e) => e.value), [undefined, undefined, undefined]);
  assertError(fail('[ups]\n  nolock = no\n'), 'ups.conf:2:12', 'bare flag', 'even "no"');
  assertError(fail('nowait = no\n'), 'ups.conf:1:10', 'bare flag');
  assert.equal(parse('nowait\n').globals, [{ key: 'nowait', value: undefined, pos: { file: 'ups.conf', line: 1, column: 1 } }]);
});

test('keys that need a value are an error as bare flags', () => {
  assertError(fail('[ups]\n driver\n'), 'ups.conf:2:2', '"driver" needs a value', 'driver = <driver program>');
  assertError(fail('[ups]\n sdorder\n'), 'ups.conf:2:2', 'needs a value');
  assertError(fail('pollinterval\n'), 'ups.conf:1:1', 'needs a value');
  assertError(fail('[ups]\n default.input.voltage.nominal\n'), 'ups.conf:2:2', 'needs a value');
});

test('driver and port cannot be empty', () => {
  assertError(fail('[ups]\n driver = ""\n'), 'ups.conf:2:11', 'driver is empty');
});

test('default. and override. need a variable name', () => {
  assertError(fail('[ups]\n override. = 3\n'), 'ups.conf:2:2', 'names no variable');
});

test('numbers must be whole and in range, with the range named', () => {
  assertError(fail('pollinterval = 0\n'), 'ups.conf:1:16', 'from 1 to 3600 seconds');
  assertError(fail('maxretry = 2x\n'), 'ups.conf:1:12', 'not a whole number', 'from 1 to 100');
  assertError(fail('[ups]\n sdorder = -2\n'), 'ups.conf:2:12', 'from -1 to 1000');
  assertError(fail('[ups]\n pollinterval = 99999\n'), 'ups.conf:2:17', 'out of range');
  assertError(fail('[ups]\n debug_min = x\n'), 'ups.conf:2:14', 'debug_min');
  assert.is(section('[ups]\n sdorder = 3\n')?.sdorder, 3);
});

test('synchronous accepts yes, no, auto only (NUT would read anything else as no)', () => {
  assert.equal(parse('synchronous = auto\n').globals[0]?.value, 'auto');
  assert.is(section('[ups]\n synchronous = yes\n')?.entries[0]?.value, 'yes');
  assertError(fail('synchronous = Yes\n'), 'ups.conf:1:15', 'accepted: yes, no, auto');
});

test('debug_min and statepath globals are accepted in any case', () => {
  assert.equal(parse('DEBUG_MIN = 2\nSTATEPATH = /run/nut\n').globals.map((g) => g.key), ['DEBUG_MIN', 'STATEPATH']);
});

test('unknown globals are an error listing the known ones', () => {
  assertError(fail('polling = 3\n'), 'ups.conf:1:1', 'unknown global setting "polling"', 'chroot, driverpath');
});

test('per-UPS keys before the first section are an error that says to move them', () => {
  assertError(fail('driver = x\n[ups]\n'), 'ups.conf:1:1', 'belongs in a [upsname] section');
  assertError(fail('nolock\n'), 'ups.conf:1:1', 'belongs in a [upsname] section');
});

test('known globals are kept as entries', () => {
  const c = parse('chroot = /x\ndriverpath = /lib/nut\nuser = nut\ngroup = nut\nLIBUSB_DEBUG = 3\n');
  assert.equal(c.globals.map((g) => g.key), ['chroot', 'driverpath', 'user', 'group', 'LIBUSB_DEBUG']);
});

test('a last line without newline still counts', () => {
  assert.equal(parse('[ups]\n driver = x\n nolock').sections[0]?.entries.map((e) => e.key), ['driver', 'nolock']);
});

test('write then parse gives the same configuration', () => {
  const c = parse(SAMPLE);
  const again = parseUpsConf(writeUpsConf(c), 'ups.conf');
  assert.equal(withoutPositions(again), withoutPositions(c));
});

test('the written text is canonical: globals, blank line, indented sections, bare flags', () => {
  const c = parse('maxretry=3\n[a]\ndriver=x\nport="/dev/my port"\nnolock\n[b]\ndriver=y\nport=z\n');
  assert.is(
    writeUpsConf(c),
    'maxretry = 3\n\n[a]\n  driver = x\n  port = "/dev/my port"\n  nolock\n\n[b]\n  driver = y\n  port = z\n',
  );
  assert.is(writeUpsConf(parse('')), '');
});

test('values that need quoting or escaping survive a round trip', () => {
  const values = ['My UPS', 'a=b', 'say "hi"', 'c:\\dos\\path', 'UPS #1', '', '[x]'];
  const c = parse('[ups]\n driver = x\n port = y\n');
  values.forEach((v, i) => c.sections[0]!.entries.push({ key: `k${i}`, value: v, pos: { file: '', line: 0, column: 0 } }));
  const again = parseUpsConf(writeUpsConf(c), 'ups.conf');
  assert.equal(again.sections[0]?.entries.slice(2).map((e) => e.value), values);
});

test('edits made through the typed fields are written', () => {
  const c: UpsConf = parse('pollinterval = 5\n[ups]\n driver = x\n port = y\n sdorder = 2\n');
  c.pollinterval = 2;
  c.maxretry = 4;
  const s = c.sections[0]!;
  s.port = '/dev/ttyUSB0';
  s.desc = 'Rack';
  s.sdorder = 0;
  s.pollinterval = 7;
  const again = parseUpsConf(writeUpsConf(c), 'ups.conf');
  assert.equal([again.pollinterval, again.maxretry], [2, 4]);
  const t = again.sections[0]!;
  assert.equal([t.driver, t.port, t.desc, t.sdorder, t.pollinterval], ['x', '/dev/ttyUSB0', 'Rack', 0, 7]);
});

test('the writer refuses what the format cannot carry', () => {
  const c = parse('[ups]\n driver = x\n port = y\n');
  c.sections[0]!.name = 'a b';
  assert.throws(() => writeUpsConf(c), RangeError);
  const d = parse('[ups]\n driver = x\n port = y\n');
  d.sections[0]!.desc = 'B\u00fcro';
  assert.throws(() => writeUpsConf(d), RangeError);
});

test('config soup never crashes: each input fails with a ConfError, or reads and round-trips', () => {
  let read = 0;
  const lines = [
    '[ups]', '[b]', '[__proto__]', 'driver = dummy-ups', 'port = "x y.dev"', 'desc = "a \\"b\\" \\#1"', 'sdorder = -1',
    'nolock', 'pollinterval = 4', 'maxretry = 2', 'retrydelay = 0', 'maxstartdelay = 9', 'mode = dummy-once',
    'override.battery.charge.low = 30', 'user = nut', '# comment', '', 'synchronous = auto', 'nowait',
  ];
  for (const text of soup(4000, 7, lines)) {
    let c: UpsConf;
    try {
      c = parse(text);
    } catch (e) {
      assert.instance(e, ConfError);
      continue;
    }
    read++;
    assert.equal(withoutPositions(parse(writeUpsConf(c))), withoutPositions(c), JSON.stringify(text));
  }
  assert.ok(read >= 500, `only ${read} inputs were readable`);
});

test.run();
