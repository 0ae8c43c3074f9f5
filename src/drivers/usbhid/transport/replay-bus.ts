/**
 * A recorded HID device (fixtures/hid/README.md format) behaving as if it were plugged in, for
 * tests, demos and `hid-dump`. Selected in ups.conf by `port = replay:<file>`, the file relative to
 * the configuration folder (see matching.ts). Nothing is ever sent to real hardware.
 *
 * - GET_REPORT(Feature, id) answers the latest buffer known for that id: the last one in the
 *   recording, replaced by what a test sets or what the driver writes (a device keeps what it is
 *   told: a written DelayBeforeShutdown reads back). A recorded short reply stays short, as the
 *   real device sent it; a reply is cut to the length asked, as a control transfer is.
 * - SET_REPORT(Feature) is recorded (`sent()`), never sent anywhere.
 * - Interrupt reports are emitted when the test or the driver asks (`emitInput`, `emitRecordedInput`).
 * - The device can be unplugged and replugged, possibly at another hidraw path, to prove recovery.
 */
import { resolve } from 'node:path';
import type { HidBus, HidDeviceInfo, HidTransport } from '../hid-types.js';
import { loadRecording } from '../recording.js';

/** What a replay needs of a recording (recording.ts's HidRecording has it). */
export interface RecordedDevice {
  device: HidDeviceInfo;
  descriptor: Buffer;
  featureReads: Buffer[];
  interruptIn: Buffer[];
  /** USB string descriptors by index, when the capture has them (iDeviceChemistry's "PbAc"…). */
  strings?: ReadonlyMap<number, string>;
}

export type Bytes = Buffer | Uint8Array | readonly number[] | string;

/** `Buffer`, byte array, or hex text as the recordings write it (`0c 64 00`). */
export function toBuffer(bytes: Bytes): Buffer {
  if (typeof bytes === 'string') {
    const words = bytes.trim().split(/\s+/).filter((w) => w !== '');
    if (words.some((w) => !/^[0-9a-fA-F]{2}$/.test(w))) throw new RangeError(`not hex bytes: ${JSON.stringify(bytes)}`);
    return Buffer.from(words.map((w) => Number.parseInt(w, 16)));
  }
  return Buffer.from(bytes as Uint8Array);
}

function errnoError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export class ReplayBus implements HidBus {
  private readonly reports = new Map<number, Buffer>();
  private readonly writes: Buffer[] = [];
  private readonly openTransports = new Set<ReplayTransport>();
  private info: HidDeviceInfo;
  private plugged = true;
  private nextInterrupt = 0;
  private failing = 0;

  constructor(private readonly recording: RecordedDevice) {
    this.info = { ...recording.device };
    for (const r of recording.featureReads) this.reports.set(r[0] ?? 0, Buffer.from(r));
  }

  /** Recorded from a file (hid-dump, `port = replay:`). */
  static async load(file: string, confDir = process.cwd()): Promise<ReplayBus> {
    return new ReplayBus(await loadRecording(resolve(confDir, file)));
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** Where the device sits now (the recording file until a replug names another path). */
  get device(): HidDeviceInfo {
    return { ...this.info };
  }

  async list(): Promise<HidDeviceInfo[]> {
    return this.plugged ? [this.device] : [];
  }

  async open(device: HidDeviceInfo): Promise<HidTransport> {
    if (!this.plugged) throw errnoError('ENODEV', `${device.path}: no such device (unplugged)`);
    if (device.path !== this.info.path) throw errnoError('ENOENT', `${device.path}: no such file or directory`);
    const t = new ReplayTransport(this, this.device, this.recording.descriptor, this.recording.strings);
    this.openTransports.add(t);
    return t;
  }

  // ---- scripting -----------------------------------------------------------------------------

  /** Changes what the device reports for the report ID in byte 0 (e.g. ACPresent 0: on battery). */
  setFeature(bytes: Bytes): void {
    const b = toBuffer(bytes);
    if (b.length === 0) throw new RangeError('a report needs at least its report ID byte');
    this.reports.set(b[0]!, b);
  }

  /** An interrupt IN report, delivered to every open transport (dropped when none listens, as hidraw does). */
  emitInput(bytes: Bytes): void {
    const b = toBuffer(bytes);
    if (!this.plugged) return;
    for (const t of this.openTransports) t.deliver(b);
  }

  /** Emits the next `[interrupt_in]` report of the recording; false when all were played. */
  emitRecordedInput(): boolean {
    const next = this.recording.interruptIn[this.nextInterrupt];
    if (!next) return false;
    this.nextInterrupt++;
    this.emitInput(next);
    return true;
  }

  /** The next `count` feature reads and writes fail with EIO while the device stays plugged (a flaky link). */
  failNext(count: number): void {
    this.failing = count;
  }

  /** Every call on every open transport rejects from now on, and their onGone listeners fire. */
  unplug(): void {
    if (!this.plugged) return;
    this.plugged = false;
    const gone = [...this.openTransports];
    this.openTransports.clear();
    for (const t of gone) t.gone(errnoError('ENODEV', `${t.info.path}: device unplugged`));
  }

  /** The device appears again, at `path` when given (a UPS re-enumerating on another hidraw node). */
  replug(options: { path?: string } = {}): void {
    this.plugged = true;
    if (options.path !== undefined) this.info = { ...this.info, path: options.path };
  }

  /** Every SET_REPORT(Feature) the driver made, in order (copies). */
  sent(): Buffer[] {
    return this.writes.map((b) => Buffer.from(b));
  }

  // ---- for the transports --------------------------------------------------------------------

  /** @internal */
  feature(t: ReplayTransport, reportId: number, length: number): Buffer {
    this.check(t);
    const r = this.reports.get(reportId);
    // A real device stalls the control pipe for a report it does not have; hidraw says EPIPE.
    if (!r) throw errnoError('EPIPE', `${t.info.path}: report 0x${reportId.toString(16).padStart(2, '0')} is not in the recording`);
    return Buffer.from(r.subarray(0, Math.max(1, length)));
  }

  /** @internal */
  write(t: ReplayTransport, report: Buffer): void {
    this.check(t);
    if (report.length === 0) throw new RangeError('a feature report needs at least its report ID byte');
    const copy = Buffer.from(report);
    this.writes.push(copy);
    this.reports.set(copy[0]!, Buffer.from(copy));
  }

  /** @internal */
  closed(t: ReplayTransport): void {
    this.openTransports.delete(t);
  }

  private check(t: ReplayTransport): void {
    if (!t.usable) throw errnoError('ENODEV', `${t.info.path}: no such device`);
    if (this.failing > 0) {
      this.failing--;
      throw errnoError('EIO', `${t.info.path}: input/output error`);
    }
  }
}

class ReplayTransport implements HidTransport {
  private readonly inputListeners: Array<(report: Buffer) => void> = [];
  private readonly goneListeners: Array<(error: Error) => void> = [];
  private state: 'open' | 'gone' | 'closed' = 'open';

  constructor(
    private readonly bus: ReplayBus,
    readonly info: HidDeviceInfo,
    private readonly descriptor: Buffer,
    private readonly strings: ReadonlyMap<number, string> | undefined,
  ) {}

  get usable(): boolean {
    return this.state === 'open';
  }

  async reportDescriptor(): Promise<Buffer> {
    if (!this.usable) throw errnoError('ENODEV', `${this.info.path}: no such device`);
    return Buffer.from(this.descriptor);
  }

  async getFeature(reportId: number, length: number): Promise<Buffer> {
    return this.bus.feature(this, reportId, length);
  }

  async sendFeature(report: Buffer): Promise<void> {
    this.bus.write(this, report);
  }

  /** Only what the capture holds: most recordings carry the enumeration strings, not the string descriptors. */
  async indexedString(index: number): Promise<string | undefined> {
    if (!this.usable) throw errnoError('ENODEV', `${this.info.path}: no such device`);
    return this.strings?.get(index);
  }

  onInput(listener: (report: Buffer) => void): void {
    this.inputListeners.push(listener);
  }

  onGone(listener: (error: Error) => void): void {
    this.goneListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.state === 'open') this.state = 'closed';
    this.bus.closed(this);
  }

  deliver(report: Buffer): void {
    if (!this.usable) return;
    for (const l of [...this.inputListeners]) l(Buffer.from(report));
  }

  gone(error: Error): void {
    if (this.state !== 'open') return;
    this.state = 'gone';
    for (const l of [...this.goneListeners]) l(error);
  }
}
