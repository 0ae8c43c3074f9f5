import type { NotifyType } from '../conf/notify-types.js';
import type { MonitorEntry } from '../conf/upsmon-model.js';
import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { MonitoredUps, type CriticalPolicy, type UpsTimings } from './monitored-ups.js';
import type { Notifier } from './notifier.js';
import { ShutdownSequence, type Monitored, type ShutdownSettings } from './shutdown-sequence.js';
import type { ShellRunner } from './shell.js';
import type { UpsSource } from './ups-source.js';

export interface MonitorSettings {
  minSupplies: number;
  /** POLLFAIL_LOG_THROTTLE_MAX: log a repeated poll failure every N polls (0 = only when it changes, <0 = every poll). */
  pollFailLogThrottleMax: number;
  pollFreqMs: number;
  pollFreqAlertMs: number;
  timings: UpsTimings;
  policy: CriticalPolicy;
  shutdown: ShutdownSettings;
}

export interface MonitorDeps {
  clock: Clock;
  log: Logger;
  notifier: Notifier;
  shell: ShellRunner;
  cutPower?: () => Promise<void>;
  /** Called once the shutdown has run and SHUTDOWNEXIT's delay has passed: the monitor has stopped. */
  onExit?: () => void;
}

export type MonitorPhase = 'monitoring' | 'shutting-down' | 'shut-down' | 'stopped';

/** One UPS as a status page shows it. */
export interface MonitoredState {
  system: string;
  role: 'primary' | 'secondary';
  primaryGranted: boolean;
  powerValue: number;
  status: string;
  communication: 'unknown' | 'ok' | 'lost';
  critical: boolean;
  problem: string | undefined;
}

/**
 * upsmon: polls every MONITOR entry every POLLFREQ seconds (POLLFREQALERT while one is on battery),
 * turns status changes into notifications, adds up the power values of the UPSes that are not
 * critical and, when that falls below MINSUPPLIES, runs the shutdown sequence once.
 * All timing is on the injected monotonic clock.
 */
export class Monitor {
  private readonly monitored: Monitored[];
  private timer: Timer | undefined;
  private phaseNow: MonitorPhase = 'stopped';
  private ticking: Promise<void> = Promise.resolve();
  private readonly sequence: ShutdownSequence;
  private readonly criticalNow = new Set<string>();
  /** The latest poll failure of each UPS and how many polls in a row it lasted. */
  private readonly failures = new Map<string, { why: string; count: number }>();

  constructor(
    entries: ReadonlyArray<{ entry: MonitorEntry; source: UpsSource }>,
    private readonly settings: MonitorSettings,
    private readonly deps: MonitorDeps,
  ) {
    this.monitored = entries.map(({ entry, source }) => ({ ups: new MonitoredUps(entry, settings.timings, settings.policy), source }));
    this.sequence = new ShutdownSequence(settings.shutdown, deps);
  }

  get phase(): MonitorPhase {
    return this.phaseNow;
  }

  start(): void {
    if (this.phaseNow !== 'stopped') return;
    this.phaseNow = 'monitoring';
    for (const m of this.monitored) {
      m.source.start();
      const e = m.ups.entry;
      if (e.powerValue > 0) this.deps.log.info(`UPS: ${e.system} (${e.role}) (power value ${e.powerValue})`);
      else this.deps.log.info(`UPS: ${e.system} (monitoring only)`);
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    if (this.phaseNow === 'stopped') return;
    this.phaseNow = 'stopped';
    this.timer?.cancel();
    await this.ticking;
    await Promise.all(this.monitored.map((m) => m.source.stop()));
  }

  /** `upsmon -c fsd`: start the shutdown sequence now (as primary: FSD, wait for secondaries, …). */
  forceShutdown(cause = 'forced shutdown requested'): void {
    if (this.phaseNow !== 'monitoring') return;
    this.timer?.cancel();
    this.ticking = this.ticking.then(() => this.shutDown(cause));
  }

  states(): MonitoredState[] {
    return this.monitored.map(({ ups, source }) => ({
      system: ups.system,
      role: ups.entry.role,
      primaryGranted: ups.isPrimary,
      powerValue: ups.entry.powerValue,
      status: ups.rawStatus,
      communication: ups.commState === 1 ? 'ok' : ups.commState === 0 ? 'lost' : 'unknown',
      critical: this.criticalNow.has(ups.system),
      problem: ups.problem ?? source.problem,
    }));
  }

  private schedule(ms: number): void {
    this.timer = this.deps.clock.setTimeout(() => {
      this.ticking = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.phaseNow !== 'monitoring') return;
    await Promise.all(this.monitored.map((m) => this.poll(m)));
    if (this.phaseNow !== 'monitoring') return;
    const shortfall = this.recalc();
    if (shortfall !== undefined) {
      await this.shutDown(shortfall);
      return;
    }
    const alert = this.monitored.some((m) => m.ups.needsAttention);
    this.schedule(alert ? this.settings.pollFreqAlertMs : this.settings.pollFreqMs);
  }

  private async poll({ ups, source }: Monitored): Promise<void> {
    let result;
    try {
      result = await source.poll();
    } catch (e) {
      result = { failure: (e as Error).message };
    }
    const now = this.deps.clock.now();
    ups.primaryGranted = ups.entry.role === 'primary' && source.primaryGranted;
    const notify = (type: NotifyType, extra?: string): void => void this.deps.notifier.notify(type, ups.system, extra);
    if ('failure' in result) {
      if (this.shouldLogFailure(ups.system, result.failure)) this.deps.log.error(`Poll UPS [${ups.system}] failed - ${result.failure}`);
      ups.applyFailure(now, notify, result.failure);
    } else {
      if (this.failures.delete(ups.system)) this.deps.log.info(`Poll UPS [${ups.system}] works again`);
      ups.applyStatus(result.status, now, notify, result.alarm);
    }
  }

  /** upsmon 2.8.1's POLLFAIL_LOG_THROTTLE_MAX, for the latest failure of each UPS. */
  private shouldLogFailure(system: string, why: string): boolean {
    const max = this.settings.pollFailLogThrottleMax;
    const last = this.failures.get(system);
    if (!last || last.why !== why) {
      this.failures.set(system, { why, count: 1 });
      return true;
    }
    last.count++;
    if (max < 0 || max === 1) return true;
    return max > 0 && last.count % max === 1;
  }

  /** upsmon's recalc: the power still supplied; returns why we must shut down, if we must. */
  private recalc(): string | undefined {
    const now = this.deps.clock.now();
    const warn = (m: string): void => this.deps.log.warn(m);
    let supplied = 0;
    this.criticalNow.clear();
    for (const { ups } of this.monitored) {
      ups.promoteIfDead(now, warn);
      if (ups.isCritical(now, warn)) this.criticalNow.add(ups.system);
      else supplied += ups.entry.powerValue;
    }
    if (supplied >= this.settings.minSupplies) return undefined;
    const critical = [...this.criticalNow].join(', ');
    return `power value ${supplied} is below MINSUPPLIES ${this.settings.minSupplies} (critical: ${critical})`;
  }

  private async shutDown(cause: string): Promise<void> {
    if (this.phaseNow !== 'monitoring') return;
    this.phaseNow = 'shutting-down';
    await this.sequence.run(cause, this.monitored);
    this.phaseNow = 'shut-down';
    const exitAfter = this.settings.shutdown.exitAfterMs;
    if (exitAfter === undefined) {
      this.deps.log.warn('shutdown: SHUTDOWNEXIT no: the monitor stays connected');
      return;
    }
    this.deps.clock.setTimeout(() => {
      void this.stop().then(() => {
        this.deps.log.warn('shutdown: monitor ended (SHUTDOWNEXIT): logged out of every UPS');
        this.deps.onExit?.();
      });
    }, exitAfter);
  }
}
