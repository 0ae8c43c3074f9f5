import { readField } from './codec.js';
import type { HidDescriptor } from './descriptor.js';
import type { HidField, HidTransport } from './hid-types.js';

/**
 * The last Feature report read for each report ID, as usbhid-ups keeps them: a walk fetches each
 * report it needs once, every field of it decodes from that buffer, and a write patches its field
 * into a copy of it (read-modify-write of the neighbouring fields). A reply shorter than the
 * descriptor says keeps the earlier bytes beyond it, as NUT's buffer does.
 */
export class ReportCache {
  private readonly last = new Map<number, Buffer>();

  /** NUT's `maxreport` tweak: some APC firmware overflows its declared report sizes, so every report is asked for at the largest. */
  private readonly maxLength: number | undefined;

  constructor(
    private readonly transport: HidTransport,
    private readonly descriptor: HidDescriptor,
    options: { maxReport?: boolean } = {},
  ) {
    this.maxLength = options.maxReport
      ? Math.max(1, ...descriptor.reportIds('Feature').map((id) => descriptor.reportLength('Feature', id)))
      : undefined;
  }

  /** What a GET_REPORT asks for. */
  readLength(reportId: number): number {
    return this.maxLength ?? this.declaredLength(reportId);
  }

  /** The report as the descriptor declares it: what a SET_REPORT sends. */
  declaredLength(reportId: number): number {
    return Math.max(1, this.descriptor.reportLength('Feature', reportId));
  }

  /** Fetches the reports of these fields, once each; resolves with how many answered. */
  async fetch(fields: readonly HidField[]): Promise<number> {
    const ids = [...new Set(fields.map((f) => f.reportId))];
    let answered = 0;
    for (const id of ids) {
      if (await this.fetchOne(id)) answered++;
    }
    return answered;
  }

  async fetchOne(reportId: number): Promise<Buffer | undefined> {
    let reply: Buffer;
    try {
      reply = await this.transport.getFeature(reportId, this.readLength(reportId));
    } catch {
      return undefined;
    }
    if (reply.length === 0) return undefined;
    this.store(reportId, reply);
    return this.last.get(reportId);
  }

  /** Keeps a report (a reply, or what was just written); a shorter one overlays the one before. */
  store(reportId: number, report: Buffer): void {
    const before = this.last.get(reportId);
    if (before && report.length < before.length) {
      const merged = Buffer.from(before);
      report.copy(merged);
      this.last.set(reportId, merged);
    } else {
      this.last.set(reportId, Buffer.from(report));
    }
  }

  buffer(reportId: number): Buffer | undefined {
    return this.last.get(reportId);
  }

  read(field: HidField): number | undefined {
    const report = this.last.get(field.reportId);
    return report ? readField(field, report) : undefined;
  }
}
