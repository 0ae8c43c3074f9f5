import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { MonitoredUps } from './monitored-ups.js';
import type { Notifier } from './notifier.js';
import { writePowerdownFlag } from './powerdown-flag.js';
import { describeResult, type ShellRunner } from './shell.js';
import type { UpsSource } from './ups-source.js';

export interface ShutdownSettings {
  hostSyncMs: number;
  finalDelayMs: number;
  shutdownCmd: string | undefined;
  /** Written just before SHUTDOWNCMD (upsmon.conf POWERDOWNFLAG, or the gateway's default when "Power Off UPS" is on). */
  powerDownFlag: string | undefined;
  /** SHUTDOWNEXIT: how long after SHUTDOWNCMD the monitor ends; undefined = it stays. */
  exitAfterMs: number | undefined;
}

export interface ShutdownDeps {
  clock: Clock;
  log: Logger;
  notifier: Notifier;
  shell: ShellRunner;
  /** "Last to go": cut the UPS's load ourselves (shutdown.return) before SHUTDOWNCMD halts this box. */
  cutPower?: () => Promise<void>;
}

export interface Monitored {
  ups: MonitoredUps;
  source: UpsSource;
}

/** How often a primary reads NUMLOGINS while it waits for its secondaries (upsmon: every 250 ms). */
const NUMLOGINS_POLL_MS = 250;

/**
 * upsmon's forceshutdown + doshutdown, seed 002's "Shutdown design" steps 3–8, each step logged:
 * a primary sets FSD on every UPS it is primary for and waits up to HOSTSYNC for the secondaries
 * to log out (NUMLOGINS); then everyone notifies SHUTDOWN, waits FINALDELAY, writes the
 * POWERDOWNFLAG and runs SHUTDOWNCMD. Notifications are never awaited; a failing SHUTDOWNCMD is
 * reported as an error, loudly, and the sequence still ends.
 */
export class ShutdownSequence {
  constructor(
    private readonly settings: ShutdownSettings,
    private readonly deps: ShutdownDeps,
  ) {}

  async run(cause: string, monitored: readonly Monitored[]): Promise<void> {
    const { log } = this.deps;
    log.error(`shutdown: ${cause}`);
    const primaries = monitored.filter((m) => m.ups.isPrimary);
    if (primaries.length > 0) {
      for (const p of primaries) {
        log.warn(`shutdown step 3: setting FSD on ${p.ups.system} (this system is its primary)`);
        const failed = await p.source.setFsd();
        if (failed !== undefined) log.error(`shutdown step 3: FSD set on UPS ${p.ups.system} failed: ${failed}`);
      }
      this.deps.notifier.notify('SHUTDOWN_HOSTSYNC', undefined);
      await this.waitForSecondaries(primaries);
    } else {
      log.warn('shutdown: this system is a secondary for every UPS: shutting down now (step 4)');
    }
    await this.doShutdown();
  }

  /** Step 5: until no UPS we are primary for has a secondary logged in, or HOSTSYNC has passed. */
  private async waitForSecondaries(primaries: readonly Monitored[]): Promise<void> {
    const { clock, log } = this.deps;
    const start = clock.now();
    let announced = -1;
    for (;;) {
      const counts = await Promise.all(primaries.map((p) => p.source.otherLogins()));
      const most = Math.max(0, ...counts);
      if (most === 0) {
        log.warn(`shutdown step 5: no secondaries left logged in (after ${((clock.now() - start) / 1000).toFixed(1)} s)`);
        return;
      }
      if (most !== announced) {
        announced = most;
        log.warn(`shutdown step 5: waiting up to ${this.settings.hostSyncMs / 1000} s (HOSTSYNC) for ${most} secondar${most === 1 ? 'y' : 'ies'} to log out`);
      }
      if (clock.now() - start > this.settings.hostSyncMs) {
        log.warn('shutdown step 5: Host sync timer expired, forcing shutdown');
        return;
      }
      await this.sleep(NUMLOGINS_POLL_MS);
    }
  }

  /** Step 6 (and 8 in "last to go" mode). */
  private async doShutdown(): Promise<void> {
    const { log, notifier } = this.deps;
    const s = this.settings;
    log.error('shutdown step 6: Executing automatic power-fail shutdown');
    notifier.wall('Executing automatic power-fail shutdown');
    notifier.notify('SHUTDOWN', undefined);
    if (s.finalDelayMs > 0) {
      log.warn(`shutdown step 6: waiting FINALDELAY ${s.finalDelayMs / 1000} s`);
      await this.sleep(s.finalDelayMs);
    }
    if (s.powerDownFlag !== undefined) {
      try {
        await writePowerdownFlag(s.powerDownFlag);
        log.warn(`shutdown step 6: POWERDOWNFLAG ${s.powerDownFlag} written: the UPS is to cut the load at the end`);
      } catch (e) {
        log.error(`shutdown step 6: Failed to create power down flag ${s.powerDownFlag}: ${(e as Error).message}`);
      }
    }
    if (this.deps.cutPower) {
      log.warn('shutdown step 8: last to go: telling the UPS to cut the load now; it returns when mains does');
      try {
        await this.deps.cutPower();
      } catch (e) {
        log.error(`shutdown step 8: cutting the UPS load failed: ${(e as Error).message}`);
      }
    }
    await this.runShutdownCmd();
  }

  private async runShutdownCmd(): Promise<void> {
    const { log } = this.deps;
    const cmd = this.settings.shutdownCmd;
    if (cmd === undefined) {
      log.error('shutdown step 6: upsmon.conf has no SHUTDOWNCMD: this system is NOT being shut down');
      return;
    }
    log.warn(`shutdown step 6: running SHUTDOWNCMD ${cmd}`);
    const r = await this.deps.shell(cmd);
    if (r.code === 0) {
      log.warn('shutdown step 6: SHUTDOWNCMD finished');
      return;
    }
    log.error(`shutdown step 6: Unable to call shutdown command: ${cmd}: ${describeResult(r)}${r.output ? `: ${r.output}` : ''}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.deps.clock.setTimeout(resolve, ms));
  }
}
