// The kernel LED class backend against a fake /sys/class/leds tree in a temp dir.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/core/logger.js';
import { createLedBackend } from '../../../src/led/index.js';
import { parseTriggers, SysfsLed } from '../../../src/led/sysfs-led.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('led: sysfs');

let root = '';
const lines: string[] = [];
const log = createLogger('led', (level, _room, m) => lines.push(`${level} ${m}`));

/**
 * An LED as the kernel shows it. A plain directory cannot create delay_on/delay_off when
 * `timer` is written, so they exist from the start (the kernel's defaults, 500/500).
 */
async function fakeLed(name: string, trigger = 'none [mmc0] timer heartbeat', withDelays = true): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'trigger'), `${trigger}\n`);
  await writeFile(join(dir, 'brightness'), '0\n');
  await writeFile(join(dir, 'max_brightness'), '255\n');
  if (withDelays) {
    await writeFile(join(dir, 'delay_on'), '500\n');
    await writeFile(join(dir, 'delay_off'), '500\n');
  }
  return dir;
}

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new assert.Assertion({ message: 'expected a rejection', operator: 'rejects', expects: 'rejection', actual: 'resolved' });
}

/** Node-side blinking writes real files between fake-clock steps: wait (real time, bounded) for them. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.unreachable(`never: ${what}`);
}

const read = (dir: string, file: string): Promise<string> => readFile(join(dir, file), 'utf8');

test.before.each(async () => {
  root = await mkdtemp(join(tmpdir(), 'upsgate-leds-'));
  lines.length = 0;
});
test.after.each(async () => {
  await rm(root, { recursive: true, force: true });
});

test('parses the trigger list with the current one in brackets', () => {
  assert.equal(parseTriggers('none [mmc0] timer heartbeat\n'), { available: ['none', 'mmc0', 'timer', 'heartbeat'], current: 'mmc0' });
  assert.equal(parseTriggers('[none] timer'), { available: ['none', 'timer'], current: 'none' });
});

test('solid on and off: trigger none, brightness max or 0', async () => {
  const dir = await fakeLed('ACT');
  const led = await SysfsLed.open('ACT', { root, log });
  await led.show('on');
  assert.is(await read(dir, 'trigger'), 'none');
  assert.is(await read(dir, 'brightness'), '255');
  await led.show('off');
  assert.is(await read(dir, 'brightness'), '0');
});

test('blink: the kernel timer trigger with our delays', async () => {
  const dir = await fakeLed('ACT');
  const clock = new FakeClock();
  const led = await SysfsLed.open('ACT', { root, log, clock });
  await led.show({ onMs: 200, offMs: 200 });
  assert.is(await read(dir, 'trigger'), 'timer');
  assert.is(await read(dir, 'delay_on'), '200');
  assert.is(await read(dir, 'delay_off'), '200');
  // The kernel blinks, not us: no timers left running in Node.
  assert.is(clock.pendingTimers(), 0);
  assert.equal(lines, []);
});

test('close gives the board LED back its old trigger', async () => {
  const dir = await fakeLed('ACT');
  const led = await SysfsLed.open('ACT', { root, log });
  await led.show({ onMs: 1000, offMs: 1000 });
  await led.close();
  assert.is(await read(dir, 'trigger'), 'mmc0');
});

test('close restores a steady LED brightness, and a timer LED its delays', async () => {
  const steady = await fakeLed('steady', '[none] timer');
  await writeFile(join(steady, 'brightness'), '7\n');
  const a = await SysfsLed.open('steady', { root, log });
  await a.show('off');
  await a.close();
  assert.is(await read(steady, 'trigger'), 'none');
  assert.is(await read(steady, 'brightness'), '7');

  const blinking = await fakeLed('blinking', 'none [timer]');
  await writeFile(join(blinking, 'delay_on'), '30\n');
  const b = await SysfsLed.open('blinking', { root, log });
  await b.show({ onMs: 200, offMs: 200 });
  await b.close();
  assert.is(await read(blinking, 'trigger'), 'timer');
  assert.is(await read(blinking, 'delay_on'), '30');
  assert.is(await read(blinking, 'delay_off'), '500');
});

test('no timer trigger: blinks from the injected clock, says so once, stops on change', async () => {
  const dir = await fakeLed('ups', 'none [default-on] heartbeat', false);
  const clock = new FakeClock();
  const led = await SysfsLed.open('ups', { root, log, clock });
  await led.show({ onMs: 200, offMs: 300 });
  assert.is(await read(dir, 'trigger'), 'none');
  const lit = async (value: string): Promise<void> =>
    eventually(`brightness ${value} with the next edge scheduled`, async () => (await read(dir, 'brightness')) === value && clock.pendingTimers() === 1);
  await lit('255');
  await clock.advance(200);
  await lit('0');
  await clock.advance(299);
  assert.is(await read(dir, 'brightness'), '0');
  await clock.advance(1);
  await lit('255');
  await led.show({ onMs: 1000, offMs: 1000 });
  assert.is(lines.filter((l) => l.includes('ledtrig-timer')).length, 1);
  await led.show('off');
  await clock.advance(5000);
  assert.is(await read(dir, 'brightness'), '0');
  assert.is(clock.pendingTimers(), 0);
  // Never created files the kernel did not offer.
  await rejects(read(dir, 'delay_on'));
  await led.close();
  assert.is(await read(dir, 'trigger'), 'default-on');
});

test('timer listed but its delay files cannot be written: falls back to Node, logged once', async () => {
  const dir = await fakeLed('ACT', 'none [mmc0] timer', false);
  const clock = new FakeClock();
  const led = await SysfsLed.open('ACT', { root, log, clock });
  await led.show({ onMs: 100, offMs: 1900 });
  await led.show({ onMs: 50, offMs: 50 });
  assert.is(await read(dir, 'trigger'), 'none');
  await eventually('a Node blink edge', async () => clock.pendingTimers() === 1);
  assert.is(lines.filter((l) => l.includes("cannot set the kernel timer's delays")).length, 1);
  await led.close();
  assert.is(clock.pendingTimers(), 0);
  assert.is(await read(dir, 'trigger'), 'mmc0');
});

test('a missing LED: one error naming the path and the LEDs there', async () => {
  await fakeLed('PWR');
  try {
    await createLedBackend({ backend: 'sysfs', name: 'ACT', sysfsRoot: root }, log);
    assert.unreachable('opened an LED that does not exist');
  } catch (e) {
    const m = (e as Error).message;
    assert.match(m, `${join(root, 'ACT')} does not exist`);
    assert.match(m, 'PWR');
    assert.match(m, 'dtoverlay=gpio-led');
  }
});

/**
 * Opens the LED as an unprivileged user and returns the error message. As root (CI), chmod blocks
 * nothing, so the check runs in a child process as "nobody"; otherwise right here.
 */
async function openAsUnprivileged(ledsRoot: string): Promise<string> {
  if (process.getuid?.() !== 0) {
    try {
      await SysfsLed.open('ACT', { root: ledsRoot, log });
      return 'OPENED';
    } catch (e) {
      return (e as Error).message;
    }
  }
  const probe = join(ledsRoot, 'probe.mjs');
  const module = new URL('../../../src/led/sysfs-led.ts', import.meta.url).href;
  await writeFile(probe, `const { SysfsLed } = await import(${JSON.stringify(module)});
const log = { info() {}, warn() {}, error() {}, debug() {}, child() { return log; } };
try { await SysfsLed.open('ACT', { root: ${JSON.stringify(ledsRoot)}, log }); console.log('OPENED'); } catch (e) { console.log(e.message); }
`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', probe], { uid: 65534, gid: 65534, cwd: process.cwd(), encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`the probe as nobody failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

test('a non-writable trigger: says what to do (as an unprivileged user)', async () => {
  // A folder of its own that "nobody" may enter (mkdtemp makes 0700 ones).
  const ledsRoot = await mkdtemp(join(tmpdir(), 'upsgate-leds-ro-'));
  await chmod(ledsRoot, 0o755);
  const dir = join(ledsRoot, 'ACT');
  await mkdir(dir);
  await chmod(dir, 0o755);
  for (const [f, v] of [['trigger', 'none [mmc0] timer heartbeat\n'], ['brightness', '0\n'], ['max_brightness', '255\n']] as const) {
    await writeFile(join(dir, f), v, { mode: 0o444 });
    await chmod(join(dir, f), 0o444);
  }
  try {
    const m = await openAsUnprivileged(ledsRoot);
    assert.match(m, `${join(dir, 'trigger')} is not writable by this user`);
    assert.match(m, 'ExecStartPre');
    assert.match(m, 'root');
  } finally {
    await rm(ledsRoot, { recursive: true, force: true });
  }
});

test('a write that fails rejects show (the caller logs it); close does not reject', async () => {
  const dir = await fakeLed('ACT');
  const led = await SysfsLed.open('ACT', { root, log });
  await rm(dir, { recursive: true });
  await rejects(led.show('on'));
  await led.close();
  assert.ok(lines.some((l) => l.startsWith('warn') && l.includes('could not restore trigger "mmc0"')));
});

test.run();
