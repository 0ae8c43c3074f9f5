import type { CommandOutcome } from '../../core/command-target.js';
import { FrameworkDriver } from '../driver-core.js';
import type { DriverContext } from '../driver.js';
import { readField } from './codec.js';
import { parseReportDescriptor, type HidDescriptor } from './descriptor.js';
import type { HidBus, HidField, HidTransport } from './hid-types.js';
import { HidMapper, type MapperOptions, type Subdriver, type Walk } from './mapping/index.js';
import { HidRecovery } from './recovery.js';
import { ReportCache } from './report-cache.js';
import { openNodeHidBus } from './transport/node-hid-bus.js';
import { parseMatchConfig, type UsbMatchConfig } from './transport/matching.js';
import { ReplayBus } from './transport/replay-bus.js';
import { VENDOR_USAGE_NAMES, type VendorSubdriver } from './descriptor-vendor-names.js';
import { usageNames } from './usage-names.js';
import { USBHID_UPS_INFO } from './usbhid-info.js';
import { usbHidOptions } from './usbhid-options.js';
import { sendWrites } from './write-reports.js';

/** How long start-up waits for the UPS to appear before the start counts as failed (upsdrvctl then retries). */
const FIRST_CONNECT_MS = 15_000;

/** One UPS as the driver holds it while connected. */
interface Link {
  transport: HidTransport;
  descriptor: HidDescriptor;
  mapper: HidMapper;
  cache: ReportCache;
}

/**
 * NUT's usbhid-ups: a USB HID Power Device Class UPS through node-hid on Linux hidraw (or a
 * recorded device, `port = replay:<file>`). Interrupt reports update the variables at once; each
 * pollinterval a quick walk reads the status rows, every `pollfreq` seconds a full walk reads
 * everything. When the UPS drops off the bus (unplugged, or re-enumerated on another hidraw node
 * as some do when they switch to battery) the data is marked stale at once and the recovery finds
 * it again by the same ups.conf matching, with backoff; drops and recoveries are published as
 * driver.* variables. After `maxfailures` failed attempts in a row the driver gives up and the
 * process exits non-zero, so systemd restarts it.
 */
export class UsbHidUps extends FrameworkDriver {
  private readonly match: UsbMatchConfig;
  private readonly mapperOptions: MapperOptions;
  private readonly pollFreqMs: number;
  private readonly pollOnly: boolean;
  private readonly maxFailures: number;
  private readonly maxReport: boolean;
  private recovery: HidRecovery | undefined;
  private link: Link | undefined;
  private subdriver: Subdriver | undefined;
  private lastFullWalk = Number.NEGATIVE_INFINITY;
  private firstConnection: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    ctx: DriverContext,
    /** The hardware boundary: node-hid by default, a recorded device for `replay:` ports and tests. */
    private bus?: HidBus,
  ) {
    super(ctx, USBHID_UPS_INFO);
    this.match = parseMatchConfig(ctx.section, ctx.confDir);
    for (const w of this.match.warnings) this.log.warn(w);
    const o = usbHidOptions(ctx.section);
    this.mapperOptions = o.mapper;
    this.pollFreqMs = o.pollFreqMs;
    this.maxFailures = o.maxFailures;
    this.pollOnly = o.pollOnly;
    this.maxReport = o.maxReport;
  }

  protected async initUps(): Promise<void> {
    // NUT publishes the walk period it uses, default or not.
    this.device.setInfo('driver.parameter.pollfreq', String(this.pollFreqMs / 1000));
    this.bus ??= this.match.port.kind === 'replay' ? await ReplayBus.load(this.match.port.file, this.ctx.confDir) : await openNodeHidBus();
    const connected = new Promise<void>((resolve, reject) => {
      this.firstConnection = { resolve, reject };
    });
    this.recovery = new HidRecovery({
      bus: this.bus,
      matcher: this.match.matcher,
      clock: this.clock,
      log: this.log,
      maxFailures: this.maxFailures,
      onConnected: (t) => this.connected(t),
      onLost: (reason) => this.lost(reason),
      onGiveUp: (reason) => this.gaveUp(reason),
    });
    this.recovery.start();
    const timer = this.clock.setTimeout(() => this.firstConnection?.reject(new Error(this.noDeviceMessage())), FIRST_CONNECT_MS);
    try {
      await connected;
    } finally {
      timer.cancel();
      this.firstConnection = undefined;
    }
  }

  protected async initInfo(): Promise<void> {
    // connected() has already published the variables and commands of the device.
  }

  protected async updateInfo(): Promise<void> {
    const link = this.link;
    if (!link) return; // lost: recovery is at work and the data is stale
    const now = this.clock.now();
    const walk: Walk = link.mapper.wantsFullWalk || now - this.lastFullWalk >= this.pollFreqMs ? 'full' : 'quick';
    const ok = await this.walk(link, walk);
    if (link !== this.link) return;
    if (!ok) {
      this.recovery?.reportFailure(new Error(`every report of the ${walk} walk failed`));
      return;
    }
    this.recovery?.reportSuccess();
    if (walk === 'full') this.lastFullWalk = now;
    this.publishLinkStats();
    this.device.dataOk();
  }

  protected override cleanup(): void {
    const link = this.link;
    this.link = undefined;
    void this.recovery?.stop();
    this.recovery = undefined;
    if (link) void link.transport.close().catch(() => undefined);
  }

  async instcmd(command: string, parameter?: string): Promise<CommandOutcome> {
    const link = this.link;
    if (!link) return 'failed';
    const writes = link.mapper.commandWrites(command, parameter);
    if (writes === 'unknown' || writes === 'invalid-argument') return writes;
    return (await sendWrites(link, writes, this.clock, this.log, `instcmd ${command}`)) ? 'success' : 'failed';
  }

  async setVariable(name: string, value: string): Promise<CommandOutcome> {
    const link = this.link;
    if (!link) return 'failed';
    const writes = link.mapper.setWrites(name, value);
    if (writes === 'unknown' || writes === 'invalid-argument') return writes;
    return (await sendWrites(link, writes, this.clock, this.log, `setvar ${name}`)) ? 'success' : 'failed';
  }

  /** A device (first, or again after a drop): descriptor, subdriver, mapping, the first walk. */
  private async connected(transport: HidTransport): Promise<void> {
    const info = transport.info;
    const sub = HidMapper.forDevice(info, { productIdGiven: this.match.matcher.options.productid !== undefined });
    const descriptor = parseReportDescriptor(await transport.reportDescriptor(), usageNames(vendorNamesOf(sub)));
    const maxReport = this.maxReport ||
      (sub.maxReportProducts ?? []).some((p) => info.product?.startsWith(p) ?? false);
    const cache = new ReportCache(transport, descriptor, { maxReport });
    const strings = await readStrings(transport);
    const mapper = new HidMapper(sub, descriptor, this.device, this.mapperOptions, (i) => strings.get(i), info);
    await cache.fetch(mapper.fieldsFor('init'));
    mapper.init((f) => cache.read(f));
    const link: Link = { transport, descriptor, mapper, cache };
    if (this.subdriver === undefined) this.log.info(`${sub.versionData} subdriver for ${info.manufacturer ?? ''} ${info.product ?? ''} at ${info.path}`);
    this.subdriver = sub;
    this.device.setInfo('driver.version.data', sub.versionData);
    if (!this.pollOnly && !mapper.quirks.pollOnly) transport.onInput((report) => this.interrupt(link, report));
    this.link = link;
    this.lastFullWalk = this.clock.now();
    this.publishLinkStats();
    this.device.dataOk();
    this.firstConnection?.resolve();
  }

  private interrupt(link: Link, report: Buffer): void {
    if (link !== this.link || report.length === 0) return;
    const fields = link.descriptor.fields.filter((f) => f.type === 'Input' && f.reportId === report[0]);
    if (fields.length === 0) return;
    link.mapper.input(fields, (f) => readField(f, report));
    this.device.dataOk();
  }

  private lost(reason: string): void {
    this.link = undefined;
    this.log.warn(`UPS lost (${reason}): data is stale until it is back`);
    this.device.dataStale();
    this.publishLinkStats();
  }

  private gaveUp(reason: string): void {
    if (this.firstConnection) {
      this.firstConnection.reject(new Error(`${this.noDeviceMessage()} (${reason})`));
      return;
    }
    this.fatal(`giving up on the UPS after repeated failures (${reason})`);
    this.ctx.giveUp?.(`usbhid-ups for [${this.ctx.section.name}] gave up: ${reason}`);
  }

  /** One walk: each report the walk needs is fetched once; true when at least one answered. */
  private async walk(link: Link, walk: Walk): Promise<boolean> {
    const fields = link.mapper.fieldsFor(walk);
    const answered = await link.cache.fetch(fields);
    if (fields.length > 0 && answered === 0) return false;
    link.mapper.update(walk, (f: HidField) => link.cache.read(f));
    return true;
  }

  /** How the link has fared, for status pages (driver.* values are the driver's own in NUT too). */
  private publishLinkStats(): void {
    const s = this.recovery?.stats;
    if (!s) return;
    this.device.setInfo('driver.state.usb.drops', String(s.drops));
    this.device.setInfo('driver.state.usb.recoveries', String(s.recoveries));
    if (s.lastDropReason !== undefined) this.device.setInfo('driver.state.usb.lastdrop', s.lastDropReason);
  }

  private noDeviceMessage(): string {
    const o = this.match.matcher.options;
    const wanted = Object.entries(o).map(([k, v]) => `${k} = ${v}`).join(', ');
    return `[${this.ctx.section.name}]: no matching HID UPS found${wanted ? ` (${wanted})` : ''}; run "upsgate scan" to see the UPSes attached`;
  }
}

/** The strings a UPS names by index (iProduct, iDeviceChemistry …), as far as the platform gives them. */
async function readStrings(transport: HidTransport): Promise<Map<number, string>> {
  const strings = new Map<number, string>();
  for (let i = 1; i < 32; i++) {
    const s = await transport.indexedString(i).catch(() => undefined);
    if (s !== undefined) strings.set(i, s);
  }
  return strings;
}

/** The parser's name table for a subdriver (the generic one has no vendor names: NUT's explore table). */
function vendorNamesOf(sub: Subdriver): VendorSubdriver | 'explore' {
  return Object.prototype.hasOwnProperty.call(VENDOR_USAGE_NAMES, sub.name) ? (sub.name as VendorSubdriver) : 'explore';
}

