import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpsConfEntry, UpsSection } from '../../../src/conf/model.js';
import { Device } from '../../../src/core/device.js';
import { createLogger } from '../../../src/core/logger.js';
import type { Driver } from '../../../src/drivers/driver.js';
import type { DriverContext } from '../../../src/drivers/driver.js';
import { createDriver } from '../../../src/drivers/registry.js';
import { FakeClock } from '../../helpers/fake-clock.js';

export const FIXTURES = new URL('../../fixtures/dummy/', import.meta.url).pathname.replace(/\/$/, '');

/** ups.conf lines of one section: `[key, value]`, or `[key]` for a flag. Line n+2, column 3. */
export type Lines = Array<[string, string?]>;

export function sectionOf(lines: Lines, name = 'ups1'): UpsSection {
  const entries: UpsConfEntry[] = lines.map(([key, value], i) => ({
    key,
    value,
    pos: { file: '/etc/nut/ups.conf', line: i + 2, column: 3 },
  }));
  const last = (k: string) => [...entries].reverse().find((e) => e.key === k)?.value;
  const poll = last('pollinterval');
  return {
    name,
    pos: { file: '/etc/nut/ups.conf', line: 1, column: 1 },
    entries,
    driver: last('driver'),
    port: last('port'),
    desc: last('desc'),
    sdorder: 0,
    pollinterval: poll === undefined ? undefined : Number(poll),
    maxretry: undefined,
    retrydelay: undefined,
    maxstartdelay: undefined,
  };
}

export interface HarnessOptions {
  confDir?: string;
  pollIntervalSeconds?: number;
  globals?: Lines;
}

/** A driver on a real Device and a FakeClock, with its log lines captured. */
export class Harness {
  readonly clock = new FakeClock();
  readonly device: Device;
  readonly driver: Driver;
  readonly logs: string[] = [];
  private stopped = false;
  private wasConnected = false;

  constructor(lines: Lines, options: HarnessOptions = {}) {
    const section = sectionOf(lines);
    this.device = new Device(section.name, this.clock);
    const ctx: DriverContext = {
      section,
      pollIntervalSeconds: options.pollIntervalSeconds ?? section.pollinterval ?? 2,
      confDir: options.confDir ?? FIXTURES,
      device: this.device,
      clock: this.clock,
      log: createLogger('test', (level, _room, message) => this.logs.push(`${level}: ${message}`), 'debug'),
      upsConfGlobals: sectionOf(options.globals ?? []).entries,
    };
    this.driver = createDriver(ctx);
  }

  /** Starts the driver, moving the clock as it waits (about one second for dummy-ups). */
  async start(): Promise<void> {
    this.stopped = false;
    let done = false;
    const p = this.driver.start();
    p.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await settle(() => done || this.clock.pendingTimeouts() > 0);
      if (done) break;
      await this.clock.advance(100);
    }
    return p;
  }

  /**
   * Moves time forward by `ms` in 100 ms steps, letting real file I/O finish between steps, so
   * that timers the driver sets after reading a file keep their exact times.
   */
  async run(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    while (this.clock.now() < end) {
      await this.settle();
      await this.clock.advance(Math.min(100, end - this.clock.now()));
    }
    await this.settle();
  }

  /** Waits (real time) until the driver is waiting on the clock again, or has stopped or died. */
  settle(): Promise<void> {
    return settle(
      () => this.stopped || this.clock.pendingTimeouts() > 0 || (this.connectedOnce && this.device.availability() === 'not-connected'),
    );
  }

  private get connectedOnce(): boolean {
    if (this.device.availability() !== 'not-connected') this.wasConnected = true;
    return this.wasConnected;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.driver.stop();
  }

  get(name: string): string | undefined {
    return this.device.getInfo(name);
  }

  /** `GET TYPE` words of a variable, as upsd would answer. */
  type(name: string): string {
    const v = this.device.getVariable(name);
    if (!v) return '(none)';
    const words = [];
    if (v.flags.rw) words.push('RW');
    words.push(v.flags.string ? `STRING:${v.aux}` : 'NUMBER');
    return words.join(' ');
  }

  /** name → value of every variable, sorted as upsc lists them. */
  dump(): Record<string, string> {
    return Object.fromEntries(this.device.variables().map((v) => [v.name, v.value]));
  }
}

/** Polls `ready` between real event-loop turns, for at most `limitMs` of real time. */
export async function settle(ready: () => boolean, limitMs = 1000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!ready() && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
}

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder under the system temp dir, with the given files; removed when the tests end. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'upsgate-dummy-'));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Expects `fn` to reject with a DriverConfigError whose message matches every pattern. */
export async function configError(fn: () => unknown, ...patterns: RegExp[]): Promise<string> {
  try {
    await fn();
  } catch (e) {
    const err = e as Error;
    if (err.name !== 'DriverConfigError') throw new Error(`expected DriverConfigError, got ${err.name}: ${err.message}`);
    for (const p of patterns) if (!p.test(err.message)) throw new Error(`message ${JSON.stringify(err.message)} does not match ${p}`);
    return err.message;
  }
  throw new Error('expected a DriverConfigError, nothing was thrown');
}
