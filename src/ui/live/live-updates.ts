/**
 * Server-sent events for the status page. Each open page gets one stream; a change of a UPS is
 * sent once the current turn of the event loop is over (a driver's poll sets many variables at
 * once and they go out as one message), and while a slow browser has not taken the last message
 * only the newest state waits for it — nothing queues up. Journal entries follow the same road.
 * The number of streams is bounded; a page beyond it falls back to reloading.
 */
import type { Device } from '../../core/device.js';
import type { DeviceTable } from '../../core/device-table.js';
import type { EventJournal, JournalEntry } from '../event-journal.js';
import { cardText, upsCard } from '../ups-card.js';

export const MAX_STREAMS = 16;

export interface LiveMessage {
  event: 'ups' | 'journal';
  data: string;
}

/** Where a stream's messages go; resolves when the browser has taken it. */
export type Send = (m: LiveMessage) => Promise<void>;

export function upsMessage(device: Device): LiveMessage {
  const card = upsCard(device);
  return { event: 'ups', data: JSON.stringify({ ...card, text: cardText(card) }) };
}

export function journalMessage(e: JournalEntry): LiveMessage {
  return { event: 'journal', data: JSON.stringify(e) };
}

export class LiveUpdates {
  private streams = 0;

  constructor(
    private readonly devices: DeviceTable,
    private readonly journal: EventJournal,
  ) {}

  get open(): number {
    return this.streams;
  }

  /** Follows every UPS and the journal into `send` until `closed` settles; false when there are too many streams. */
  follow(send: Send, closed: Promise<void>): boolean {
    if (this.streams >= MAX_STREAMS) return false;
    this.streams++;
    const dirty = new Set<Device>();
    const entries: JournalEntry[] = [];
    let scheduled = false;
    let sending = false;
    let done = false;

    const flush = async () => {
      scheduled = false;
      if (sending || done) return;
      sending = true;
      try {
        while (!done && (dirty.size > 0 || entries.length > 0)) {
          const batch: LiveMessage[] = [...dirty].map(upsMessage);
          dirty.clear();
          batch.push(...entries.splice(0).map(journalMessage));
          for (const m of batch) await send(m);
        }
      } catch {
        done = true; // the browser went away; `closed` cleans up
      } finally {
        sending = false;
      }
    };
    const schedule = () => {
      if (scheduled || sending) return;
      scheduled = true;
      setImmediate(() => void flush());
    };
    const unsubscribe: (() => void)[] = [];
    for (const device of this.devices.list()) {
      const changed = () => {
        dirty.add(device);
        schedule();
      };
      unsubscribe.push(device.on('variable', changed), device.on('availability', changed), device.on('fsd', changed));
      dirty.add(device);
    }
    unsubscribe.push(this.journal.on((e) => {
      // A page that cannot keep up loses the oldest log lines, not its memory.
      if (entries.length < 50) entries.push(e);
      schedule();
    }));
    schedule();
    void closed.finally(() => {
      done = true;
      this.streams--;
      for (const u of unsubscribe) u();
    });
    return true;
  }
}
