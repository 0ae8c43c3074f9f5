/**
 * Fans events out to the channels without ever holding up the caller: `notify()` only queues and
 * returns, so a dead SMTP server or a hanging webhook can never delay a shutdown. Each channel has
 * its own lane — a bounded FIFO (the oldest is dropped when full), one send at a time, a deadline
 * on the injected clock, a few retries — so one bad channel does not slow the others.
 */
import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { NotifyType } from '../../conf/notify-types.js';
import { describeError, PermanentChannelError, type NotificationChannel } from './channel.js';
import type { MonitorEvent } from './event-log.js';

export interface RetryPolicy {
  /** Tries per event, the first included (1 = no retry). */
  attempts: number;
  /** Wait before the second try; doubled before each further one. */
  delayMs: number;
}

export interface DispatcherDeps {
  clock: Clock;
  log: Logger;
  /** Deadline of one send; the channel's signal aborts then. Default 15000. */
  timeoutMs?: number;
  /** Events waiting per channel. Default 100. */
  queueLimit?: number;
  /** Default 3 tries, 2 s then 4 s apart; PermanentChannelError is never retried. */
  retry?: Partial<RetryPolicy>;
}

export interface ChannelStats {
  channel: string;
  sent: number;
  failed: number;
  dropped: number;
  lastError?: string;
}

interface Lane {
  channel: NotificationChannel;
  wants: (type: NotifyType) => boolean;
  queue: MonitorEvent[];
  busy: boolean;
  sent: number;
  failed: number;
  dropped: number;
  lastError: string | undefined;
  abort: ((reason: Error) => void) | undefined;
  wake: (() => void) | undefined;
}

const STOPPED = Symbol('stopped');

export class NotificationDispatcher {
  private readonly lanes: Lane[];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly queueLimit: number;
  private readonly retry: RetryPolicy;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(channels: NotificationChannel[], deps: DispatcherDeps) {
    this.clock = deps.clock;
    this.log = deps.log;
    this.timeoutMs = deps.timeoutMs ?? 15_000;
    this.queueLimit = Math.max(1, deps.queueLimit ?? 100);
    this.retry = { attempts: Math.max(1, deps.retry?.attempts ?? 3), delayMs: Math.max(0, deps.retry?.delayMs ?? 2000) };
    this.lanes = channels.map((channel) => {
      const types = channel.types;
      const set = types === undefined || types === 'all' ? undefined : new Set(types);
      return {
        channel,
        wants: (type: NotifyType) => set === undefined || set.has(type),
        queue: [],
        busy: false,
        sent: 0,
        failed: 0,
        dropped: 0,
        lastError: undefined,
        abort: undefined,
        wake: undefined,
      };
    });
  }

  /** Queues `e` for every channel that wants its type, and returns at once. Never throws. */
  notify(e: MonitorEvent): void {
    if (this.stopped) return;
    for (const lane of this.lanes) {
      try {
        if (!lane.wants(e.type)) continue;
        if (lane.queue.length >= this.queueLimit) {
          const old = lane.queue.shift()!;
          lane.dropped++;
          this.log.warn(`${lane.channel.name}: ${this.queueLimit} notifications waiting; dropped the oldest (${old.type} #${old.seq})`);
        }
        lane.queue.push(e);
        if (!lane.busy) {
          lane.busy = true;
          // Started on a microtask: nothing a channel does, even synchronously, runs inside notify().
          queueMicrotask(() => void this.drain(lane));
        }
      } catch (error) {
        this.log.error(`${lane.channel.name}: could not queue ${e.type} #${e.seq}: ${describeError(error)}`);
      }
    }
  }

  stats(): ChannelStats[] {
    return this.lanes.map((l) => {
      const s: ChannelStats = { channel: l.channel.name, sent: l.sent, failed: l.failed, dropped: l.dropped };
      if (l.lastError !== undefined) s.lastError = l.lastError;
      return s;
    });
  }

  /** Resolves once nothing is queued or being sent (tests; a bounded wait before halting). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts what is being sent, forgets what waits; later notify() calls do nothing. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const lane of this.lanes) {
      lane.queue.length = 0;
      lane.abort?.(new Error('notifications stopped'));
      lane.wake?.();
    }
  }

  private isIdle(): boolean {
    return this.lanes.every((l) => !l.busy);
  }

  private async drain(lane: Lane): Promise<void> {
    try {
      while (!this.stopped) {
        const e = lane.queue.shift();
        if (!e) break;
        await this.deliver(lane, e);
      }
    } catch (error) {
      this.log.error(`${lane.channel.name}: notification lane failed: ${describeError(error)}`);
    } finally {
      lane.busy = false;
      if (this.stopped) lane.queue.length = 0;
      if (lane.queue.length > 0) {
        lane.busy = true;
        queueMicrotask(() => void this.drain(lane));
      } else if (this.isIdle()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  private async deliver(lane: Lane, e: MonitorEvent): Promise<void> {
    const { attempts } = this.retry;
    for (let attempt = 1; ; attempt++) {
      const error = await this.attempt(lane, e);
      if (error === STOPPED || this.stopped) return;
      if (error === undefined) {
        lane.sent++;
        if (attempt > 1) this.log.info(`${lane.channel.name}: ${e.type} #${e.seq} delivered on attempt ${attempt}`);
        return;
      }
      const reason = describeError(error);
      const retryable = !(error instanceof PermanentChannelError) && attempt < attempts;
      if (retryable) {
        const waitMs = this.retry.delayMs * 2 ** (attempt - 1);
        this.log.warn(`${lane.channel.name}: ${e.type} #${e.seq} not delivered (attempt ${attempt} of ${attempts}): ${reason}; trying again in ${waitMs / 1000} s`);
        await this.sleep(lane, waitMs);
        if (this.stopped) return;
        continue;
      }
      lane.failed++;
      lane.lastError = reason;
      this.log.warn(`${lane.channel.name}: ${e.type} #${e.seq} not delivered: ${reason}${attempt > 1 ? ` (gave up after ${attempt} attempts)` : ''}`);
      return;
    }
  }

  /** One send under the deadline: undefined when delivered, else the reason. */
  private async attempt(lane: Lane, e: MonitorEvent): Promise<unknown> {
    const controller = new AbortController();
    let timer: Timer | undefined;
    const cut = new Promise<unknown>((resolve) => {
      lane.abort = (reason) => {
        controller.abort(reason);
        resolve(this.stopped ? STOPPED : reason);
      };
      timer = this.clock.setTimeout(() => lane.abort?.(new Error(`no answer within ${this.timeoutMs / 1000} s; aborted`)), this.timeoutMs);
    });
    // A channel that ignores its signal is left behind (its late result is ignored), never waited for.
    const sending = Promise.resolve()
      .then(() => lane.channel.send(e, controller.signal))
      .then(
        () => undefined,
        (error: unknown) => error ?? new Error('failed without a reason'),
      );
    try {
      return await Promise.race([sending, cut]);
    } finally {
      timer?.cancel();
      lane.abort = undefined;
    }
  }

  private sleep(lane: Lane, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => done(), ms);
      const done = () => {
        timer.cancel();
        lane.wake = undefined;
        resolve();
      };
      lane.wake = done;
    });
  }
}
