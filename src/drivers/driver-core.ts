import type { Clock, Timer } from '../core/clock.js';
import type { CommandOutcome } from '../core/command-target.js';
import type { DeviceWriter } from '../core/device.js';
import type { Logger } from '../core/logger.js';
import { checkSection, entryOf, positionOf, publishSection, synchronousSetting, type DriverInfo } from './driver-config.js';
import { DriverConfigError, type Driver, type DriverContext } from './driver.js';
import { dstateGetinfo } from './dstate-text.js';
import { lowBatterySources, UpsStatus } from './ups-status.js';

export type { DriverInfo, DriverVariable } from './driver-config.js';

/**
 * How often a running driver that is not stuck in an update proves it is alive, as a NUT driver
 * answers upsd's PING (sent every MAXAGE/3 = 5 s). This keeps data fresh between slow polls
 * (pollinterval above MAXAGE) while a driver wedged in an update still goes stale after MAXAGE.
 */
const LIVENESS_INTERVAL_MS = 5000;

/** The NUT release whose driver framework this reproduces, published as driver.version as NUT does. */
export const EMULATED_NUT_VERSION = '2.8.0';


/**
 * NUT's driver framework (drivers/main.c + dstate.c) for drivers written against it. A driver
 * extends this class and fills in the hooks NUT calls `upsdrv_initups`, `upsdrv_initinfo` and
 * `upsdrv_updateinfo`; the framework does the rest, in NUT's order, which decides which value wins:
 *
 * 1. the ups.conf section, in file order (driver.parameter.*, driver.flag.*, override.*, default.*);
 * 2. device.type = ups (so `default.device.type` loses to it and `override.device.type` wins);
 * 3. initUps(); driver.version, driver.version.internal, driver.name;
 * 4. initInfo(), then one updateInfo();
 * 5. the `ignorelb` check; driver.parameter.pollinterval and .synchronous; the one-time copy of
 *    ups.mfr/model/serial into device.mfr/model/serial; then the device is announced connected;
 * 6. the update loop: updateInfo() at once, then every pollinterval seconds counted from the start
 *    of the previous update (an update longer than the interval is followed at once by the next).
 *
 * The section is checked in the constructor, so building a driver is enough to validate ups.conf.
 */
export abstract class FrameworkDriver implements Driver {
  protected readonly device: DeviceWriter;
  protected readonly clock: Clock;
  protected readonly log: Logger;
  /** ups.status helpers; a fresh one per start, as each NUT driver process has its own. */
  protected status: UpsStatus;

  private phase: 'idle' | 'starting' | 'running' | 'stopped' = 'idle';
  /** Changes at every start and stop, so work begun by an earlier run can tell it is obsolete. */
  private run = 0;
  private loopTimer: Timer | undefined;
  private liveness: Timer | undefined;
  private updating = false;
  /** The start-up or update under way (never rejects). */
  private work: Promise<void> = Promise.resolve();
  private readonly sleepers = new Set<{ timer: Timer; resolve: (done: boolean) => void }>();

  constructor(
    protected readonly ctx: DriverContext,
    readonly info: DriverInfo,
  ) {
    this.device = ctx.device;
    this.clock = ctx.clock;
    this.log = ctx.log;
    this.status = new UpsStatus(ctx.device);
    checkSection(ctx.section, info);
    this.pollIntervalSeconds();
  }

  get driverName(): string {
    return this.info.name;
  }

  /** `port` from ups.conf (checkSection made sure there is one). */
  protected get port(): string {
    return this.ctx.section.port ?? entryOf(this.ctx.section, 'port')?.value ?? '';
  }

  protected get stopped(): boolean {
    return this.phase === 'stopped';
  }


  // ---- hooks -----------------------------------------------------------------------------------

  /**
   * upsdrv_initups: open the device; driver.parameter.* from ups.conf are already published.
   * Also where a driver resets its own state, since a restart runs it again.
   */
  protected abstract initUps(): Promise<void>;
  /** upsdrv_initinfo: publish what the device has (variables, commands). */
  protected abstract initInfo(): Promise<void>;
  /** upsdrv_updateinfo: one update; call `device.dataOk()`/`dataStale()` as the result says. */
  protected abstract updateInfo(): Promise<void>;
  /** upsdrv_cleanup: release what initUps took. Timers and sleeps are the framework's. */
  protected cleanup(): void {}

  abstract instcmd(command: string, parameter?: string): Promise<CommandOutcome>;
  abstract setVariable(name: string, value: string): Promise<CommandOutcome>;

  // ---- lifecycle -------------------------------------------------------------------------------

  /**
   * Brings the driver up; resolves once the device is announced connected (after the first
   * update, so about a second for drivers that pause like dummy-ups). Like a new NUT driver
   * process, a start after a stop or a failed start begins from scratch (see `initUps`).
   */
  async start(): Promise<void> {
    if (this.phase === 'starting' || this.phase === 'running') {
      throw new Error(`driver ${this.info.name} for [${this.ctx.section.name}] is already running`);
    }
    this.phase = 'starting';
    await this.work; // what an earlier run still had under way ends quickly once stopped
    if (this.stopped) return; // stopped meanwhile
    this.run++;
    this.status = new UpsStatus(this.device);
    const up = this.bringUp();
    this.work = up.then(
      () => undefined,
      () => undefined,
    );
    try {
      await up;
    } catch (e) {
      // NUT's driver exits here: upsd never sees anything of it.
      this.halt();
      this.device.driverLost();
      throw e;
    }
    if (this.stopped) return; // stopped while starting
    this.work = this.cycle(this.run);
  }

  /** Ends timers and pending sleeps, and waits for an update under way to notice. */
  async stop(): Promise<void> {
    this.halt();
    await this.work;
  }

  private async bringUp(): Promise<void> {
    const { section } = this.ctx;
    publishSection(section, this.info, this.device);
    this.device.setInfo('device.type', 'ups');
    await this.initUps();
    if (this.stopped) return;
    this.device.setInfo('driver.version', EMULATED_NUT_VERSION);
    this.device.setInfo('driver.version.internal', this.info.version);
    this.device.setInfo('driver.name', this.info.name);
    await this.initInfo();
    if (this.stopped) return;
    await this.updateInfo();
    if (this.stopped) return;
    this.checkIgnoreLb();
    this.device.setInfo('driver.parameter.pollinterval', String(this.pollIntervalSeconds()));
    this.device.setInfo('driver.parameter.synchronous', synchronousSetting(section, this.ctx.upsConfGlobals));
    this.copyDeviceIdentity();
    this.phase = 'running';
    this.device.driverConnected();
    this.liveness = this.clock.setInterval(() => {
      if (this.phase === 'running' && !this.updating) this.device.heartbeat();
    }, LIVENESS_INTERVAL_MS);
  }

  /** One turn of NUT's main loop. Never rejects: a failing update ends the driver, as in NUT. */
  private async cycle(run: number): Promise<void> {
    this.loopTimer = undefined;
    if (run !== this.run || this.phase !== 'running') return;
    const deadline = this.clock.now() + this.pollIntervalSeconds() * 1000;
    this.updating = true;
    try {
      await this.updateInfo();
    } catch (e) {
      if (run === this.run) this.fatal(e instanceof Error ? e.message : String(e));
      return;
    } finally {
      this.updating = false;
    }
    if (run !== this.run || this.phase !== 'running') return;
    this.loopTimer = this.clock.setTimeout(() => {
      this.work = this.cycle(run);
    }, Math.max(0, deadline - this.clock.now()));
  }

  private halt(): void {
    if (this.phase === 'stopped') return;
    const wasUp = this.phase !== 'idle';
    this.phase = 'stopped';
    this.run++;
    this.loopTimer?.cancel();
    this.loopTimer = undefined;
    this.liveness?.cancel();
    this.liveness = undefined;
    for (const s of this.sleepers) {
      s.timer.cancel();
      s.resolve(false);
    }
    this.sleepers.clear();
    if (wasUp) {
      try {
        this.cleanup();
      } catch (e) {
        this.log.warn(`cleanup failed: ${String(e)}`);
      }
    }
  }

  /**
   * The driver gives up (NUT: fatalx, the process exits): logs why, stops, and drops the device's
   * data as upsd does when a driver goes away.
   */
  protected fatal(message: string): void {
    if (this.stopped) return;
    this.log.error(`${this.info.name}: ${message}`);
    this.halt();
    this.device.driverLost();
  }

  /** Waits on the injected clock; resolves false (at once) when the driver is stopped meanwhile. */
  protected sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopped) {
        resolve(false);
        return;
      }
      const entry = {
        timer: this.clock.setTimeout(() => {
          this.sleepers.delete(entry);
          resolve(true);
        }, ms),
        resolve,
      };
      this.sleepers.add(entry);
    });
  }

  // ---- start-up steps --------------------------------------------------------------------------

  /** NUT's pollinterval is a whole number of seconds (atoi) and must be at least 1. */
  private pollIntervalSeconds(): number {
    const p = Math.trunc(this.ctx.pollIntervalSeconds);
    if (!Number.isFinite(p) || p < 1) {
      throw new DriverConfigError(
        `${positionOf(this.ctx.section, 'pollinterval')}: invalid pollinterval ${this.ctx.pollIntervalSeconds} ` +
          `for [${this.ctx.section.name}]: a whole number of seconds, 1 or more`,
      );
    }
    return p;
  }

  private checkIgnoreLb(): void {
    if (this.device.getInfo('driver.flag.ignorelb') === undefined) return;
    const sources = lowBatterySources(this.device);
    if (sources) {
      for (const s of sources) this.log.info(`using '${s}' to set battery low state`);
      return;
    }
    throw new DriverConfigError(
      `${positionOf(this.ctx.section, 'ignorelb')}: the 'ignorelb' flag is set, but there is no way to ` +
        `determine the battery state of charge. Only set this flag if both 'battery.charge' and ` +
        `'battery.charge.low' and/or 'battery.runtime' and 'battery.runtime.low' are available.`,
    );
  }

  /** main.c copies through dstate_getinfo, which returns the escaped form (see dstateGetinfo). */
  private copyDeviceIdentity(): void {
    for (const what of ['mfr', 'model', 'serial']) {
      const value = this.device.getInfo(`ups.${what}`);
      if (value !== undefined) this.device.setInfo(`device.${what}`, dstateGetinfo(value));
    }
  }
}
