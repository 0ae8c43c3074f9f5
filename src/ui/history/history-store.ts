/**
 * The web UI's chart history: per UPS, the mean of a few values per minute over 24 h and per
 * 10 minutes over 7 days, kept across restarts in one small file.
 *
 * Memory is bounded: fixed rings (4 bytes a bucket, about 59 KB for a UPS reporting all six
 * fields) and at most MAX_UPS UPSes. Writes are rare because SD cards wear: at most every
 * `flushEveryMs` (30 min by default) and at stop(), only when something changed, atomically.
 *
 * Wall clock. Buckets are wall-clock time because the charts are labelled with it, but the wall
 * clock of a Pi without an RTC jumps (boot at the last saved time or at 1970, then NTP steps it):
 * - forward: recording carries on at the new time; the buckets skipped read as a gap, and a jump
 *   past the whole window simply empties it. Nothing is written into buckets that already closed.
 * - backward (a sample falls before the newest bucket already written): the sample is dropped,
 *   never blended into the past, which holds another timeline. Usually NTP or the clock itself
 *   catches up (a Pi rebooting after a power cut restores a time a little before our last save),
 *   so we wait. When the clock is more than MAX_CATCHUP_MS behind and stays behind for HOLD_MS
 *   on the monotonic clock, it is not coming back: that UPS starts a fresh history (logged), so
 *   the charts do not stay empty for days.
 * Both are measured against the monotonic clock between samples and logged once per jump.
 */
import { readFile, rename } from 'node:fs/promises';
import { writeFileAtomically } from '../../conf/atomic-write.js';
import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { HISTORY_FIELDS, HISTORY_RANGES, RANGE_SPECS, type HistoryField, type HistoryRange } from './fields.js';
import { decodeHistory, encodeHistory, round1, type SavedRing, type SavedUps } from './history-file.js';
import { Ring } from './ring.js';

export { HISTORY_FIELDS, HISTORY_RANGES, type HistoryField, type HistoryRange } from './fields.js';

export type HistorySample = Partial<Record<HistoryField, number>>;

export interface HistoryPoint {
  /** Wall-clock ms at the start of the bucket. */
  t: number;
  /** Mean over the bucket, null = no data (a gap). */
  v: number | null;
}

/** A gateway drives a handful of UPSes; 16 keeps a misconfigured one from growing memory and the file. */
export const MAX_UPS = 16;
const DEFAULT_FLUSH_EVERY_MS = 30 * 60_000;
/** A wall clock that moves this much more or less than the monotonic one was set, not drifting. */
const JUMP_MS = 60_000;
/** How long a clock far behind the history may stay behind before we give up waiting for it. */
const HOLD_MS = 15 * 60_000;
/** A clock at most this far behind is waited for, however long: it catches up by itself. */
const MAX_CATCHUP_MS = 60 * 60_000;

export interface HistoryStoreOptions {
  /** The history file; undefined keeps the history in memory only. */
  file: string | undefined;
  clock: Clock;
  log: Logger;
  /** How often a changed history is written (default 30 min: SD cards wear). */
  flushEveryMs?: number;
}

type Rings = Record<HistoryRange, Partial<Record<HistoryField, Ring>>>;

interface UpsHistory {
  rings: Rings;
  /** The previous accepted or refused sample, to tell a clock jump from time passing. */
  lastMono: number | undefined;
  lastWall: number | undefined;
  /** Monotonic ms when samples started falling before the newest bucket; undefined when on time. */
  behindSince: number | undefined;
}

export class HistoryStore {
  /** Not readonly: a file that could not be set aside is never saved over (see setAside). */
  private file: string | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly flushEveryMs: number;
  private readonly ups = new Map<string, UpsHistory>();
  private dirty = false;
  private timer: Timer | undefined;
  /** Writes run one after the other: a slow SD card must not see two renames racing. */
  private writing: Promise<void> = Promise.resolve();

  constructor(opts: HistoryStoreOptions) {
    this.file = opts.file;
    this.clock = opts.clock;
    this.log = opts.log;
    this.flushEveryMs = opts.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
  }

  /**
   * Reads the history saved by a previous run (call before record()). A missing file is a first
   * run. A file that cannot be read or is not ours is renamed <file>.corrupt, so the next save
   * does not destroy what a person may still want, and the history starts empty.
   */
  async load(): Promise<void> {
    const file = this.file;
    if (file === undefined) return;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      await this.setAside(file, `cannot be read (${code ?? (e as Error).message})`);
      return;
    }
    const decoded = decodeHistory(text);
    if (!decoded.ok) {
      await this.setAside(file, decoded.why);
      return;
    }
    this.ups.clear();
    const newestFirst = [...decoded.ups].sort((a, b) => savedNewestWall(b[1]) - savedNewestWall(a[1]));
    for (const [name, saved] of newestFirst.slice(0, MAX_UPS)) this.ups.set(name, restoreUps(saved));
    if (newestFirst.length > MAX_UPS) {
      const dropped = newestFirst.slice(MAX_UPS).map(([name]) => name);
      this.log.warn(`${file}: keeps history for at most ${MAX_UPS} UPSes; dropped the ones least recently seen: ${dropped.join(', ')}`);
      this.dirty = true;
    }
  }

  /** Starts writing the history every `flushEveryMs` when it changed. */
  start(): void {
    if (this.timer || this.file === undefined) return;
    this.timer = this.clock.setInterval(() => void this.flush(), this.flushEveryMs);
  }

  /** One poll's values for a UPS (any subset; missing or non-finite values are skipped). */
  record(ups: string, sample: HistorySample): void {
    const entry = this.entryFor(ups);
    const wall = this.clock.wallNow();
    const mono = this.clock.now();
    this.noteJump(ups, entry, wall, mono);
    if (!this.onTime(ups, entry, wall, mono)) return;
    for (const field of HISTORY_FIELDS) {
      const value = sample[field];
      if (value === undefined || !Number.isFinite(value)) continue;
      for (const range of HISTORY_RANGES) {
        const ring = (entry.rings[range][field] ??= new Ring(RANGE_SPECS[range].capacity));
        if (ring.add(Math.floor(wall / RANGE_SPECS[range].bucketMs), value)) this.dirty = true;
      }
    }
  }

  /**
   * The chart's points, oldest first, one per bucket over the whole range ending at the current
   * bucket (gaps as null); empty when nothing was recorded in that range.
   */
  series(ups: string, range: HistoryRange, field: HistoryField): HistoryPoint[] {
    const ring = this.ups.get(ups)?.rings[range]?.[field];
    const newest = ring?.newest;
    if (!ring || newest === undefined) return [];
    const { bucketMs, capacity } = RANGE_SPECS[range];
    // A clock behind the history (waiting for it to catch up) still shows what was recorded.
    const end = Math.max(newest, Math.floor(this.clock.wallNow() / bucketMs));
    const means = ring.window(end);
    if (means.every((m) => m === null)) return [];
    const first = end - capacity + 1;
    return means.map((m, i) => ({ t: (first + i) * bucketMs, v: m === null ? null : round1(m) }));
  }

  upsNames(): string[] {
    return [...this.ups.keys()].sort();
  }

  /** Stops the timer and writes what changed since the last write. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.flush();
  }

  /** Writes the history if it changed; a failure is logged and retried at the next flush. */
  private async flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    await this.writing;
  }

  private async write(): Promise<void> {
    const file = this.file;
    if (file === undefined || !this.dirty) return;
    const text = encodeHistory(this.snapshot());
    this.dirty = false;
    try {
      await writeFileAtomically(file, text, { mode: 0o644 });
    } catch (e) {
      this.dirty = true;
      this.log.warn(`${file}: cannot save the chart history (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); will try again`);
    }
  }

  private snapshot(): Map<string, SavedUps> {
    const out = new Map<string, SavedUps>();
    for (const [name, entry] of this.ups) {
      const saved: SavedUps = {};
      for (const range of HISTORY_RANGES) {
        const fields: Partial<Record<HistoryField, SavedRing>> = {};
        for (const field of HISTORY_FIELDS) {
          const ring = entry.rings[range][field];
          if (ring?.newest === undefined) continue;
          fields[field] = { end: ring.newest, n: ring.count, v: ring.window(ring.newest) };
        }
        saved[range] = fields;
      }
      out.set(name, saved);
    }
    return out;
  }

  private entryFor(ups: string): UpsHistory {
    const known = this.ups.get(ups);
    if (known) return known;
    if (this.ups.size >= MAX_UPS) {
      // Room for a new UPS: the one whose newest data is oldest goes (a UPS renamed or removed).
      let oldest: string | undefined;
      let oldestWall = Infinity;
      for (const [name, entry] of this.ups) {
        const wall = newestWall(entry.rings);
        if (wall < oldestWall) [oldest, oldestWall] = [name, wall];
      }
      if (oldest !== undefined) {
        this.ups.delete(oldest);
        this.log.info(`history: keeps at most ${MAX_UPS} UPSes; dropped "${oldest}" (least recently seen) to make room for "${ups}"`);
      }
    }
    const entry: UpsHistory = { rings: emptyRings(), lastMono: undefined, lastWall: undefined, behindSince: undefined };
    this.ups.set(ups, entry);
    this.dirty = true;
    return entry;
  }

  /** Logs a wall-clock step between two samples (the monotonic clock says how much time really passed). */
  private noteJump(ups: string, entry: UpsHistory, wall: number, mono: number): void {
    if (entry.lastMono !== undefined && entry.lastWall !== undefined) {
      const step = wall - entry.lastWall - (mono - entry.lastMono);
      if (Math.abs(step) > JUMP_MS) {
        this.log.info(`history: ${ups}: the wall clock jumped ${step > 0 ? 'forward' : 'back'} by ${duration(Math.abs(step))}`);
      }
    }
    entry.lastMono = mono;
    entry.lastWall = wall;
  }

  /** False while the wall clock is behind this UPS's newest bucket (see the header for why). */
  private onTime(ups: string, entry: UpsHistory, wall: number, mono: number): boolean {
    const behindBy = newestWall(entry.rings) - wall;
    const behind = allRings(entry.rings).some((r) => r.ring.newest !== undefined && Math.floor(wall / r.bucketMs) < r.ring.newest);
    if (!behind) {
      if (entry.behindSince !== undefined) this.log.info(`history: ${ups}: the wall clock caught up with the history; recording again`);
      entry.behindSince = undefined;
      return true;
    }
    if (entry.behindSince === undefined) {
      entry.behindSince = mono;
      this.log.info(`history: ${ups}: the wall clock is ${duration(Math.max(0, behindBy))} behind the saved history; not recording until it catches up`);
      return false;
    }
    if (behindBy <= MAX_CATCHUP_MS || mono - entry.behindSince < HOLD_MS) return false;
    this.log.warn(`history: ${ups}: the wall clock has stayed ${duration(behindBy)} behind the history for ${duration(HOLD_MS)}; starting a new history for this UPS`);
    for (const r of allRings(entry.rings)) r.ring.clear();
    entry.behindSince = undefined;
    this.dirty = true;
    return true;
  }

  private async setAside(file: string, why: string): Promise<void> {
    const aside = `${file}.corrupt`;
    try {
      await rename(file, aside);
      this.log.warn(`${file}: ${why}; moved it to ${aside} and starting an empty chart history`);
    } catch (e) {
      this.log.warn(`${file}: ${why}; could not move it to ${aside} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); starting an empty chart history and not saving over it`);
      // Saving would replace the file a person may still want to rescue: keep this run in memory.
      this.file = undefined;
    }
  }
}

function emptyRings(): Rings {
  return { '24h': {}, '7d': {} };
}

function restoreUps(saved: SavedUps): UpsHistory {
  const rings = emptyRings();
  for (const range of HISTORY_RANGES) {
    for (const field of HISTORY_FIELDS) {
      const ring = saved[range]?.[field];
      if (!ring) continue;
      const restored = new Ring(RANGE_SPECS[range].capacity);
      restored.restore(ring.end, ring.v, ring.n);
      rings[range][field] = restored;
    }
  }
  return { rings, lastMono: undefined, lastWall: undefined, behindSince: undefined };
}

function allRings(rings: Rings): Array<{ ring: Ring; bucketMs: number }> {
  const out: Array<{ ring: Ring; bucketMs: number }> = [];
  for (const range of HISTORY_RANGES) {
    for (const ring of Object.values(rings[range])) if (ring) out.push({ ring, bucketMs: RANGE_SPECS[range].bucketMs });
  }
  return out;
}

/** Wall ms at the start of the newest bucket written (-Infinity when nothing was): within a minute of the newest sample. */
function newestWall(rings: Rings): number {
  let newest = -Infinity;
  for (const { ring, bucketMs } of allRings(rings)) {
    if (ring.newest !== undefined) newest = Math.max(newest, ring.newest * bucketMs);
  }
  return newest;
}

function savedNewestWall(saved: SavedUps): number {
  let newest = -Infinity;
  for (const range of HISTORY_RANGES) {
    for (const ring of Object.values(saved[range] ?? {})) if (ring) newest = Math.max(newest, ring.end * RANGE_SPECS[range].bucketMs);
  }
  return newest;
}

function duration(ms: number): string {
  if (ms >= 86_400_000) return `${round1(ms / 86_400_000)} days`;
  if (ms >= 3_600_000) return `${round1(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${round1(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
