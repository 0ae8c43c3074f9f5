import type { CommandOutcome } from '../../core/command-target.js';
import { positionOf } from '../driver-config.js';
import { FrameworkDriver } from '../driver-core.js';
import type { DriverContext } from '../driver.js';
import { APCSMART_INFO, apcSmartOptions, type ApcSmartOptions } from './apcsmart-info.js';
import { ApcCommands } from './commands.js';
import { Detector, enterSmartMode } from './detect.js';
import { applyAlert, parseStatusByte, statusWords } from './protocol.js';
import { openSerialPort, type SerialOpener } from '../serial-channel.js';
import { ShutdownSender } from './shutdown.js';
import { READ_SHORT_MS, SmartLink } from './smart-link.js';
import { STAT_LB, STAT_OB, type ApcCmd } from './tables.js';
import { ApcVariables, type VarRow } from './variables.js';

/** Every variable is read again this often; the others (APC_POLL) at every update. */
const FULL_UPDATE_MS = 3600_000;
/** Reopening a vanished port: first after 1 s, doubling up to a minute. */
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 60_000;
/**
 * Failed updates in a row after which the port is closed and opened again: a pty or USB adapter
 * that went away does not always tell the process, and a reopened device is a new one.
 */
const REOPEN_AFTER_FAILURES = 2;

/**
 * NUT 2.8.0's apcsmart: an APC Smart-UPS on a serial port (2400 8N1, the 940-0024C cable).
 * Start-up finds out what the model has (see detect.ts); each update reads the status byte and
 * the polled variables, every variable hourly. Alert characters the UPS sends between replies
 * change ups.status at once. When the port goes away (a USB serial adapter unplugged) the data
 * is stale at once and the port is reopened with backoff; a UPS that stops answering is stale
 * until `Y` and `Q` work again.
 */
export class ApcSmart extends FrameworkDriver {
  private readonly opts: ApcSmartOptions;
  private link: SmartLink | undefined;
  private vars: ApcVariables | undefined;
  private commandSet: ReadonlySet<ApcCmd> = new Set();
  private statusByte = 0;
  private lastFull = Number.NEGATIVE_INFINITY;
  private nextReconnect = 0;
  private reconnectDelay = RECONNECT_MIN_MS;
  private stale = false;
  private failures = 0;
  /** Kept per link: it remembers when a dangerous command was last asked for. */
  private commandsOf: { link: SmartLink; commands: ApcCommands } | undefined;

  constructor(
    ctx: DriverContext,
    /** The hardware boundary: serialport by default. */
    private readonly open: SerialOpener = openSerialPort,
  ) {
    super(ctx, APCSMART_INFO);
    this.opts = apcSmartOptions(ctx.section);
  }

  protected async initUps(): Promise<void> {
    this.vars = new ApcVariables(this.device);
    this.lastFull = Number.NEGATIVE_INFINITY;
    this.stale = false;
    try {
      this.link = await this.connect();
    } catch (e) {
      throw new Error(`${positionOf(this.ctx.section, 'port')}: [${this.ctx.section.name}]: cannot open serial port ` +
        `${this.port}: ${(e as Error).message}; port = the UPS's serial device, e.g. /dev/ttyS0 or /dev/ttyUSB0`);
    }
  }

  protected async initInfo(): Promise<void> {
    const link = this.link!;
    const vars = this.vars!;
    if (!(await enterSmartMode(link, 5))) {
      throw new Error(`${positionOf(this.ctx.section, 'port')}: [${this.ctx.section.name}]: unable to detect an APC Smart ` +
        `protocol UPS on port ${this.port}; ` +
        'check the cabling (APC 940-0024C), the port name, and that the UPS is a Smart-UPS');
    }
    const found = await new Detector(link, vars, this.device, this.log).run();
    this.commandSet = found.commands;
    this.device.setInfo('ups.mfr', 'APC');
    this.lastFull = this.clock.now(); // detection has just read every variable
    this.log.info(`detected ${this.device.getInfo('ups.model') ?? 'unknown model'} [${this.device.getInfo('ups.serial') ?? 'unknown serial'}] on ${this.port}`);
    this.device.dataOk();
  }

  protected async updateInfo(): Promise<void> {
    let link = this.link;
    if (!link || link.isClosed) {
      link = await this.reconnect();
      if (!link) return;
    }
    const ok = await link.exclusive(() => this.poll(link!)).catch((e: Error) => {
      this.log.warn(`update failed: ${e.message}`);
      return false;
    });
    if (ok) {
      if (this.stale) this.log.info('communication with the UPS re-established');
      this.stale = false;
      this.failures = 0;
      this.device.dataOk();
      return;
    }
    this.markStale('the UPS did not answer');
    if (++this.failures >= REOPEN_AFTER_FAILURES && this.link === link) {
      this.failures = 0;
      this.link = undefined;
      this.log.info(`closing ${this.port} to open it again`);
      void link.close(); // not awaited: closing a hung-up tty can take as long as the kernel likes
    }
  }

  protected override cleanup(): void {
    const link = this.link;
    this.link = undefined;
    // Back to dumb mode (R) as NUT leaves it, then let the port go.
    if (link && !link.isClosed) void link.send('R').catch(() => undefined).then(() => link.close());
  }

  instcmd(command: string, parameter?: string): Promise<CommandOutcome> {
    const link = this.link;
    if (!link || link.isClosed || this.stale) return Promise.resolve('failed');
    return link.exclusive(() => this.commands(link).instcmd(command, parameter)).catch(() => 'failed' as const);
  }

  setVariable(name: string, value: string): Promise<CommandOutcome> {
    const link = this.link;
    if (!link || link.isClosed || this.stale) return Promise.resolve('failed');
    return link.exclusive(() => this.commands(link).setVariable(name, value)).catch(() => 'failed' as const);
  }

  // ---- the parts --------------------------------------------------------------------------------

  private async connect(): Promise<SmartLink> {
    const channel = await this.open(this.port);
    if (this.opts.altCable) await channel.setLines({ dtr: true, rts: false });
    const link = new SmartLink(channel, this.clock, (ch) => this.alert(link, ch));
    channel.onClose((reason) => {
      if (this.link === link && !this.stopped) this.markStale(`serial port ${this.port} lost (${reason})`);
    });
    return link;
  }

  /** Reopens the port when the backoff allows; the data stays stale until a poll works. */
  private async reconnect(): Promise<SmartLink | undefined> {
    if (this.clock.now() < this.nextReconnect) return undefined;
    try {
      const link = await this.connect();
      if (this.stopped) {
        await link.close();
        return undefined;
      }
      this.link = link;
      this.reconnectDelay = RECONNECT_MIN_MS;
      this.log.info(`serial port ${this.port} open again`);
      return link;
    } catch (e) {
      this.nextReconnect = this.clock.now() + this.reconnectDelay;
      this.log.warn(`cannot reopen ${this.port} (${(e as Error).message}); next try in ${this.reconnectDelay / 1000} s`);
      this.reconnectDelay = Math.min(RECONNECT_MAX_MS, this.reconnectDelay * 2);
      return undefined;
    }
  }

  /** One update: the status byte, then the variables (all of them hourly). */
  private async poll(link: SmartLink): Promise<boolean> {
    // After a silence the UPS may have been power-cycled into dumb mode: ask for smart mode first.
    if (this.stale && !(await enterSmartMode(link, 1))) return false;
    const q = await link.ask('Q');
    if (q === undefined || q === '' || q === 'NA' || !/^[0-9A-Fa-f]{2}$/.test(q)) return false;
    this.statusByte = parseStatusByte(q);
    this.publishStatus();
    const now = this.clock.now();
    const all = now - this.lastFull > FULL_UPDATE_MS;
    if (all) this.lastFull = now;
    for (const row of this.vars!.rows) {
      if (!row.present || (!all && !row.def.poll)) continue;
      if (!(await this.pollRow(link, row))) return false;
    }
    return true;
  }

  /** One variable; `NA` means the UPS no longer has it (a Measure-UPS removed): dropped, as NUT does. */
  private async pollRow(link: SmartLink, row: VarRow): Promise<boolean> {
    const raw = await link.ask(row.def.cmd);
    if (raw === undefined || raw === '') return false;
    if (raw === 'NA') {
      this.log.warn(`${row.def.name} returned NA, removing`);
      row.present = false;
      this.vars!.delete(row);
    } else {
      this.vars!.set(row, raw);
    }
    return true;
  }

  private alert(link: SmartLink, ch: string): void {
    if (link !== this.link) return;
    if (ch === '*') {
      this.log.warn('the UPS says it is about to turn off');
      return;
    }
    this.statusByte = applyAlert(this.statusByte, ch);
    this.publishStatus();
  }

  private publishStatus(): void {
    this.status.publish(statusWords(this.statusByte));
  }

  private markStale(why: string): void {
    if (!this.stale) this.log.warn(`${why}: data is stale until it answers again`);
    this.stale = true;
    this.device.dataStale();
  }

  private commands(link: SmartLink): ApcCommands {
    if (this.commandsOf?.link === link) return this.commandsOf.commands;
    const commands = this.buildCommands(link);
    this.commandsOf = { link, commands };
    return commands;
  }

  private buildCommands(link: SmartLink): ApcCommands {
    const shutdown = new ShutdownSender(link, this.log, { awd: this.opts.awd, csDelayMs: this.opts.csDelayMs });
    return new ApcCommands({
      link,
      vars: this.vars!,
      commands: this.commandSet,
      shutdown,
      clock: this.clock,
      log: this.log,
      status: () => this.statusByte,
      configuredShutdown: () => this.configuredShutdown(link, shutdown),
      refresh: async (row) => void (await this.pollRow(link, row)),
    });
  }

  /**
   * What `apcsmart -k` does: smart mode, the line state from `Q` (OB + LB assumed when it cannot
   * be read), then `advorder` or `sdtype`.
   */
  private async configuredShutdown(link: SmartLink, shutdown: ShutdownSender): Promise<boolean> {
    if (!(await enterSmartMode(link, 1))) this.log.warn('shutdown: setting smart mode failed');
    const q = await link.ask('Q', { timeoutMs: READ_SHORT_MS });
    const status = q !== undefined && /^[0-9A-Fa-f]{2}$/.test(q) ? parseStatusByte(q) : STAT_OB | STAT_LB;
    return this.opts.advorder !== undefined
      ? shutdown.advanced(this.opts.advorder, status)
      : shutdown.simple(this.opts.sdtype, status);
  }
}
