import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../src/core/device.js';
import { silentLogger } from '../../../src/core/logger.js';
import { MAX_DEFINITION_BYTES } from '../../../src/drivers/dummy/definition-file.js';
import { DummyUps } from '../../../src/drivers/dummy/dummy-ups.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { configError, FIXTURES, Harness, sectionOf, tempDir, type Lines } from './helpers.js';

const dummy = (lines: Lines, confDir?: string) =>
  new Harness([['driver', 'dummy-ups'], ...lines], confDir === undefined ? {} : { confDir });

async function reportedMode(lines: Lines, files: Record<string, string>): Promise<string | undefined> {
  const h = dummy(lines, tempDir(files));
  await h.start();
  const mode = h.get('driver.parameter.mode');
  await h.stop();
  return mode;
}

test('driver.parameter.mode: from the port name, or from mode (explicit dummy reports dummy-loop)', async () => {
  const files = { 'a.seq': 'x: 1\n', 'a.dev': 'x: 1\n', 'a.txt': 'x: 1\n', 'a.DEV': 'x: 1\n' };
  assert.is(await reportedMode([['port', 'a.seq']], files), 'dummy-loop');
  assert.is(await reportedMode([['port', 'a.dev']], files), 'dummy-once');
  assert.is(await reportedMode([['port', 'a.txt']], files), 'dummy');
  assert.is(await reportedMode([['port', 'a.DEV']], files), 'dummy', 'the suffix test is case-sensitive');
  assert.is(await reportedMode([['port', 'a.txt'], ['mode', 'dummy']], files), 'dummy-loop');
  assert.is(await reportedMode([['port', 'a.seq'], ['mode', 'dummy-once']], files), 'dummy-once');
  assert.is(await reportedMode([['port', 'a.dev'], ['mode', 'dummy-loop']], files), 'dummy-loop');
});

test('mode decides how the file is used: dummy-loop on a .dev replays it', async () => {
  const dir = tempDir({ 'x.dev': 'battery.charge: 100\n' });
  const h = dummy([['port', 'x.dev'], ['mode', 'dummy-loop']], dir);
  await h.start();
  await h.driver.setVariable('battery.charge', '1');
  await h.run(3000);
  assert.is(h.get('battery.charge'), '100');
  await h.stop();
});

test('repeater mode (port with @, or mode = repeater) needs a port of the form upsname[@hostname[:port]]', async () => {
  dummy([['port', 'myups@otherhost:3493']]);
  dummy([['port', 'myups@[::1]:3493']]);
  await configError(() => dummy([['port', '@otherhost']]), /:3:3: \[ups1\]: port '@otherhost' is not a UPS to repeat; accepted: upsname\[@hostname\[:port\]\]/);
  await configError(() => dummy([['port', 'ups@host:99999']]), /is not a UPS to repeat/);
  await configError(() => dummy([['port', 'ups@host:'], ['mode', 'repeater']]), /:3:3: .*is not a UPS to repeat/);
});

test('with an explicit dummy mode, a port containing @ is a file name', async () => {
  const dir = tempDir({ 'odd@name.dev': 'ups.model: At\n' });
  const h = dummy([['port', 'odd@name.dev'], ['mode', 'dummy-once']], dir);
  await h.start();
  assert.is(h.get('ups.model'), 'At');
  await h.stop();
});

test('an invalid mode is refused with the accepted ones (NUT lets it through by mistake)', async () => {
  await configError(
    () => dummy([['port', 'x.dev'], ['mode', 'Dummy-Once']]),
    /:4:3: mode 'Dummy-Once' is not a dummy-ups mode; accepted: dummy-loop, dummy-once, dummy, repeater/,
  );
});

test('relative port: against the configuration folder; absolute: as is', async () => {
  const h = dummy([['port', 'quirks.dev']]);
  await h.start();
  assert.is(h.get('ups.model'), 'Big One');
  await h.stop();
  const abs = dummy([['port', join(FIXTURES, 'quirks.dev')]], '/nonexistent');
  await abs.start();
  assert.is(abs.get('ups.model'), 'Big One');
  await abs.stop();
});

test('a missing file at start: DriverConfigError with the resolved path, nothing left published', async () => {
  const dir = tempDir();
  const h = dummy([['port', 'nothere.dev']], dir);
  await configError(() => h.start(), /:3:3: /, new RegExp(`${join(dir, 'nothere.dev')}: no such file`));
  assert.equal(h.device.variables(), []);
  assert.is(h.clock.pendingTimers(), 0);
});

test('a directory as port: DriverConfigError at start', async () => {
  const dir = tempDir();
  await configError(() => dummy([['port', dir]]).start(), new RegExp(`${dir}: it is not a regular file`));
});

test('a file over 4 MiB is refused with a clear error', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'huge.dev'), Buffer.alloc(MAX_DEFINITION_BYTES + 1, 0x20));
  await configError(() => dummy([['port', 'huge.dev']], dir).start(), /huge\.dev: it is larger than 4194304 bytes/);
});

test('constructed for another driver name: refused as NUT does', async () => {
  const clock = new FakeClock();
  const section = sectionOf([['driver', 'usbhid-ups'], ['port', 'x.dev']]);
  const ctx = { section, pollIntervalSeconds: 2, confDir: FIXTURES, device: new Device('u', clock), clock, log: silentLogger };
  await configError(() => new DummyUps(ctx), /:2:3: \[ups1\] is for driver usbhid-ups, not dummy-ups/);
});

test.run();
