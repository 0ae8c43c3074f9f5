import { constants } from 'node:fs';
import { access, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { LedBackend } from './backend.js';
import type { LedPattern } from './patterns.js';

export const DEFAULT_LEDS_ROOT = '/sys/class/leds';

export interface SysfsLedOptions {
  /** Where the LED class lives; tests point this at a temp tree. */
  root?: string;
  log: Logger;
  /** Only used when the kernel cannot blink for us (no `timer` trigger, or delay_* not writable). */
  clock?: Clock;
}

/** What was there before we touched the LED, so close() can give it back. */
interface Original {
  trigger: string;
  brightness: string | undefined;
  delayOn: string | undefined;
  delayOff: string | undefined;
}

/** `none [mmc0] timer heartbeat` → the names, and the bracketed (current) one. */
export function parseTriggers(text: string): { available: string[]; current: string | undefined } {
  const available: string[] = [];
  let current: string | undefined;
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
    const m = /^\[(.*)\]$/.exec(word);
    const name = m ? m[1]! : word;
    if (m) current = name;
    available.push(name);
  }
  return { available, current };
}

/**
 * An LED of the kernel LED class: the board's ACT/PWR LED, or one declared with
 * `dtoverlay=gpio-led`. Steady states are trigger=none + brightness; blinking hands the LED to the
 * kernel's `timer` trigger, so it keeps blinking while Node is stalled or busy. Only when the
 * kernel cannot do it do we toggle `brightness` from a clock timer.
 */
export class SysfsLed implements LedBackend {
  readonly name: string;
  private readonly dir: string;
  private readonly log: Logger;
  private readonly clock: Clock;
  private ready: Promise<void> | undefined;
  private maxBrightness = '1';
  private kernelTimer = false;
  private original: Original | undefined;
  private nodeBlink: Timer | undefined;
  private blinkWrite: Promise<void> | undefined;
  /** Bumped on every show/close, so a Node blink from an old pattern stops writing. */
  private generation = 0;
  private fallbackLogged = false;

  constructor(name: string, opts: SysfsLedOptions) {
    this.name = `sysfs:${name}`;
    this.dir = join(opts.root ?? DEFAULT_LEDS_ROOT, name);
    this.log = opts.log;
    this.clock = opts.clock ?? systemClock;
  }

  /** Checks that the LED exists and that we may drive it, with an error that says what to do. */
  static async open(name: string, opts: SysfsLedOptions): Promise<SysfsLed> {
    const led = new SysfsLed(name, opts);
    await led.init();
    return led;
  }

  private init(): Promise<void> {
    this.ready ??= this.probe();
    return this.ready;
  }

  private async probe(): Promise<void> {
    const root = join(this.dir, '..');
    const exists = await stat(this.dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) {
      const names = await readdir(root).catch(() => [] as string[]);
      const found = names.length > 0 ? `LEDs here: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}` : `no LEDs in ${root}`;
      throw new Error(
        `${this.dir} does not exist (${found}): set the LED name to one of them, declare one with ` +
          `dtoverlay=gpio-led,gpio=N,label=ups,trigger=none in config.txt, or use the gpio or none backend`,
      );
    }
    for (const file of ['trigger', 'brightness']) {
      const path = join(this.dir, file);
      try {
        await access(path, constants.R_OK | constants.W_OK);
      } catch {
        throw new Error(
          `${path} is not writable by this user (uid ${process.getuid?.() ?? '?'}): the systemd unit's ` +
            `ExecStartPre=+ must chgrp/chmod trigger and brightness for the service's group; or run as root`,
        );
      }
    }
    const triggers = parseTriggers(await readFile(join(this.dir, 'trigger'), 'utf8'));
    this.kernelTimer = triggers.available.includes('timer');
    const max = (await this.read('max_brightness'))?.trim();
    if (max && /^\d+$/.test(max) && max !== '0') this.maxBrightness = max;
    const trigger = triggers.current ?? 'none';
    this.original = {
      trigger,
      brightness: trigger === 'none' ? (await this.read('brightness'))?.trim() : undefined,
      delayOn: trigger === 'timer' ? (await this.read('delay_on'))?.trim() : undefined,
      delayOff: trigger === 'timer' ? (await this.read('delay_off'))?.trim() : undefined,
    };
  }

  async show(p: LedPattern): Promise<void> {
    await this.init();
    await this.stopNodeBlink();
    const generation = this.generation;
    if (p === 'on' || p === 'off') {
      await this.write('trigger', 'none');
      await this.write('brightness', p === 'on' ? this.maxBrightness : '0');
      return;
    }
    if (this.kernelTimer) {
      try {
        // The kernel creates delay_on/delay_off only once the timer trigger is set.
        await this.write('trigger', 'timer');
        await this.write('delay_on', String(p.onMs));
        await this.write('delay_off', String(p.offMs));
        return;
      } catch (e) {
        // delay_* are created root-owned on the fly, so a chgrp at boot cannot cover them.
        this.logFallbackOnce(`cannot set the kernel timer's delays (${message(e)})`);
      }
    } else {
      this.logFallbackOnce(`the kernel has no "timer" LED trigger (module ledtrig-timer not loaded; list it in /etc/modules-load.d/)`);
    }
    await this.write('trigger', 'none');
    if (generation !== this.generation) return;
    this.blinkFromNode(p, generation);
  }

  /** Gives the LED back as we found it (ACT goes back to mmc0/heartbeat); never rejects. */
  async close(): Promise<void> {
    await this.stopNodeBlink();
    const o = this.original;
    if (!o) return;
    try {
      await this.write('trigger', o.trigger);
      if (o.brightness !== undefined) await this.write('brightness', o.brightness);
      if (o.delayOn !== undefined) await this.write('delay_on', o.delayOn);
      if (o.delayOff !== undefined) await this.write('delay_off', o.delayOff);
    } catch (e) {
      this.log.warn(`${this.dir}: could not restore trigger "${o.trigger}": ${message(e)}`);
    }
  }

  private logFallbackOnce(why: string): void {
    if (this.fallbackLogged) return;
    this.fallbackLogged = true;
    this.log.warn(`${this.dir}: ${why}; blinking from upsgate instead (stops if the process stalls)`);
  }

  /**
   * Each edge is written before the next is scheduled, so writes never overlap or land out of
   * order, and a slow filesystem stretches the blink instead of queueing writes without bound.
   */
  private blinkFromNode(p: { onMs: number; offMs: number }, generation: number): void {
    let lit = false;
    let errorLogged = false;
    const step = (): void => {
      if (generation !== this.generation) return;
      lit = !lit;
      this.blinkWrite = this.write('brightness', lit ? this.maxBrightness : '0')
        .catch((e: unknown) => {
          if (errorLogged) return;
          errorLogged = true;
          this.log.warn(`${this.dir}: blinking failed: ${message(e)}`);
        })
        .then(() => {
          if (generation === this.generation) this.nodeBlink = this.clock.setTimeout(step, lit ? p.onMs : p.offMs);
        });
    };
    step();
  }

  /** Stops a Node blink and waits for its last write, so it cannot land after ours. */
  private async stopNodeBlink(): Promise<void> {
    this.generation++;
    this.nodeBlink?.cancel();
    this.nodeBlink = undefined;
    const last = this.blinkWrite;
    this.blinkWrite = undefined;
    await last;
  }

  private async read(file: string): Promise<string | undefined> {
    return readFile(join(this.dir, file), 'utf8').catch(() => undefined);
  }

  /**
   * What `echo value > file` does, minus O_CREAT: a sysfs attribute exists or writing it is a
   * mistake, and one write() call, because the kernel parses each write on its own.
   */
  private async write(file: string, value: string): Promise<void> {
    const fh = await open(join(this.dir, file), constants.O_WRONLY | constants.O_TRUNC);
    try {
      await fh.write(value);
    } finally {
      await fh.close();
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
