/**
 * upsmon's notification types (NUT 2.8: NOTIFYMSG / NOTIFYFLAG names), their stock messages and
 * default flags. `%s` is the MONITOR system string (`ups@host:port`); ALARM and OTHER carry a
 * second `%s` (the alarm text, the unknown status tokens).
 */
export const NOTIFY_MESSAGES = {
  ONLINE: 'UPS %s on line power',
  ONBATT: 'UPS %s on battery',
  LOWBATT: 'UPS %s battery is low',
  FSD: 'UPS %s: forced shutdown in progress',
  COMMOK: 'Communications with UPS %s established',
  COMMBAD: 'Communications with UPS %s lost',
  SHUTDOWN: 'Auto logout and shutdown proceeding',
  REPLBATT: 'UPS %s battery needs to be replaced',
  NOCOMM: 'UPS %s is unavailable',
  NOPARENT: 'upsmon parent process died - shutdown impossible',
  CAL: 'UPS %s: calibration in progress',
  NOTCAL: 'UPS %s: calibration finished',
  OFF: 'UPS %s: administratively OFF or asleep',
  NOTOFF: 'UPS %s: no longer administratively OFF or asleep',
  BYPASS: 'UPS %s: on bypass (powered, not protecting)',
  NOTBYPASS: 'UPS %s: no longer on bypass',
  ECO: 'UPS %s: in ECO mode (as defined by vendor)',
  NOTECO: 'UPS %s: no longer in ECO mode',
  ALARM: 'UPS %s: one or more active alarms: [%s]',
  NOTALARM: 'UPS %s is no longer in an alarm state (no active alarms)',
  OVER: 'UPS %s: overloaded',
  NOTOVER: 'UPS %s: no longer overloaded',
  TRIM: 'UPS %s: trimming incoming voltage',
  NOTTRIM: 'UPS %s: no longer trimming incoming voltage',
  BOOST: 'UPS %s: boosting incoming voltage',
  NOTBOOST: 'UPS %s: no longer boosting incoming voltage',
  OTHER: 'UPS %s: has at least one unclassified status token: [%s]',
  NOTOTHER: 'UPS %s has no unclassified status tokens anymore',
  SHUTDOWN_HOSTSYNC: 'Shutdown initiated; primary system is waiting for secondaries to log out or time out',
  SUSPEND_STARTING: 'OS is entering sleep/suspend/hibernate mode',
  SUSPEND_FINISHED:
    'OS just finished sleep/suspend/hibernate mode, de-activating obsolete UPS readings to avoid an unfortunate shutdown',
} as const;

export type NotifyType = keyof typeof NOTIFY_MESSAGES;

export const NOTIFY_TYPES = Object.keys(NOTIFY_MESSAGES) as NotifyType[];

/** What NOTIFYFLAG can ask for; IGNORE wins over the others. */
export interface NotifyFlags {
  syslog: boolean;
  wall: boolean;
  exec: boolean;
  ignore: boolean;
}

/** upsmon 2.8.0's defaults: SYSLOG+WALL for every type, except CAL (SYSLOG only). */
export function defaultNotifyFlags(type: NotifyType): NotifyFlags {
  return { syslog: true, wall: type !== 'CAL', exec: false, ignore: false };
}

export function isNotifyType(text: string): text is NotifyType {
  return Object.prototype.hasOwnProperty.call(NOTIFY_MESSAGES, text);
}

/** The stock or configured message with its `%s` filled in (and `%%` as `%`), as upsmon's printf formats it. */
export function formatNotifyMessage(template: string, system: string, extra = ''): string {
  let n = 0;
  return template.replace(/%[s%]/g, (m) => (m === '%%' ? '%' : n++ === 0 ? system : extra));
}
