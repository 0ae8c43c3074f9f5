/**
 * The web UI's event log: power events, the monitor's notifications, driver drops and
 * recoveries, commands and logins, newest last, in a bounded ring (what a person scrolls through
 * after an outage). Held in memory: the monitor's syslog lines and the notification channels are
 * the durable record.
 */
import type { Clock } from '../core/clock.js';

export type JournalKind = 'power' | 'notify' | 'driver' | 'command' | 'login' | 'settings';

export interface JournalEntry {
  seq: number;
  kind: JournalKind;
  /** The UPS it concerns, if any. */
  ups: string | undefined;
  message: string;
  /** Wall-clock ms, for display only. */
  wallTime: number;
  /** warn: someone should look (on battery, driver lost, failed login). */
  level: 'info' | 'warn';
}

export const JOURNAL_CAPACITY = 500;

export class EventJournal {
  private readonly ring: JournalEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<(e: JournalEntry) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity = JOURNAL_CAPACITY,
  ) {}

  add(kind: JournalKind, ups: string | undefined, message: string, level: JournalEntry['level'] = 'info'): JournalEntry {
    const entry: JournalEntry = Object.freeze({ seq: ++this.seq, kind, ups, message, wallTime: this.clock.wallNow(), level });
    this.ring.push(entry);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch {
        // A listener's fault (a closed stream) must not stop the log.
      }
    }
    return entry;
  }

  /** Newest first, at most `limit`. */
  recent(limit = this.capacity): JournalEntry[] {
    return this.ring.slice(-limit).reverse();
  }

  on(listener: (e: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
