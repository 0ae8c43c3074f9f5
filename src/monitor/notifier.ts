import { namesUpssched } from '../conf/monitor-files.js';
import { defaultNotifyFlags, formatNotifyMessage, NOTIFY_MESSAGES, type NotifyType } from '../conf/notify-types.js';
import type { Logger } from '../core/logger.js';
import { describeResult, shellQuote, type ShellRunner } from './shell.js';

/** The parts of upsmon.conf that say how to notify. */
export interface NotifyConfig {
  notifyCmd: string | undefined;
  notifyMessages: Partial<Record<NotifyType, string>>;
  notifyFlags: Partial<Record<NotifyType, { syslog: boolean; wall: boolean; exec: boolean; ignore: boolean }>>;
}

/** Receives every notification, whatever NOTIFYFLAG says: the event log and the gateway's own channels. */
export type NotificationSink = (type: NotifyType, ups: string | undefined, message: string) => void;

/** The built-in upssched, used when NOTIFYCMD names upssched. */
export interface UpsschedLike {
  handle(type: NotifyType, ups: string): void;
}

export interface NotifierDeps {
  log: Logger;
  shell: ShellRunner;
  sinks?: NotificationSink[];
  upssched?: UpsschedLike;
}

/**
 * upsmon's do_notify: the message (NOTIFYMSG or the stock one, `%s` = the MONITOR system), then
 * what NOTIFYFLAG asks for: SYSLOG (our log), WALL (wall(1)), EXEC (NOTIFYCMD with the message as
 * its argument and NOTIFYTYPE/UPSNAME in the environment; the built-in upssched when NOTIFYCMD is
 * upssched). Nothing here is awaited by the caller: a slow or failing notification never delays
 * a shutdown.
 */
export class Notifier {
  constructor(
    private readonly conf: NotifyConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(type: NotifyType, ups: string | undefined, extra = ''): string {
    const template = this.conf.notifyMessages[type] ?? NOTIFY_MESSAGES[type];
    const message = formatNotifyMessage(template, ups ?? '', extra);
    for (const sink of this.deps.sinks ?? []) {
      try {
        sink(type, ups, message);
      } catch (e) {
        this.deps.log.error(`notification sink failed for ${type}: ${String(e)}`);
      }
    }
    const flags = this.conf.notifyFlags[type] ?? defaultNotifyFlags(type);
    if (flags.ignore) return message;
    if (flags.syslog) this.deps.log.warn(`notify ${type}: ${message}`);
    if (flags.wall) this.wall(message);
    if (flags.exec) this.exec(type, ups, message);
    return message;
  }

  /** upsmon's own wall(1) broadcast, also used for "Executing automatic power-fail shutdown". */
  wall(message: string): void {
    void this.deps.shell(`command -v wall >/dev/null 2>&1 && printf '%s\\n' ${shellQuote(message)} | wall`).then((r) => {
      if (r.code !== 0 && r.code !== 1) this.deps.log.debug(`wall: ${describeResult(r)}`);
    });
  }

  private exec(type: NotifyType, ups: string | undefined, message: string): void {
    const cmd = this.conf.notifyCmd;
    if (cmd === undefined) {
      this.deps.log.warn(`notify ${type}: NOTIFYFLAG asks for EXEC but upsmon.conf has no NOTIFYCMD`);
      return;
    }
    if (namesUpssched(cmd) && this.deps.upssched) {
      this.deps.upssched.handle(type, ups ?? '');
      return;
    }
    const env = { NOTIFYTYPE: type, UPSNAME: ups ?? '' };
    void this.deps.shell(`${cmd} ${shellQuote(message)}`, env).then((r) => {
      if (r.code === 0) return;
      this.deps.log.error(`NOTIFYCMD ${cmd} for ${type} failed: ${describeResult(r)}${r.output ? `: ${r.output}` : ''}`);
    });
  }
}
