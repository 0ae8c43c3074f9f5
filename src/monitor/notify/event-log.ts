/**
 * Every notification the monitor produces, in order, in a bounded ring: the web UI and the MQTT
 * bridge read it (`list(afterSeq)` to catch up, `on('event')` to follow). Sequence numbers never
 * repeat within a run, so a reader that fell behind the ring sees the gap.
 */
import type { Clock } from '../../core/clock.js';
import { Emitter } from '../../core/emitter.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { NotifyType } from '../../conf/notify-types.js';

export interface MonitorEvent {
  seq: number;
  type: NotifyType;
  /** The MONITOR system string (`ups@host`); undefined for host events such as SHUTDOWN. */
  ups: string | undefined;
  message: string;
  /** Date ms, for display only. */
  wallTime: number;
  /** Monotonic ms (Clock.now()). */
  monoTime: number;
}

export const DEFAULT_EVENT_CAPACITY = 500;

export class EventLog {
  private readonly ring: (MonitorEvent | undefined)[];
  private next = 0; // ring index the next event goes to
  private count = 0;
  private seq = 0;
  private readonly emitter: Emitter<{ event: [MonitorEvent] }>;

  constructor(
    private readonly clock: Clock,
    capacity = DEFAULT_EVENT_CAPACITY,
    log: Logger = silentLogger,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`EventLog capacity ${capacity}: accepted: a whole number from 1`);
    this.ring = new Array<MonitorEvent | undefined>(capacity);
    this.emitter = new Emitter((_event, error) => log.warn(`event log listener failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  append(e: { type: NotifyType; ups: string | undefined; message: string }): MonitorEvent {
    const event: MonitorEvent = Object.freeze({
      seq: ++this.seq,
      type: e.type,
      ups: e.ups,
      message: e.message,
      wallTime: this.clock.wallNow(),
      monoTime: this.clock.now(),
    });
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.ring.length;
    this.count = Math.min(this.count + 1, this.ring.length);
    this.emitter.emit('event', event);
    return event;
  }

  /** The events still held, oldest first; with `afterSeq`, only those after it. */
  list(afterSeq = 0): MonitorEvent[] {
    const out: MonitorEvent[] = [];
    const start = (this.next - this.count + this.ring.length) % this.ring.length;
    for (let i = 0; i < this.count; i++) {
      const e = this.ring[(start + i) % this.ring.length]!;
      if (e.seq > afterSeq) out.push(e);
    }
    return out;
  }

  /** Subscribes; returns the function that unsubscribes. A listener that throws hurts no one. */
  on(event: 'event', listener: (e: MonitorEvent) => void): () => void {
    return this.emitter.on(event, listener);
  }
}
