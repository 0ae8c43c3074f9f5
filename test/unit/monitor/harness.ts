import type { NotifyType } from '../../../src/conf/notify-types.js';
import type { MonitorEntry } from '../../../src/conf/upsmon-model.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import { Monitor, type MonitorSettings } from '../../../src/monitor/monitor.js';
import { Notifier } from '../../../src/monitor/notifier.js';
import type { ShellResult } from '../../../src/monitor/shell.js';
import type { PollResult, UpsSource } from '../../../src/monitor/ups-source.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A UPS the test controls: its status, whether polls fail, and how many secondaries are logged in. */
export class FakeSource implements UpsSource {
  status = 'OL';
  failure: string | undefined;
  logins = 0;
  fsdCalls = 0;
  primaryGranted: boolean;
  problem: string | undefined;
  started = false;

  constructor(primary: boolean) {
    this.primaryGranted = primary;
  }

  start(): void {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  async poll(): Promise<PollResult> {
    if (this.failure !== undefined) return { failure: this.failure };
    return { status: this.fsdCalls > 0 ? `FSD ${this.status}` : this.status };
  }

  async setFsd(): Promise<string | undefined> {
    this.fsdCalls++;
    return undefined;
  }

  async otherLogins(): Promise<number> {
    return this.logins;
  }
}

export function entry(system: string, role: 'primary' | 'secondary', powerValue = 1): MonitorEntry {
  const [upsName, host = 'localhost'] = system.split('@') as [string, string?];
  return {
    system, upsName, host, port: 3493, powerValue, username: 'mon', password: 'pw', role,
    pos: { file: 'upsmon.conf', line: 1, column: 1 },
  };
}

export const SECONDS = 1000;

/** upsmon.conf defaults, sped up where a test does not care. */
export function settings(overrides: Partial<MonitorSettings> = {}): MonitorSettings {
  return {
    minSupplies: 1,
    pollFailLogThrottleMax: -1,
    pollFreqMs: 5 * SECONDS,
    pollFreqAlertMs: 5 * SECONDS,
    timings: {
      hostSyncMs: 15 * SECONDS, deadTimeMs: 15 * SECONDS, noCommWarnMs: 300 * SECONDS, rbWarnMs: 43200 * SECONDS,
      offDurationMs: 30 * SECONDS, oblbDurationMs: 0,
    },
    policy: { onBatteryTimerMs: undefined, actOnOnlineGlitch: false },
    shutdown: { hostSyncMs: 15 * SECONDS, finalDelayMs: 5 * SECONDS, shutdownCmd: '/sbin/shutdown -h +0', powerDownFlag: undefined, exitAfterMs: 0 },
    ...overrides,
  };
}

export interface Harness {
  clock: FakeClock;
  monitor: Monitor;
  sources: FakeSource[];
  /** Notifications in order: `ONBATT ups@localhost`, `SHUTDOWN -`. */
  notes: string[];
  /** Commands the monitor ran through the shell, with the monitonic time they started. */
  commands: Array<{ at: number; command: string }>;
  log: string[];
  /** Log lines that start with `shutdown step`. */
  steps(): string[];
  exited: boolean;
}

export function harness(ups: Array<{ system: string; role: 'primary' | 'secondary'; powerValue?: number }>, s: MonitorSettings = settings()): Harness {
  const clock = new FakeClock();
  const log: string[] = [];
  const logger: Logger = createLogger('monitor', (level, _room, message) => log.push(`${level} ${message}`), 'debug');
  const notes: string[] = [];
  const commands: Harness['commands'] = [];
  const shell = async (command: string): Promise<ShellResult> => {
    if (!command.includes('wall')) commands.push({ at: clock.now(), command });
    return { code: 0, signal: undefined, output: '' };
  };
  const notifier = new Notifier(
    { notifyCmd: undefined, notifyMessages: {}, notifyFlags: {} },
    { log: logger, shell, sinks: [(type: NotifyType, system) => notes.push(`${type} ${system ?? '-'}`)] },
  );
  const sources = ups.map((u) => new FakeSource(u.role === 'primary'));
  const h: Harness = {
    clock, sources, notes, commands, log, exited: false,
    steps: () => log.filter((l) => / shutdown step/.test(l)),
    monitor: undefined as unknown as Monitor,
  };
  h.monitor = new Monitor(
    ups.map((u, i) => ({ entry: entry(u.system, u.role, u.powerValue ?? 1), source: sources[i]! })),
    s,
    { clock, log: logger, notifier, shell, onExit: () => (h.exited = true) },
  );
  return h;
}
