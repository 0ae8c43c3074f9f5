/**
 * upssched, built in: what NUT's upssched binary and its timer daemon do when upsmon.conf's
 * NOTIFYCMD names upssched, without the binary, its socket (PIPEFN) or its lock (LOCKFN).
 *
 * Faithful to 2.8.0, on purpose:
 * - every AT rule whose type equals the event's and whose UPS is `*` or the event's exact system
 *   string runs, in file order;
 * - timers are global by name, not per UPS: a second START of a name adds a second, independent
 *   timer, and CANCEL removes the first pending one of that name whichever UPS started it (2.8.0
 *   removes one; later versions remove all);
 * - the command line is `<CMDSCRIPT> <argument>`, unquoted, through the shell, exactly as
 *   upssched builds it: an argument with spaces reaches the script as several words, and shell
 *   characters in it are interpreted. The argument comes from the configuration file (root's), so
 *   this is the user's to choose, as in NUT.
 *
 * Differences, deliberate: a timer's script gets UPSNAME/NOTIFYTYPE of the event that started that
 * timer (2.8.0's daemon passes those of whichever event happened to start the daemon); timers run
 * on the monotonic clock, to the millisecond (2.8.0 checks once a second against the wall clock,
 * so setting the clock fires or delays them); EXECUTE does not wait for the script before the
 * next rule (upssched runs them one after the other; here they may overlap).
 */
import type { NotifyType } from '../conf/notify-types.js';
import type { UpsschedConf, UpsschedRule } from '../conf/upssched-conf.js';
import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

export interface UpsschedDeps {
  clock: Clock;
  log: Logger;
  /** Runs `CMDSCRIPT <argument>` through the shell (the caller implements it; never throws; you pass the env). */
  runScript(commandLine: string, env: { UPSNAME: string; NOTIFYTYPE: string }): void;
}

interface PendingTimer {
  name: string;
  ups: string;
  notifyType: NotifyType;
  dueAt: number;
  handle: Timer;
}

/** A flapping UPS starting timers nobody cancels must not grow memory without end. */
export const MAX_PENDING_TIMERS = 1024;

export class Upssched {
  /** In the order they were started: CANCEL takes the first match, as the daemon's list does. */
  private timers: PendingTimer[] = [];
  private stopped = false;

  constructor(
    private readonly conf: UpsschedConf,
    private readonly deps: UpsschedDeps,
  ) {}

  /** An event upsmon would have passed to upssched (NOTIFYTYPE, UPSNAME; '' for system-wide events). */
  handle(notifyType: NotifyType, ups: string): void {
    if (this.stopped) return;
    const type = notifyType.toUpperCase();
    for (const rule of this.conf.rules) {
      if (rule.notifyType !== type) continue;
      if (rule.ups !== '*' && rule.ups !== ups) continue;
      try {
        this.apply(rule, rule.notifyType, ups);
      } catch (e) {
        // One bad rule must not keep the later ones (or the monitor) from running.
        this.deps.log.error(`rule at ${rule.pos.file}:${rule.pos.line} failed: ${(e as Error).message}`);
      }
    }
  }

  pending(): Array<{ timer: string; ups: string; dueInMs: number }> {
    const now = this.deps.clock.now();
    return this.timers.map((t) => ({ timer: t.name, ups: t.ups, dueInMs: Math.max(0, t.dueAt - now) }));
  }

  /** Cancels every timer; later events are ignored (a new Upssched is built on reload). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.handle.cancel();
    this.timers = [];
  }

  private apply(rule: UpsschedRule, notifyType: NotifyType, ups: string): void {
    const who = ups === '' ? 'the system' : ups;
    switch (rule.action) {
      case 'START-TIMER':
        return this.start(rule.timer ?? '', rule.seconds ?? 0, notifyType, ups, who);
      case 'CANCEL-TIMER': {
        const name = rule.timer ?? '';
        const index = this.timers.findIndex((t) => t.name === name);
        if (index >= 0) {
          const [t] = this.timers.splice(index, 1) as [PendingTimer];
          t.handle.cancel();
          this.deps.log.info(`timer ${name} cancelled by ${notifyType} for ${who}` +
            (t.ups === ups ? '' : ` (it was started for ${t.ups === '' ? 'the system' : t.ups})`));
          return;
        }
        if (rule.command === undefined) {
          this.deps.log.info(`${notifyType} for ${who}: no timer ${name} pending, nothing to cancel`);
          return;
        }
        this.deps.log.info(`${notifyType} for ${who}: no timer ${name} pending, running CMDSCRIPT ${rule.command}`);
        return this.run(rule.command, notifyType, ups);
      }
      case 'EXECUTE':
        this.deps.log.info(`${notifyType} for ${who}: running CMDSCRIPT ${rule.command ?? ''}`);
        return this.run(rule.command ?? '', notifyType, ups);
    }
  }

  private start(name: string, seconds: number, notifyType: NotifyType, ups: string, who: string): void {
    if (this.timers.length >= MAX_PENDING_TIMERS) {
      this.deps.log.warn(`timer ${name} for ${who} not started: ${MAX_PENDING_TIMERS} timers are already pending ` +
        '(started and never cancelled); check the CANCEL-TIMER lines of upssched.conf');
      return;
    }
    const timer: PendingTimer = {
      name, ups, notifyType, dueAt: this.deps.clock.now() + seconds * 1000,
      handle: this.deps.clock.setTimeout(() => this.expire(timer), seconds * 1000),
    };
    this.timers.push(timer);
    this.deps.log.info(`timer ${name} started (${seconds} s) for ${who}`);
  }

  private expire(timer: PendingTimer): void {
    const index = this.timers.indexOf(timer);
    if (index < 0) return; // cancelled in the same tick
    this.timers.splice(index, 1);
    this.deps.log.info(`timer ${timer.name} expired for ${timer.ups === '' ? 'the system' : timer.ups}: running CMDSCRIPT ${timer.name}`);
    this.run(timer.name, timer.notifyType, timer.ups);
  }

  private run(argument: string, notifyType: NotifyType, ups: string): void {
    const script = this.conf.cmdScript;
    if (script === undefined) {
      // The reader refuses AT lines without CMDSCRIPT; only a hand-built configuration gets here.
      this.deps.log.error(`no CMDSCRIPT in ${this.conf.file}: cannot run ${argument}`);
      return;
    }
    this.deps.runScript(`${script} ${argument}`, { UPSNAME: ups, NOTIFYTYPE: notifyType });
  }
}
