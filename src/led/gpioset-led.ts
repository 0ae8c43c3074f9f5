import { execFile, spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { systemClock, type Clock, type Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { LedBackend } from './backend.js';
import type { LedPattern } from './patterns.js';

/** Runs a command to its end and gives back what it printed; rejects as execFile does. */
export type RunCommand = (command: string, args: readonly string[]) => Promise<string>;

export interface GpiosetLedOptions {
  /** `gpiochip0`, `0` or `/dev/gpiochip0`; needed when `line` is an offset. */
  chip?: string;
  /** A line name (`GPIO17`, found on whichever chip has it) or an offset on `chip` (`17`). */
  line: string;
  log: Logger;
  clock?: Clock;
  spawn?: typeof nodeSpawn;
  /** For `gpioset --version` and v1's `gpiofind`; tests give canned output. */
  run?: RunCommand;
}

export type GpiosetMajor = 1 | 2;

/**
 * v1: `gpioset (libgpiod) v1.6.3`. v2: `gpioset v2.1` or `gpioset v2.3.2 (libgpiod v2.2.1)`,
 * where the tool's own number may run ahead of the library's; the CLI follows the major.
 */
export function parseGpiosetVersion(output: string): GpiosetMajor | undefined {
  const m = /\bv(\d+)\.\d+/.exec(output);
  if (!m) return undefined;
  const major = Number(m[1]);
  if (major === 1) return 1;
  if (major >= 2) return 2;
  return undefined;
}

/** Below this, v1's one-process-per-edge blinking costs more CPU than a status LED is worth. */
export const V1_MIN_PHASE_MS = 100;
const STOP_GRACE_MS = 1000;
const STDERR_KEEP = 400;

const defaultRun: RunCommand = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: 5000, maxBuffer: 64 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr) }));
      else resolve(`${stdout}${stderr}`);
    });
  });

function missingGpioset(e: unknown): Error | undefined {
  if ((e as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return undefined;
  return new Error(`gpioset was not found on PATH: install Debian's gpiod package (apt install gpiod), or use the sysfs or none LED backend`);
}

/**
 * An LED on a raw GPIO line, held by libgpiod's `gpioset` as a long-lived child: the line keeps
 * its level only while the process that requested it lives, so there is always one child while
 * we show something, ended by its PID on every change and on close.
 *
 * Blinking:
 * - v2 has `-t on,off`, which toggles the line forever inside the child: one spawn per pattern
 *   change, and the blink keeps going while Node is stalled.
 * - v1.6 cannot toggle, so each edge kills the child and spawns one with the other level from a
 *   clock timer. The cost: a fork+exec per edge (a few ms of CPU on a Pi 4, more on a Zero 2),
 *   a moment where the line is released between the two children, and the blink freezes if Node
 *   stalls. Phases are clamped to V1_MIN_PHASE_MS so a flicker cannot mean 20 spawns a second.
 *   Steady patterns (the usual "online") cost nothing after the first spawn.
 */
export class GpiosetLed implements LedBackend {
  readonly name: string;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly spawn: typeof nodeSpawn;
  private child: ChildProcess | undefined;
  private blinkTimer: Timer | undefined;
  private generation = 0;
  private closed = false;
  /** Children we ended ourselves: their exit is not news. */
  private readonly stopping = new WeakSet<ChildProcess>();

  private constructor(
    private readonly major: GpiosetMajor,
    /** v1: the chip the offset lives on; v2: the optional `-c` scope. */
    private readonly chip: string | undefined,
    /** v1: always an offset; v2: a name or an offset. */
    private readonly line: string,
    opts: GpiosetLedOptions,
  ) {
    this.name = `gpio:${opts.chip ? `${opts.chip}/` : ''}${opts.line}`;
    this.log = opts.log;
    this.clock = opts.clock ?? systemClock;
    this.spawn = opts.spawn ?? nodeSpawn;
  }

  static async open(opts: GpiosetLedOptions): Promise<GpiosetLed> {
    const run = opts.run ?? defaultRun;
    const line = opts.line.trim();
    if (line === '') throw new Error('the gpio LED backend needs a line: a name such as GPIO17, or an offset with a chip');
    let output: string;
    try {
      output = await run('gpioset', ['--version']);
    } catch (e) {
      throw missingGpioset(e) ?? new Error(`gpioset --version failed: ${message(e)}`);
    }
    const major = parseGpiosetVersion(output);
    if (major === undefined) throw new Error(`cannot tell the libgpiod version from "gpioset --version": ${output.trim().slice(0, 120)}`);
    const isOffset = /^\d+$/.test(line);
    if (isOffset && !opts.chip) {
      throw new Error(`GPIO line ${line} is an offset, which needs a chip (e.g. gpiochip0); or give the line by name (e.g. GPIO${line})`);
    }
    if (major === 2 || isOffset) return new GpiosetLed(major, opts.chip, line, opts);
    // v1.6 takes only chip + offset: find the name's place, as `gpiofind` prints it ("gpiochip0 17").
    let found: string;
    try {
      found = await run('gpiofind', [line]);
    } catch (e) {
      throw new Error(`GPIO line "${line}" was not found by gpiofind (${message(e)}); check the name with gpioinfo`);
    }
    const m = /^(\S+)\s+(\d+)\s*$/.exec(found.trim());
    if (!m) throw new Error(`gpiofind ${line} printed "${found.trim().slice(0, 80)}", not "<chip> <offset>"`);
    if (opts.chip && opts.chip !== m[1]) opts.log.warn(`line ${line} is on ${m[1]}, not on the configured chip ${opts.chip}; using ${m[1]}`);
    return new GpiosetLed(1, m[1], m[2]!, opts);
  }

  /** The argv of one child (public so a person reading a test sees the exact command line). */
  argsFor(level: 0 | 1, toggle?: { onMs: number; offMs: number }): string[] {
    if (this.major === 1) return ['--mode=signal', this.chip!, `${this.line}=${level}`];
    const args = this.chip ? ['-c', this.chip] : [];
    if (toggle) args.push('-t', `${toggle.onMs}ms,${toggle.offMs}ms`);
    args.push(`${this.line}=${level}`);
    return args;
  }

  async show(p: LedPattern): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    this.blinkTimer?.cancel();
    this.blinkTimer = undefined;
    await this.stopChild();
    if (generation !== this.generation) return;
    if (p === 'on' || p === 'off') return this.startChild(this.argsFor(p === 'on' ? 1 : 0));
    if (this.major === 2) return this.startChild(this.argsFor(1, p));
    const onMs = Math.max(V1_MIN_PHASE_MS, p.onMs);
    const offMs = Math.max(V1_MIN_PHASE_MS, p.offMs);
    let level: 0 | 1 = 1;
    this.startChild(this.argsFor(level));
    const edge = (): void => {
      this.blinkTimer = this.clock.setTimeout(() => {
        void (async () => {
          await this.stopChild();
          if (generation !== this.generation) return;
          level = level === 1 ? 0 : 1;
          this.startChild(this.argsFor(level));
          edge();
        })();
      }, level === 1 ? onMs : offMs);
    };
    edge();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    this.blinkTimer?.cancel();
    this.blinkTimer = undefined;
    await this.stopChild();
  }

  private startChild(args: string[]): void {
    let stderr = '';
    let child: ChildProcess;
    try {
      child = this.spawn('gpioset', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw missingGpioset(e) ?? e;
    }
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8').slice(0, STDERR_KEEP - stderr.length);
    });
    child.on('error', (e) => {
      this.log.warn(`gpioset ${args.join(' ')}: ${(missingGpioset(e) ?? e).message}`);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      // Our own kill is not news; anything else (EBUSY, a wrong line) is.
      if (this.stopping.has(child)) return;
      this.log.warn(`gpioset ${args.join(' ')} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
    });
  }

  /** Ends the current child by its PID and waits for it, so the next one can request the line. */
  private async stopChild(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    await new Promise<void>((resolve) => {
      let done = false;
      let grace: Timer | undefined;
      const finish = (): void => {
        if (done) return;
        done = true;
        grace?.cancel();
        resolve();
      };
      child.once('exit', finish);
      child.once('error', finish);
      grace = this.clock.setTimeout(() => {
        child.kill('SIGKILL');
        // Do not wait on a process that ignores SIGKILL (stuck in the kernel): the next child
        // will report EBUSY, which is the truth.
        grace = this.clock.setTimeout(finish, STOP_GRACE_MS);
      }, STOP_GRACE_MS);
      if (!child.kill('SIGTERM')) finish();
    });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
