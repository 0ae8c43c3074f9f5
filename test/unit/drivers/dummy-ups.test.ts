import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Harness } from './helpers.js';

const dummy = (port: string, ...more: Array<[string, string?]>) =>
  new Harness([['driver', 'dummy-ups'], ['port', port], ...more]);

async function started(h: Harness): Promise<Harness> {
  await h.start();
  return h;
}

test('a nut-ddl style .dev file: values, comments and annotations as NUT reads them', async () => {
  const h = await started(dummy('line-interactive.dev'));
  assert.is(h.get('battery.charge'), '97');
  assert.is(h.get('battery.runtime'), '1260', 'inline #COMMENT remark is a comment');
  assert.is(h.get('ups.status'), 'OL CHRG');
  assert.is(h.get('ups.firmware'), 'FW 2.1 / build 7', 'words joined with single spaces');
  assert.is(h.get('ups.id'), 'Rack A "left"', 'quotes and escapes');
  assert.is(h.get('input.transfer.reason'), 'input voltage out of range');
  assert.is(h.get('ups.mfr'), 'Fixture Power');
  // driver.* lines of the dump are skipped: the driver's own values stay.
  assert.is(h.get('driver.name'), 'dummy-ups');
  assert.is(h.get('driver.version.internal'), '0.15');
  assert.is(h.get('driver.parameter.port'), 'line-interactive.dev');
  // #RW / #CMD annotations change nothing in 2.8.0: only load.off, and types from the table.
  assert.equal(h.device.commands(), ['load.off']);
  assert.is(h.type('battery.charge.low'), 'RW NUMBER');
  await h.stop();
});

test('variables before the file: Dummy Manufacturer, Dummy UPS, OL (RW STRING:32)', async () => {
  const h = await started(dummy('quirks.dev'));
  assert.is(h.get('ups.mfr'), 'Dummy Manufacturer');
  assert.is(h.type('ups.mfr'), 'RW STRING:32');
  assert.is(h.type('ups.model'), 'RW STRING:32');
  assert.is(h.type('ups.status'), 'RW STRING:32');
  assert.is(h.get('device.mfr'), 'Dummy Manufacturer', 'copied once to device.mfr');
  await h.stop();
});

test('reader quirks of dummy-ups 2.8.0 (checked against Debian 2.8.0)', async () => {
  const h = await started(dummy('quirks.dev'));
  const d = h.dump();
  // A name without a value reuses the value of the value line before it.
  assert.is(d['ups.firmware'], 'Big One');
  // driver.* lines skipped.
  assert.is(d['driver.version'], '2.8.0');
  // ups.status… (first 10 characters) sets the status; the later line wins.
  assert.is(d['ups.status'], 'OL');
  assert.is(d['ups.status.extra'], undefined);
  // Everything after the first ':' of the first word is cut.
  assert.is(d['battery.charge'], '%');
  // A # inside quotes is a parse error: the line is skipped, the rest of it read as a new line.
  assert.is(d['ups.contacts'], undefined);
  assert.is(d['inside'], 'quotes" tail: value');
  assert.is(d['a.b'], 'x y z');
  // An empty value deletes.
  assert.is(d['gone'], undefined);
  assert.is(d['input.sensitivity'], 'medium');
  await h.stop();
});

test('types from the table are applied when set; others get RW STRING:32', async () => {
  const h = await started(dummy('quirks.dev'));
  assert.is(h.type('input.sensitivity'), 'RW STRING:1');
  assert.is(h.type('battery.charge'), 'RW NUMBER');
  assert.is(h.type('a.b'), 'RW STRING:32');
  assert.is(await h.driver.setVariable('ups.serial', 'S1'), 'success');
  assert.is(h.type('ups.serial'), 'RW STRING:32', 'ups.serial is listed twice: the first entry (32) wins');
  await h.driver.setVariable('Ups.Id', 'rack');
  assert.is(h.type('ups.id'), 'RW STRING:16');
  assert.is(h.device.getVariable('ups.id')?.name, 'Ups.Id', 'name kept as first written');
  await h.driver.setVariable('ups.load', '12');
  assert.is(h.type('ups.load'), 'RW NUMBER');
  await h.driver.setVariable('new.thing', 'x y');
  assert.is(h.type('new.thing'), 'RW STRING:32');
  await h.stop();
});

test('types as Debian\'s 2.8.0 reports them for a nut-ddl style dump', async () => {
  const h = await started(dummy('line-interactive.dev'));
  // device.* lines of the file are ordinary variables to dummy-ups: writable strings of 32.
  assert.is(h.type('device.type'), 'RW STRING:32');
  assert.is(h.type('device.mfr'), 'RW STRING:32');
  assert.is(h.type('ups.firmware'), 'RW STRING:16');
  assert.is(h.type('input.transfer.reason'), 'RW STRING:1');
  assert.is(h.type('battery.runtime.low'), 'RW NUMBER');
  // What only the framework sets carries no flags.
  assert.is(h.type('driver.name'), 'NUMBER');
  assert.is(h.type('driver.parameter.port'), 'NUMBER');
  await h.stop();
});

test('SET: value, "" deletes, ups.status takes the whole value; always success', async () => {
  const h = await started(dummy('line-interactive.dev'));
  assert.is(await h.driver.setVariable('battery.charge', '50'), 'success');
  assert.is(h.get('battery.charge'), '50');
  assert.is(await h.driver.setVariable('ups.load', ''), 'success');
  assert.is(h.get('ups.load'), undefined);
  assert.is(await h.driver.setVariable('ups.status', 'OB LB'), 'success');
  assert.is(h.get('ups.status'), 'OB LB');
  assert.is(await h.driver.setVariable('ups.statusx', 'OL'), 'success');
  assert.is(h.get('ups.status'), 'OL');
  assert.is(h.get('ups.statusx'), undefined);
  await h.stop();
});

test('every instant command is refused as unknown, load.off included', async () => {
  const h = await started(dummy('line-interactive.dev'));
  assert.is(await h.driver.instcmd('load.off'), 'unknown');
  assert.is(await h.driver.instcmd('test.battery.start.quick'), 'unknown');
  assert.ok(h.logs.some((l) => l.includes('instcmd: unknown command [load.off]')));
  await h.stop();
});

test.run();
