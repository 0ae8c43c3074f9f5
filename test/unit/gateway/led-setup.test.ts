// The LED marker: a sysfs LED is named in the runtime directory while the gateway drives it (so
// systemd's led-fault can put heartbeat on it when the daemon dies), and only then.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceTable } from '../../../src/core/device-table.js';
import { createLogger } from '../../../src/core/logger.js';
import { startLed, type LedWorld } from '../../../src/gateway/led-setup.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('gateway: LED marker for systemd');

let dir = '';
let leds = '';
let run = '';
const lines: string[] = [];

function world(runtimeDir: string | undefined): LedWorld {
  return {
    devices: new DeviceTable([]),
    shuttingDown: () => false,
    fault: () => false,
    clock: new FakeClock(),
    log: createLogger('gateway', (level, _room, m) => lines.push(`${level} ${m}`), 'debug'),
    runtimeDir,
  };
}

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upsgate-led-marker-'));
  leds = join(dir, 'leds');
  run = join(dir, 'run');
  await mkdir(run);
  const act = join(leds, 'PWR');
  await mkdir(act, { recursive: true });
  await writeFile(join(act, 'trigger'), 'none [default-on] timer heartbeat\n');
  await writeFile(join(act, 'brightness'), '1\n');
  await writeFile(join(act, 'max_brightness'), '1\n');
  lines.length = 0;
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a sysfs LED is named in <runtime dir>/led while it runs, and the file goes on stop', async () => {
  const led = await startLed({ backend: 'sysfs', name: 'PWR', sysfsRoot: leds }, world(run));
  assert.ok(led, lines.join('\n'));
  assert.is(await readFile(join(run, 'led'), 'utf8'), 'PWR\n');
  assert.equal(await readdir(run), ['led'], 'no temp file left behind');
  await led.stop();
  assert.equal(await readdir(run), [], 'a clean stop removes the marker, so led-fault leaves the LED alone');
});

test('no runtime directory (not under systemd): no marker, no complaint', async () => {
  const led = await startLed({ backend: 'sysfs', name: 'PWR', sysfsRoot: leds }, world(undefined));
  assert.ok(led);
  await led.stop();
  assert.equal(await readdir(run), []);
  assert.not.ok(lines.some((l) => l.startsWith('warn') || l.startsWith('error')), lines.join('\n'));
});

test('a runtime directory that cannot be written is a debug line, never fatal', async () => {
  const led = await startLed({ backend: 'sysfs', name: 'PWR', sysfsRoot: leds }, world(join(dir, 'no-such-dir')));
  assert.ok(led, 'the LED still runs');
  assert.ok(lines.some((l) => /^debug .*cannot write .*no-such-dir\/led/.test(l)), lines.join('\n'));
  await led.stop();
});

test('the none backend writes no marker (led-fault must not touch an LED nobody drives)', async () => {
  const led = await startLed({ backend: 'none' }, world(run));
  assert.ok(led);
  assert.equal(await readdir(run), []);
  await led.stop();
});

test.run();
