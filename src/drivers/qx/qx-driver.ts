import type { CommandOutcome } from '../../core/command-target.js';
import { FrameworkDriver } from '../driver-core.js';
import type { DriverContext } from '../driver.js';
import { BatteryGuess, type Flavour } from './battery-guess.js';
import { q1Command, Q1_COMMANDS } from './q1-commands.js';
import { cFixed, parseF, parseI, parseQ1, ProtocolError, statusOf, strtod, type Q1Status } from './q1-protocol.js';
import { BLAZER_SER_INFO, NUTDRV_QX_INFO, qxOptions, roundOffDelay, type QxOptions } from './qx-info.js';
import { openSerialPort, SerialLine, type LinkOpener } from './serial-line.js';

/** NUT waits about a second for each reply (SER_WAIT_SEC). */
const REPLY_TIMEOUT_MS = 1000;
/** Failed status reads tolerated before the data is declared stale (NUT's MAXTRIES). */
const MAX_TRIES = 3;
/** Reopening a vanished adapter: first retry after 1 s, doubling up to 30 s. */
const REOPEN_FIRST_MS = 1000;
const REOPEN_MAX_MS = 30000;

/**
 * NUT's Megatec/Q1 drivers over a serial port: `nutdrv_qx` (megatec subdriver) and the older
 * `blazer_ser`, which publish almost the same thing (see battery-guess.ts and the README for the
 * differences kept). Each update sends Q1; nutdrv_qx refreshes all values every `pollfreq`
 * seconds (default 30) and only the status in between, as NUT does; blazer_ser every poll.
 *
 * When the adapter vanishes the data is stale at once (never the last values as fresh) and the
 * port is reopened with backoff on the injected clock; NUT's driver would just stay stale.
 */
export class QxDriver extends FrameworkDriver {
  private readonly options: QxOptions;
  private line: SerialLine | undefined;
  private battery!: BatteryGuess;
  private failures = 0;
  private lastFullSecond = -Infinity;
  private reopenAt = 0;
  private reopenDelay = REOPEN_FIRST_MS;

  constructor(
    ctx: DriverContext,
    private readonly flavour: Flavour,
    private readonly opener: LinkOpener = openSerialPort,
  ) {
    super(ctx, flavour === 'blazer_ser' ? BLAZER_SER_INFO : NUTDRV_QX_INFO);
    this.options = qxOptions(ctx.section, flavour);
  }

  private get where(): string {
    return `${this.flavour} [${this.ctx.section.name}] on ${this.port}`;
  }

  protected async initUps(): Promise<void> {
    this.failures = 0;
    this.lastFullSecond = -Infinity;
    this.reopenDelay = REOPEN_FIRST_MS;
    this.battery = new BatteryGuess(this.flavour, this.device, this.options.battery);
    try {
      this.line = new SerialLine(await this.opener(this.port), this.clock);
    } catch (e) {
      throw new Error(`${this.where}: cannot open the serial port: ${(e as Error).message}`);
    }
  }

  protected override cleanup(): void {
    void this.line?.close().catch(() => undefined);
    this.line = undefined;
  }

  /** Q1, tried three times as NUT's protocol detection does. */
  private async detect(): Promise<Q1Status> {
    let last = 'no reply';
    for (let i = 0; i < MAX_TRIES; i++) {
      try {
        const reply = await this.line!.request('Q1', REPLY_TIMEOUT_MS, '(');
        if (reply !== undefined) return parseQ1(reply);
      } catch (e) {
        last = (e as Error).message;
      }
      if (this.stopped) break;
    }
    throw new Error(`${this.where}: no supported UPS detected (Megatec Q1: ${last})`);
  }

  protected async initInfo(): Promise<void> {
    const q = await this.detect();
    this.publishValues(q);
    if (this.flavour === 'nutdrv_qx') {
      // nutdrv_qx claims a unit for its megatec subdriver only when it answers I (or with
      // novendor); one that does not gets the plain "Q1" subdriver: Q1 alone, no F ratings.
      const megatec = this.options.novendor || (await this.readInfo());
      this.device.setInfo('driver.version.data', megatec ? 'Megatec 0.06' : 'Q1 0.07');
      if (megatec && !this.options.norating) await this.readRatings(q);
    } else {
      if (!this.options.norating) await this.readRatings(q);
      if (!this.options.novendor) await this.readInfo();
    }
    this.publishDelays();
    for (const c of Q1_COMMANDS) this.device.addCmd(c);
    this.battery.init(this.clock.now(), q.batteryVoltage);
    if (this.flavour === 'nutdrv_qx') {
      this.device.setInfo('driver.parameter.pollfreq', String(this.options.pollFreqSeconds));
      this.lastFullSecond = Math.floor(this.clock.now() / 1000);
    }
  }

  private async readRatings(q: Q1Status): Promise<void> {
    const reply = await this.tryRequest('F', '#');
    if (reply === undefined) return;
    let r;
    try {
      r = parseF(reply);
    } catch (e) {
      this.log.info(`${this.where}: ratings not available: ${(e as Error).message}`);
      return;
    }
    const set = (name: string, v: number | undefined, d: number) => {
      if (v !== undefined) this.device.setInfo(name, cFixed(v, d));
    };
    set('input.voltage.nominal', r.inputVoltage, 0);
    set('input.current.nominal', r.inputCurrent, 1);
    if (r.batteryVoltage !== undefined) {
      if (this.flavour === 'blazer_ser') {
        // blazer: a battery.voltage.nominal from ups.conf (default.) wins over the UPS's
        const given = this.device.getInfo('battery.voltage.nominal');
        const nominal = given !== undefined ? strtod(given) ?? 0 : r.batteryVoltage;
        if (q.batteryVoltage !== undefined) this.battery.detectPacks(nominal, q.batteryVoltage);
        set('battery.voltage.nominal', nominal, 1);
      } else {
        set('battery.voltage.nominal', r.batteryVoltage, 1);
      }
    }
    set('input.frequency.nominal', r.inputFrequency, 0);
  }

  /** I: true when the unit answered it. */
  private async readInfo(): Promise<boolean> {
    const reply = await this.tryRequest('I', '#');
    if (reply === undefined) return false;
    let info;
    try {
      info = parseI(reply);
    } catch (e) {
      this.log.info(`${this.where}: vendor information not available: ${(e as Error).message}`);
      return false;
    }
    const prefix = this.flavour === 'blazer_ser' ? 'ups' : 'device';
    if (info.mfr) this.device.setInfo(`${prefix}.mfr`, info.mfr);
    if (info.model) this.device.setInfo(`${prefix}.model`, info.model);
    if (info.firmware) this.device.setInfo('ups.firmware', info.firmware);
    return true;
  }

  private async tryRequest(command: string, start: '(' | '#'): Promise<string | undefined> {
    for (let i = 0; i < MAX_TRIES && !this.stopped; i++) {
      const reply = await this.line?.request(command, REPLY_TIMEOUT_MS, start).catch(() => undefined);
      if (reply !== undefined && reply !== command) return reply;
    }
    return undefined;
  }

  private publishDelays(): void {
    this.device.setInfo('ups.delay.start', String(this.options.ondelaySeconds));
    this.device.setInfo('ups.delay.shutdown', String(this.options.offdelaySeconds));
    if (this.flavour !== 'nutdrv_qx') return;
    this.device.setFlags('ups.delay.start', { rw: true });
    this.device.addRange('ups.delay.start', 0, 599940);
    this.device.setFlags('ups.delay.shutdown', { rw: true });
    this.device.addRange('ups.delay.shutdown', 12, 600);
  }

  private publishValues(q: Q1Status): void {
    const set = (name: string, v: number | undefined, d: number) => {
      if (v !== undefined) this.device.setInfo(name, cFixed(v, d));
    };
    set('input.voltage', q.inputVoltage, 1);
    set('input.voltage.fault', q.inputFaultVoltage, 1);
    set('output.voltage', q.outputVoltage, 1);
    set('ups.load', q.load, 0);
    set('input.frequency', q.inputFrequency, 1);
    const battery = q.batteryVoltage === undefined ? undefined : this.flavour === 'blazer_ser' ? this.battery.packs * q.batteryVoltage : q.batteryVoltage;
    set('battery.voltage', battery, 2);
    set('ups.temperature', q.temperature, 1);
    const view = statusOf(q);
    this.device.setInfo('ups.type', view.type);
    this.device.setInfo('ups.beeper.status', view.beeper);
    if (q.load !== undefined) this.battery?.setLoad(q.load);
  }

  private publishStatus(q: Q1Status, withAlarm: boolean): void {
    const bits = this.options.ignoresab ? `${q.bits.slice(0, 6)}0${q.bits.slice(7)}` : q.bits;
    const view = statusOf({ ...q, bits });
    if (withAlarm) {
      if (view.alarm !== undefined) this.device.setInfo('ups.alarm', view.alarm);
      else if (this.device.getInfo('ups.alarm') !== undefined) this.device.delInfo('ups.alarm');
    }
    // NUT's status_commit puts ALARM first while ups.alarm is set (2.8.0 dstate.c)
    const alarmed = this.device.getInfo('ups.alarm') !== undefined;
    this.status.publish(alarmed ? ['ALARM', ...view.status] : view.status);
  }

  protected async updateInfo(): Promise<void> {
    if (this.line?.isClosed) this.lost('the serial port closed');
    if (!this.line) {
      if (!(await this.reopen())) return;
    }
    let q: Q1Status | undefined;
    try {
      const reply = await this.line!.request('Q1', REPLY_TIMEOUT_MS, '(');
      if (reply !== undefined) q = parseQ1(reply);
    } catch (e) {
      if (!(e instanceof ProtocolError)) {
        // the port itself failed: the adapter is gone
        this.lost((e as Error).message);
        return;
      }
    }
    if (this.stopped) return;
    if (!q) {
      if (this.line?.isClosed) {
        this.lost('the serial port closed');
        return;
      }
      this.failures++;
      if (this.failures === MAX_TRIES + 1) this.log.warn(`${this.where}: communications with the UPS lost: status read failed`);
      if (this.failures > MAX_TRIES) this.device.dataStale();
      return;
    }
    if (this.failures > MAX_TRIES) this.log.info(`${this.where}: communications with the UPS re-established`);
    this.failures = 0;
    const second = Math.floor(this.clock.now() / 1000);
    const full = this.flavour === 'blazer_ser' || second > this.lastFullSecond + this.options.pollFreqSeconds;
    if (full) {
      this.lastFullSecond = second;
      this.publishValues(q);
      this.battery.step(this.clock.now(), q.bits[0] !== '1', q.batteryVoltage);
    }
    this.publishStatus(q, full);
    this.device.dataOk();
  }

  private lost(reason: string): void {
    this.log.warn(`${this.where}: serial port lost (${reason}); data stale until it is back`);
    void this.line?.close().catch(() => undefined);
    this.line = undefined;
    this.device.dataStale();
    this.reopenAt = this.clock.now() + this.reopenDelay;
  }

  /** One reopen attempt when the backoff allows; true when the port is usable again. */
  private async reopen(): Promise<boolean> {
    this.device.dataStale();
    if (this.clock.now() < this.reopenAt) return false;
    try {
      this.line = new SerialLine(await this.opener(this.port), this.clock);
    } catch (e) {
      this.reopenDelay = Math.min(REOPEN_MAX_MS, this.reopenDelay * 2);
      this.reopenAt = this.clock.now() + this.reopenDelay;
      this.log.debug(`${this.where}: reopen failed (${(e as Error).message}); next try in ${this.reopenDelay / 1000} s`);
      return false;
    }
    if (this.stopped) return false;
    this.log.info(`${this.where}: serial port back`);
    this.reopenDelay = REOPEN_FIRST_MS;
    this.failures = 0;
    this.lastFullSecond = -Infinity; // refresh everything at once
    return true;
  }

  async instcmd(command: string, parameter?: string): Promise<CommandOutcome> {
    if (!(Q1_COMMANDS as readonly string[]).includes(command)) return 'unknown';
    const wire = q1Command(command, this.delays(), parameter, this.flavour === 'blazer_ser' ? 'minutes' : 'seconds');
    if (wire === undefined) return 'invalid-argument';
    if (!this.line || this.line.isClosed) return 'failed';
    this.lastFullSecond = -Infinity; // NUT: data_has_changed → full update next
    try {
      // Megatec units answer nothing to a command they carry out and echo one they do not know.
      const reply = await this.line.request(wire, REPLY_TIMEOUT_MS);
      if (reply !== undefined && reply !== 'ACK' && reply !== '(ACK') {
        this.log.warn(`${this.where}: instcmd ${command} (${wire}) refused by the UPS: ${JSON.stringify(reply)}`);
        return 'failed';
      }
    } catch (e) {
      this.log.warn(`${this.where}: instcmd ${command} failed: ${(e as Error).message}`);
      return 'failed';
    }
    this.log.info(`${this.where}: instant command ${command} sent (${wire})`);
    return 'success';
  }

  private delays(): { offdelay: number; ondelay: number } {
    const read = (n: string, d: number) => {
      const v = this.device.getInfo(n);
      return v === undefined ? d : Math.trunc(strtod(v) ?? 0);
    };
    return { offdelay: read('ups.delay.shutdown', 30), ondelay: read('ups.delay.start', 180) };
  }

  async setVariable(name: string, value: string): Promise<CommandOutcome> {
    if (this.flavour !== 'nutdrv_qx' || (name !== 'ups.delay.start' && name !== 'ups.delay.shutdown')) return 'unknown';
    const n = Math.trunc(strtod(value) ?? Number.NaN);
    if (!Number.isFinite(n) || n < 0) return 'invalid-argument';
    if (name === 'ups.delay.start') {
      if (n > 599940) return 'invalid-argument';
      this.device.setInfo(name, String(n - (n % 60)));
    } else {
      if (n < 12 || n > 600) return 'invalid-argument';
      this.device.setInfo(name, String(roundOffDelay(n)));
    }
    return 'success';
  }
}
