/**
 * Keeps a usbhid-ups section connected to its UPS. The most common complaint about NUT on a
 * Raspberry Pi is a USB drop (unplug, or the UPS re-enumerating on another hidraw node as it
 * switches to battery) that leaves the data stale until someone restarts the driver. Here a drop
 * is a normal state: the driver is told at once (it marks the data stale), the device is looked
 * for again by the same matching options — never by path, which may have changed — with backoff
 * on the injected monotonic clock, and after `maxFailures` failed attempts in a row the driver is
 * told to give up so that systemd restarts the process (NUT ≥ 2.8.5's reconnect_max_tries).
 *
 * Once a device has been driven, only the same device is taken back (same IDs, manufacturer,
 * product and serial: NUT's exact matcher), so a second UPS of the same model never stands in.
 */
import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { HidBus, HidDeviceInfo, HidTransport } from './hid-types.js';
import { sameDevice, type UsbMatcher } from './transport/matching.js';
import { hex4 } from './transport/ups-vendors.js';

export interface RecoveryOptions {
  bus: HidBus;
  matcher: UsbMatcher;
  clock: Clock;
  log: Logger;
  /** The driver takes the device over (descriptor, first walk); a rejection counts as a failed attempt. */
  onConnected(transport: HidTransport): void | Promise<void>;
  /** The device was lost: mark the data stale. Called at once, before any retry. */
  onLost(reason: string): void;
  /** `maxFailures` attempts failed in a row: end the process non-zero so systemd restarts it. */
  onGiveUp(reason: string): void;
  /** First retry delay after a drop or failed attempt; doubles up to `maxDelayMs`. Default 250 ms. */
  initialDelayMs?: number;
  /** Default 10 s. */
  maxDelayMs?: number;
  /** Failed attempts in a row before giving up. Default 30 (≈ 4.5 minutes with the default delays). */
  maxFailures?: number;
  /** Consecutive failed reads (reportFailure) that count as a drop. Default 3. */
  failedReadsBeforeDrop?: number;
  /** An attempt (list + open + onConnected) taking longer counts as failed. Default 15 s. */
  attemptTimeoutMs?: number;
}

export type RecoveryState = 'idle' | 'connecting' | 'connected' | 'lost' | 'gave-up' | 'stopped';

/** For status pages: what happened to the link. */
export interface RecoveryStats {
  state: RecoveryState;
  /** Times a connected device was lost. */
  drops: number;
  /** Times a lost device was connected again. */
  recoveries: number;
  lastDropReason: string | undefined;
  /** Monotonic milliseconds from the last drop to the reconnection that followed it. */
  lastRecoveryMs: number | undefined;
  /** Failed attempts since the last success. */
  failedAttempts: number;
  lastError: string | undefined;
  /** The device driven now, or last. */
  device: HidDeviceInfo | undefined;
}

function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function describeDevice(d: HidDeviceInfo): string {
  const name = [d.manufacturer, d.product].filter((s) => s).join(' ') || 'HID UPS';
  return `${name} (${hex4(d.vendorId)}:${hex4(d.productId)}${d.serial ? ` serial ${d.serial}` : ''}) at ${d.path}`;
}

export class HidRecovery {
  private state: RecoveryState = 'idle';
  private current: HidTransport | undefined;
  private identity: HidDeviceInfo | undefined;
  private retryTimer: Timer | undefined;
  private attemptTimer: Timer | undefined;
  /** Bumped whenever an in-flight attempt must be disregarded (timeout, stop). */
  private generation = 0;
  private nextDelay: number;
  private readFailures = 0;
  private droppedAt: number | undefined;
  private readonly counters = { drops: 0, recoveries: 0, failedAttempts: 0 };
  private lastDropReason: string | undefined;
  private lastRecoveryMs: number | undefined;
  private lastError: string | undefined;
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  private readonly maxFailures: number;
  private readonly readsBeforeDrop: number;
  private readonly attemptTimeout: number;

  constructor(private readonly o: RecoveryOptions) {
    this.initialDelay = o.initialDelayMs ?? 250;
    this.maxDelay = o.maxDelayMs ?? 10_000;
    this.maxFailures = Math.max(1, o.maxFailures ?? 30);
    this.readsBeforeDrop = Math.max(1, o.failedReadsBeforeDrop ?? 3);
    this.attemptTimeout = o.attemptTimeoutMs ?? 15_000;
    this.nextDelay = this.initialDelay;
  }

  get stats(): RecoveryStats {
    return {
      state: this.state,
      ...this.counters,
      lastDropReason: this.lastDropReason,
      lastRecoveryMs: this.lastRecoveryMs,
      lastError: this.lastError,
      device: this.identity && { ...this.identity },
    };
  }

  /** The transport while connected. */
  get transport(): HidTransport | undefined {
    return this.state === 'connected' ? this.current : undefined;
  }

  /** The first attempt runs at once. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'connecting';
    void this.attempt();
  }

  /** A read or write failed. ENODEV/ENOENT is a drop at once; other errors after `failedReadsBeforeDrop` in a row. */
  reportFailure(error?: unknown): void {
    if (this.state !== 'connected') return;
    const code = errnoCode(error);
    this.readFailures++;
    if (code === 'ENODEV' || code === 'ENOENT') return this.lose(this.current, messageOf(error));
    if (this.readFailures >= this.readsBeforeDrop) {
      this.lose(this.current, `${this.readFailures} reads failed in a row${error === undefined ? '' : ` (last: ${messageOf(error)})`}`);
    }
  }

  /** A read worked: the failed-read count starts again. */
  reportSuccess(): void {
    this.readFailures = 0;
  }

  /** Cancels every timer and closes the device. Never throws. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.generation++;
    this.cancelTimers();
    const t = this.current;
    this.current = undefined;
    if (t) await this.closeQuietly(t);
  }

  private async attempt(): Promise<void> {
    const gen = ++this.generation;
    this.attemptTimer = this.o.clock.setTimeout(() => {
      if (gen !== this.generation) return;
      this.generation++;
      this.failed(`no answer within ${this.attemptTimeout} ms`);
    }, this.attemptTimeout);
    let transport: HidTransport | undefined;
    let goneDuringSetup: string | undefined;
    try {
      const found = (await this.o.bus.list()).find(
        (d) => this.o.matcher.matches(d) && (this.identity === undefined || sameDevice(this.identity, d)),
      );
      if (gen !== this.generation) return;
      if (!found) throw new Error(this.identity ? `${describeDevice(this.identity)} is not attached` : 'no matching HID UPS found');
      transport = await this.o.bus.open(found);
      if (gen !== this.generation) return void (await this.closeQuietly(transport));
      const t = transport;
      this.current = t;
      t.onGone((error) => {
        if (this.current !== t) return;
        if (this.state === 'connected') this.lose(t, messageOf(error));
        else goneDuringSetup = messageOf(error);
      });
      await this.o.onConnected(t);
      if (gen !== this.generation) return;
      if (goneDuringSetup !== undefined) throw new Error(goneDuringSetup);
      this.connected(t);
    } catch (e) {
      if (gen !== this.generation) {
        if (transport) await this.closeQuietly(transport);
        return;
      }
      if (transport) {
        if (this.current === transport) this.current = undefined;
        await this.closeQuietly(transport);
        if (gen !== this.generation) return;
      }
      this.generation++;
      this.failed(messageOf(e));
    }
  }

  private connected(t: HidTransport): void {
    this.cancelTimers();
    const again = this.droppedAt !== undefined;
    this.state = 'connected';
    this.identity = { ...t.info };
    this.counters.failedAttempts = 0;
    this.readFailures = 0;
    this.nextDelay = this.initialDelay;
    if (again) {
      this.counters.recoveries++;
      this.lastRecoveryMs = this.o.clock.now() - this.droppedAt!;
      this.droppedAt = undefined;
      this.o.log.info(`reconnected to ${describeDevice(t.info)} after ${Math.round(this.lastRecoveryMs)} ms`);
    } else {
      this.o.log.info(`connected to ${describeDevice(t.info)}`);
    }
  }

  private lose(t: HidTransport | undefined, reason: string): void {
    if (this.state !== 'connected' || t === undefined || t !== this.current) return;
    this.state = 'lost';
    this.current = undefined;
    this.counters.drops++;
    this.lastDropReason = reason;
    this.droppedAt = this.o.clock.now();
    this.o.log.warn(`lost the UPS: ${reason}; looking for it again`);
    try {
      this.o.onLost(reason);
    } catch (e) {
      this.o.log.error(`onLost failed: ${messageOf(e)}`);
    }
    void this.closeQuietly(t);
    this.nextDelay = this.initialDelay;
    this.schedule();
  }

  private failed(reason: string): void {
    this.cancelTimers();
    if (this.state === 'stopped') return;
    this.counters.failedAttempts++;
    this.lastError = reason;
    if (this.counters.failedAttempts >= this.maxFailures) {
      this.state = 'gave-up';
      const why = `${this.counters.failedAttempts} attempts to reach the UPS failed in a row (last: ${reason})`;
      this.o.log.error(`giving up: ${why}`);
      try {
        this.o.onGiveUp(why);
      } catch (e) {
        this.o.log.error(`onGiveUp failed: ${messageOf(e)}`);
      }
      return;
    }
    // The first failure is worth a line; the rest of a long outage would only flood the journal.
    const line = `attempt ${this.counters.failedAttempts} failed: ${reason}; next in ${this.nextDelay} ms`;
    if (this.counters.failedAttempts === 1) this.o.log.warn(line);
    else this.o.log.debug(line);
    this.schedule();
  }

  private schedule(): void {
    const delay = this.nextDelay;
    this.nextDelay = Math.min(this.nextDelay * 2, this.maxDelay);
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state === 'stopped' || this.state === 'gave-up') return;
      this.state = this.droppedAt === undefined ? 'connecting' : 'lost';
      void this.attempt();
    }, delay);
  }

  private cancelTimers(): void {
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.attemptTimer?.cancel();
    this.attemptTimer = undefined;
  }

  private async closeQuietly(t: HidTransport): Promise<void> {
    try {
      await t.close();
    } catch {
      // A transport that is gone may fail to close; there is nothing more to release.
    }
  }
}
