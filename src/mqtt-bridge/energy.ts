/**
 * Energy in kWh, integrated from real power on the gateway (most UPSes report watts, never
 * energy), for Home Assistant's Energy dashboard. The totals must only ever grow, across
 * restarts too, so they are kept in a small JSON file written atomically.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../conf/atomic-write.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** A gap longer than this (stale data, a stopped poll) is not integrated: we do not know what was drawn. */
const MAX_GAP_MS = 5 * 60_000;

interface Sample {
  at: number;
  watts: number;
}

export class EnergyMeter {
  private readonly totals = new Map<string, number>();
  private readonly samples = new Map<string, Sample>();
  private dirty = false;

  constructor(private readonly clock: Clock) {}

  /** Loads the totals kept by a previous run; a missing file is a first run. */
  static async load(file: string | undefined, clock: Clock, log: Logger): Promise<EnergyMeter> {
    const meter = new EnergyMeter(clock);
    if (file === undefined) return meter;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`${file}: cannot read the energy totals (${(e as NodeJS.ErrnoException).code}); counting from 0 kWh`);
      return meter;
    }
    const parsed = parseTotals(text);
    if (!parsed) {
      log.warn(`${file}: not an energy totals file ({"energyKwh": {"<ups>": <number>}}); counting from 0 kWh and replacing it`);
      return meter;
    }
    for (const [ups, kwh] of parsed) meter.totals.set(ups, kwh);
    return meter;
  }

  /**
   * A real-power reading for a UPS (null: unknown now). Integrates the previous reading over the
   * time since it (a step function: UPSes report power per poll).
   */
  record(ups: string, watts: number | null): void {
    const now = this.clock.now();
    const before = this.samples.get(ups);
    if (before && now - before.at <= MAX_GAP_MS && now > before.at) {
      const kwh = (before.watts * (now - before.at)) / 3_600_000_000;
      if (kwh > 0) {
        this.totals.set(ups, (this.totals.get(ups) ?? 0) + kwh);
        this.dirty = true;
      }
    }
    if (watts === null || !Number.isFinite(watts) || watts < 0) this.samples.delete(ups);
    else this.samples.set(ups, { at: now, watts });
    if (!this.totals.has(ups) && watts !== null) this.totals.set(ups, 0);
  }

  /** kWh so far for the UPS; undefined until it has reported real power once (ever). */
  kwh(ups: string): number | undefined {
    const total = this.totals.get(ups);
    return total === undefined ? undefined : Math.round(total * 1e6) / 1e6;
  }

  /** Writes the totals when they changed since the last save. */
  async save(file: string | undefined): Promise<void> {
    if (file === undefined || !this.dirty) return;
    this.dirty = false;
    const energyKwh = Object.fromEntries([...this.totals].map(([ups, kwh]) => [ups, Math.round(kwh * 1e9) / 1e9]));
    try {
      await writeFileAtomically(file, `${JSON.stringify({ energyKwh }, null, 2)}\n`, { mode: 0o644 });
    } catch (e) {
      this.dirty = true;
      throw e;
    }
  }
}

function parseTotals(text: string): Map<string, number> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const energy = (data as { energyKwh?: unknown } | null)?.energyKwh;
  if (typeof energy !== 'object' || energy === null) return undefined;
  const out = new Map<string, number>();
  for (const [ups, kwh] of Object.entries(energy)) {
    if (typeof kwh !== 'number' || !Number.isFinite(kwh) || kwh < 0) return undefined;
    out.set(ups, kwh);
  }
  return out;
}
