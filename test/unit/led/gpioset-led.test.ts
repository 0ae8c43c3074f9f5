// The gpioset backend with a fake spawn: the exact argv for libgpiod v1.6 and v2, one child at a
// time, each ended by its PID.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import type { spawn } from 'node:child_process';
import { createLogger } from '../../../src/core/logger.js';
import { GpiosetLed, parseGpiosetVersion, V1_MIN_PHASE_MS, type RunCommand } from '../../../src/led/gpioset-led.js';
import { createLedBackend } from '../../../src/led/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('led: gpioset');

const V1 = 'gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski\n';
const V2 = 'gpioset v2.3.2 (libgpiod v2.2.1)\nCopyright (C) 2017-2023 Bartosz Golaszewski\n';

class FakeChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stderr = new EventEmitter();
  readonly killed: string[] = [];
  constructor(
    readonly pid: number,
    readonly argv: string[],
    private readonly ignoreTerm: boolean,
  ) {
    super();
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exitCode !== null || this.signalCode !== null) return false;
    this.killed.push(signal);
    if (signal === 'SIGTERM' && this.ignoreTerm) return true;
    queueMicrotask(() => this.die(null, signal));
    return true;
  }
  die(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }
}

function harness(version: string, opts: { ignoreTerm?: boolean; gpiofind?: string } = {}) {
  const children: FakeChild[] = [];
  const ran: string[] = [];
  const lines: string[] = [];
  const fakeSpawn = ((command: string, args: string[]) => {
    assert.is(command, 'gpioset');
    const child = new FakeChild(1000 + children.length, [...args], opts.ignoreTerm ?? false);
    children.push(child);
    return child;
  }) as unknown as typeof spawn;
  const run: RunCommand = async (command, args) => {
    ran.push([command, ...args].join(' '));
    if (command === 'gpioset') return version;
    if (command === 'gpiofind' && opts.gpiofind) return opts.gpiofind;
    throw new Error('exit code 1');
  };
  const clock = new FakeClock();
  const log = createLogger('led', (level, _room, m) => lines.push(`${level} ${m}`));
  /** Children still running: never more than one. */
  const alive = (): FakeChild[] => children.filter((c) => c.exitCode === null && c.signalCode === null);
  return { children, ran, lines, clock, log, run, spawn: fakeSpawn, alive };
}

test('version parsing: v1.6 and v2, whichever number the tool prints', () => {
  assert.is(parseGpiosetVersion(V1), 1);
  assert.is(parseGpiosetVersion(V2), 2);
  assert.is(parseGpiosetVersion('gpioset v2.1\n'), 2);
  assert.is(parseGpiosetVersion('something else'), undefined);
});

test('v2: steady levels by line name, blink with -t in one child, old child ended first', async () => {
  const h = harness(V2);
  const led = await GpiosetLed.open({ line: 'GPIO17', log: h.log, clock: h.clock, spawn: h.spawn, run: h.run });
  await led.show('on');
  await led.show({ onMs: 200, offMs: 200 });
  await led.show('off');
  assert.equal(
    h.children.map((c) => c.argv.join(' ')),
    ['GPIO17=1', '-t 200ms,200ms GPIO17=1', 'GPIO17=0'],
  );
  assert.equal(h.children[0]!.killed, ['SIGTERM']);
  assert.equal(h.children[1]!.killed, ['SIGTERM']);
  assert.is(h.alive().length, 1);
  // The child blinks on its own: nothing for Node to do.
  await h.clock.advance(10_000);
  assert.is(h.children.length, 3);
  await led.close();
  assert.is(h.alive().length, 0);
  assert.equal(h.lines, []);
});

test('v2 with a chip and an offset uses -c', async () => {
  const h = harness(V2);
  const led = await GpiosetLed.open({ chip: 'gpiochip0', line: '17', log: h.log, clock: h.clock, spawn: h.spawn, run: h.run });
  await led.show('on');
  assert.equal(h.children[0]!.argv, ['-c', 'gpiochip0', '17=1']);
  await led.close();
});

test('v1.6: --mode=signal chip offset, the name found with gpiofind, blinking by respawning', async () => {
  const h = harness(V1, { gpiofind: 'gpiochip0 17\n' });
  const led = await GpiosetLed.open({ line: 'GPIO17', log: h.log, clock: h.clock, spawn: h.spawn, run: h.run });
  assert.equal(h.ran, ['gpioset --version', 'gpiofind GPIO17']);
  await led.show({ onMs: 1000, offMs: 1000 });
  assert.equal(h.children.map((c) => c.argv.join(' ')), ['--mode=signal gpiochip0 17=1']);
  await h.clock.advance(1000);
  await h.clock.advance(1000);
  assert.equal(
    h.children.map((c) => c.argv.join(' ')),
    ['--mode=signal gpiochip0 17=1', '--mode=signal gpiochip0 17=0', '--mode=signal gpiochip0 17=1'],
  );
  assert.is(h.alive().length, 1);
  await led.show('on');
  await h.clock.advance(5000);
  assert.is(h.children.length, 4);
  assert.is(h.children[3]!.argv.join(' '), '--mode=signal gpiochip0 17=1');
  await led.close();
  assert.is(h.alive().length, 0);
  assert.is(h.clock.pendingTimers(), 0);
});

test('v1.6: a flicker is slowed to the minimum phase, not 20 spawns a second', async () => {
  const h = harness(V1);
  const led = await GpiosetLed.open({ chip: 'gpiochip0', line: '17', log: h.log, clock: h.clock, spawn: h.spawn, run: h.run });
  await led.show({ onMs: 50, offMs: 50 });
  await h.clock.advance(1000);
  assert.is(h.children.length, 1 + 1000 / V1_MIN_PHASE_MS);
  await led.close();
});

test('a child that ignores SIGTERM is ended with SIGKILL after the grace time', async () => {
  const h = harness(V2, { ignoreTerm: true });
  const led = await GpiosetLed.open({ line: 'GPIO17', log: h.log, clock: h.clock, spawn: h.spawn, run: h.run });
  await led.show('on');
  const closing = led.close();
  await h.clock.advance(1000);
  await closing;
  assert.equal(h.children[0]!.killed, ['SIGTERM', 'SIGKILL']);
});

test('a child that dies on its own (line busy) is logged with its stderr', async () => {
  const h = harness(V2);
  const led = await GpiosetLed.open({ line: 'GPIO17', log: h.log, clock: h.clock, spawn: h.spawn, run: h.run });
  await led.show('on');
  h.children[0]!.stderr.emit('data', Buffer.from('gpioset: unable to request lines: Device or resource busy\n'));
  h.children[0]!.die(1, null);
  assert.is(h.lines.length, 1);
  assert.match(h.lines[0]!, /GPIO17=1 exited \(code 1\): gpioset: unable to request lines: Device or resource busy/);
  await led.close();
});

test('errors that say what to do', async () => {
  const h = harness(V2);
  const missing: RunCommand = async () => {
    throw Object.assign(new Error('spawn gpioset ENOENT'), { code: 'ENOENT' });
  };
  const message = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (e) {
      return (e as Error).message;
    }
    return 'resolved';
  };
  assert.match(await message(GpiosetLed.open({ line: 'GPIO17', log: h.log, run: missing })), /install Debian's gpiod package \(apt install gpiod\)/);
  assert.match(await message(GpiosetLed.open({ line: '17', log: h.log, run: h.run })), /needs a chip \(e\.g\. gpiochip0\); or give the line by name \(e\.g\. GPIO17\)/);
  assert.match(await message(GpiosetLed.open({ line: 'GPIO99', log: h.log, run: harness(V1).run })), /"GPIO99" was not found by gpiofind/);
  assert.match(await message(createLedBackend({ backend: 'gpio' }, h.log)), /led\.line is required/);
});

test('createLedBackend wires the gpio backend with the injected edges', async () => {
  const h = harness(V2);
  const led = await createLedBackend({ backend: 'gpio', line: 'GPIO27' }, h.log, { clock: h.clock, spawn: h.spawn, run: h.run });
  assert.is(led.name, 'gpio:GPIO27');
  await led.show('on');
  assert.equal(h.children[0]!.argv, ['GPIO27=1']);
  await led.close();
  const none = await createLedBackend({ backend: 'none' }, h.log);
  await none.show('on');
  await none.close();
  assert.is(none.name, 'none');
});

test.run();
