import type { NotifyType } from '../conf/notify-types.js';
import type { MonitorEntry } from '../conf/upsmon-model.js';

/** The timing knobs a UPS's state depends on, in milliseconds (negative = never, as in upsmon.conf). */
export interface UpsTimings {
  hostSyncMs: number;
  deadTimeMs: number;
  noCommWarnMs: number;
  rbWarnMs: number;
  offDurationMs: number;
  oblbDurationMs: number;
}

/** TrueNAS's policies that change when a UPS counts as critical. */
export interface CriticalPolicy {
  /** "UPS goes on battery": critical once on battery this long (undefined = NUT's low-battery rule only). */
  onBatteryTimerMs: number | undefined;
  /** Act on OB+LB even when the same status also says OL (a firmware glitch by default). */
  actOnOnlineGlitch: boolean;
}

export type Notify = (type: NotifyType, extra?: string) => void;
export type Warn = (message: string) => void;

/** Status tokens upsmon knows; anything else is reported through OTHER (NUT 2.8.3+). */
const KNOWN_TOKENS = new Set(['OL', 'OB', 'LB', 'HB', 'RB', 'CHRG', 'DISCHRG', 'BYPASS', 'CAL', 'OFF', 'OVER', 'TRIM', 'BOOST', 'FSD', 'ALARM', 'WAIT', 'ECO']);

/** Conditions announced when they appear and when they go (X / NOTX), as later NUT 2.8 releases do. */
const CONDITIONS = ['CAL', 'OFF', 'BYPASS', 'ECO', 'ALARM', 'OVER', 'TRIM', 'BOOST'] as const;
type Condition = (typeof CONDITIONS)[number];
const OFF_NOTIFY: Record<Condition, NotifyType> = {
  CAL: 'NOTCAL', OFF: 'NOTOFF', BYPASS: 'NOTBYPASS', ECO: 'NOTECO', ALARM: 'NOTALARM', OVER: 'NOTOVER', TRIM: 'NOTTRIM', BOOST: 'NOTBOOST',
};

/**
 * What upsmon knows of one MONITOR entry (its utype_t): the flags it derived from the last
 * ups.status, whether communication works, and the moments its timers count from. All moments
 * are monotonic milliseconds. It follows upsmon 2.8.0's parse_status / ups_is_gone / recalc,
 * including its quirks (the first OL and the first good poll are not announced; a UPS never
 * heard from counts as on line; a dead UPS last on battery is taken to be on low battery).
 */
export class MonitoredUps {
  online = false;
  onBattery = false;
  lowBattery = false;
  fsd = false;
  /** -1 = never polled yet, 0 = lost, 1 = good. */
  commState: -1 | 0 | 1 = -1;
  /** -1 = start-up (first OL not announced), 0 = was on battery, 1 = on line. */
  lineState: -1 | 0 | 1 = -1;
  lastPoll = Number.NEGATIVE_INFINITY;
  lastNonCritical = Number.NEGATIVE_INFINITY;
  lastReplaceWarning = Number.NEGATIVE_INFINITY;
  lastNoCommWarning = Number.NEGATIVE_INFINITY;
  /** Since when OB was continuously seen (for the on-battery shutdown timer). */
  onBatterySince: number | undefined;
  /** Since when OB+LB was continuously seen (OBLBDURATION). */
  lowBatterySince: number | undefined;
  offSince: number | undefined;
  /** The last ups.status read, as the server sent it. */
  rawStatus = '';
  /** Primary rights were granted by the server (upsmon drops to secondary when they are not). */
  primaryGranted: boolean;
  /** What went wrong last (a failed poll, a refused login), for status pages; undefined when fine. */
  problem: string | undefined;

  private readonly conditions = new Set<Condition>();
  private otherTokens = '';
  private glitchWarned = false;

  constructor(
    readonly entry: MonitorEntry,
    private readonly timings: UpsTimings,
    private readonly policy: CriticalPolicy,
  ) {
    this.primaryGranted = entry.role === 'primary';
  }

  get system(): string {
    return this.entry.system;
  }

  get isPrimary(): boolean {
    return this.entry.role === 'primary' && this.primaryGranted;
  }

  has(condition: Condition): boolean {
    return this.conditions.has(condition);
  }

  /** A good poll: ups.status (and ups.alarm when ALARM is present). */
  applyStatus(status: string, now: number, notify: Notify, alarm = ''): void {
    const tokens = status.split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) {
      // upsmon: an empty status is the same as a dead UPS.
      this.applyFailure(now, notify);
      return;
    }
    this.rawStatus = status;
    this.problem = undefined;
    this.alive(now, notify);
    const upper = tokens.map((t) => t.toUpperCase());
    const present = new Set(upper);
    if (!present.has('LB')) this.lowBattery = false;
    if (!present.has('FSD')) this.fsd = false;
    for (const token of upper) {
      if (token === 'OL') this.onLine(notify);
      else if (token === 'OB') this.onBatteryNow(now, notify);
      else if (token === 'LB') this.lowBatteryNow(notify);
      else if (token === 'RB') this.replaceBattery(now, notify);
      else if (token === 'FSD') this.forcedShutdown(notify);
      this.updateCriticalTimer(now);
    }
    this.updateConditions(present, notify, alarm);
    this.updateOthers(tokens, notify);
    this.offSince = present.has('OFF') ? (this.offSince ?? now) : undefined;
    this.lowBatterySince = this.onBattery && this.lowBattery ? (this.lowBatterySince ?? now) : undefined;
  }

  /** A failed poll (error reply, lost connection, timeout): upsmon's ups_is_gone. */
  applyFailure(now: number, notify: Notify, why?: string): void {
    if (why !== undefined) this.problem = why;
    if (this.commState !== 0) {
      this.commState = 0;
      notify('COMMBAD');
      return;
    }
    if (now - this.lastPoll < this.timings.noCommWarnMs) return;
    if (now - this.lastNoCommWarning > this.timings.noCommWarnMs) {
      notify('NOCOMM');
      this.lastNoCommWarning = now;
    }
  }

  /** upsmon's recalc step for this UPS: a UPS silent past DEADTIME that was on battery is taken as low. */
  promoteIfDead(now: number, warn: Warn): void {
    if (now - this.lastPoll > this.timings.deadTimeMs && this.onBattery && !this.lowBattery) {
      warn(`Promoting dead UPS ${this.system}: no answer for over ${this.timings.deadTimeMs / 1000} s while on battery, taken as low battery`);
      this.lowBattery = true;
      this.lowBatterySince ??= now;
    }
  }

  /** Whether this UPS no longer feeds the system (upsmon's is_ups_critical, plus the later 2.8 rules and TrueNAS's policies). */
  isCritical(now: number, warn: Warn): boolean {
    if (this.fsd) return true;
    if (this.commState === 0 && (this.has('BYPASS') || this.has('CAL') || (this.has('OFF') && this.timings.offDurationMs >= 0))) {
      return true;
    }
    if (this.offSince !== undefined && this.timings.offDurationMs >= 0 && now - this.offSince >= this.timings.offDurationMs) return true;
    if (this.onlineGlitch(warn)) return false;
    const timer = this.policy.onBatteryTimerMs;
    if (timer !== undefined && this.onBattery && this.onBatterySince !== undefined && now - this.onBatterySince >= timer) {
      return true;
    }
    if (!this.onBattery || !this.lowBattery) return false;
    if (this.has('CAL')) {
      warn(`UPS ${this.system} is OB+LB but also calibrating: not declaring it critical`);
      return false;
    }
    if (this.timings.oblbDurationMs > 0 && (this.lowBatterySince === undefined || now - this.lowBatterySince < this.timings.oblbDurationMs)) {
      return false;
    }
    if (this.isPrimary) return true;
    if (now - this.lastNonCritical > this.timings.hostSyncMs) {
      warn(`Giving up on the primary for UPS ${this.system}`);
      return true;
    }
    return false;
  }

  /** On battery, off or on bypass: poll at POLLFREQALERT. */
  get needsAttention(): boolean {
    return this.onBattery || this.has('OFF') || this.has('BYPASS');
  }

  private onlineGlitch(warn: Warn): boolean {
    if (this.policy.actOnOnlineGlitch || !(this.onBattery || this.lowBattery)) return false;
    const saysOnline = this.rawStatus.split(/\s+/).some((t) => t.toUpperCase() === 'OL');
    if (!saysOnline) {
      this.glitchWarned = false;
      return false;
    }
    if (!this.glitchWarned) {
      this.glitchWarned = true;
      warn(`UPS ${this.system} reports "${this.rawStatus}": OL together with OB/LB is taken as a firmware glitch and not acted on ` +
        '(set shutdown.actOnOnlineGlitch in upsgate.json to act on it)');
    }
    return true;
  }

  private alive(now: number, notify: Notify): void {
    this.lastPoll = now;
    if (this.commState === 1) return;
    if (this.commState === 0) notify('COMMOK');
    this.commState = 1;
  }

  private onLine(notify: Notify): void {
    this.onBatterySince = undefined;
    if (this.online) return;
    if (this.lineState !== -1) notify('ONLINE');
    this.lineState = 1;
    this.online = true;
    this.onBattery = false;
  }

  private onBatteryNow(now: number, notify: Notify): void {
    this.onBatterySince ??= now;
    if (this.onBattery) return;
    this.lineState = 0;
    notify('ONBATT');
    this.onBattery = true;
    this.online = false;
  }

  private lowBatteryNow(notify: Notify): void {
    if (this.lowBattery) return;
    notify('LOWBATT');
    this.lowBattery = true;
  }

  private replaceBattery(now: number, notify: Notify): void {
    if (now - this.lastReplaceWarning > this.timings.rbWarnMs) {
      notify('REPLBATT');
      this.lastReplaceWarning = now;
    }
  }

  private forcedShutdown(notify: Notify): void {
    if (this.fsd) return;
    notify('FSD');
    this.fsd = true;
  }

  /** upsmon remembers the last moment the UPS was not OB+LB: a secondary waits HOSTSYNC from there for the primary's FSD. */
  private updateCriticalTimer(now: number): void {
    if (!this.onBattery || !this.lowBattery || this.has('CAL')) this.lastNonCritical = now;
  }

  private updateConditions(present: Set<string>, notify: Notify, alarm: string): void {
    for (const c of CONDITIONS) {
      if (present.has(c) && !this.conditions.has(c)) {
        this.conditions.add(c);
        notify(c, c === 'ALARM' ? alarm : undefined);
      } else if (!present.has(c) && this.conditions.has(c)) {
        this.conditions.delete(c);
        notify(OFF_NOTIFY[c]);
      }
    }
  }

  private updateOthers(tokens: string[], notify: Notify): void {
    const others = tokens.filter((t) => !KNOWN_TOKENS.has(t.toUpperCase())).join(' ');
    if (others === this.otherTokens) return;
    if (others !== '') notify('OTHER', others);
    else notify('NOTOTHER');
    this.otherTokens = others;
  }
}
