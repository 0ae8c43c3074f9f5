/**
 * How loud each notification type is, on ntfy's 1–5 scale (5 = urgent: the power is going or the
 * monitor is blind). The push formats map it onto their own scales; titles are shared.
 */
import type { NotifyType } from '../../conf/notify-types.js';

export type Severity = 1 | 2 | 3 | 4 | 5;

const SEVERITY: Record<NotifyType, Severity> = {
  LOWBATT: 5,
  FSD: 5,
  SHUTDOWN: 5,
  SHUTDOWN_HOSTSYNC: 5,
  NOCOMM: 5,
  COMMBAD: 5,
  REPLBATT: 5,
  NOPARENT: 5,
  ONBATT: 4,
  OVER: 4,
  ALARM: 4,
  BYPASS: 4,
  OFF: 4,
  ONLINE: 3,
  COMMOK: 3,
  CAL: 3,
  ECO: 3,
  TRIM: 3,
  BOOST: 3,
  OTHER: 3,
  SUSPEND_STARTING: 3,
  SUSPEND_FINISHED: 3,
  NOTCAL: 2,
  NOTOFF: 2,
  NOTBYPASS: 2,
  NOTECO: 2,
  NOTALARM: 2,
  NOTOVER: 2,
  NOTTRIM: 2,
  NOTBOOST: 2,
  NOTOTHER: 2,
};

export function severityOf(type: NotifyType): Severity {
  return SEVERITY[type];
}

/** ntfy's priority names (its docs: 5 max/urgent, 4 high, 3 default, 2 low, 1 min). */
export const NTFY_PRIORITY: Record<Severity, string> = { 5: 'urgent', 4: 'high', 3: 'default', 2: 'low', 1: 'min' };

/** Gotify's 0–10 scale: 8 and up pops up on Android, 4–7 is a normal notification. */
export const GOTIFY_PRIORITY: Record<Severity, number> = { 5: 10, 4: 8, 3: 5, 2: 2, 1: 0 };

/** ntfy tags: an emoji short code first (shown before the title), then the type for filtering. */
export function ntfyTags(type: NotifyType): string {
  const severity = severityOf(type);
  const emoji =
    type === 'ONBATT' ? 'battery' : type === 'ONLINE' ? 'electric_plug' : type === 'COMMOK' ? 'white_check_mark' : severity === 5 ? 'rotating_light' : severity === 4 ? 'warning' : 'information_source';
  return `${emoji},${type.toLowerCase()}`;
}
