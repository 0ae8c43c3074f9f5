import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { writeField } from './codec.js';
import type { HidTransport } from './hid-types.js';
import type { FieldWrite } from './mapping/index.js';
import type { ReportCache } from './report-cache.js';

/**
 * Sends what a command or SET means, one SET_REPORT(Feature) per write, in order: each field is
 * patched into the latest copy of its report (fetched first when none was read yet), and the
 * pauses some composite commands need (shutdown.return: 125 ms between its two writes) are kept.
 * Resolves false, with the reason logged, at the first write the device refuses.
 */
export async function sendWrites(
  link: { transport: HidTransport; cache: ReportCache },
  writes: readonly FieldWrite[],
  clock: Clock,
  log: Logger,
  what: string,
): Promise<boolean> {
  for (const w of writes) {
    const id = w.field.reportId;
    const base = link.cache.buffer(id) ?? (await link.cache.fetchOne(id)) ?? Buffer.from([id]);
    let report: Buffer;
    try {
      report = writeField(w.field, w.value, base, link.cache.declaredLength(id));
      await link.transport.sendFeature(report);
    } catch (e) {
      log.warn(`${what}: writing ${w.field.path} = ${w.value} failed: ${(e as Error).message}`);
      return false;
    }
    link.cache.store(id, report);
    log.info(`${what}: ${w.field.path} = ${w.value} (report ${[...report].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`);
    if (w.pauseAfterMs) await new Promise<void>((resolve) => clock.setTimeout(resolve, w.pauseAfterMs!));
  }
  return true;
}
