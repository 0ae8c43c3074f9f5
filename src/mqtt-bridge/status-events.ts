/**
 * upsmon's power events (ONBATT, ONLINE, LOWBATT …) read straight off a Device, for a gateway
 * that does not run the monitor (no upsmon.conf): Home Assistant users still want them. With the
 * monitor on, the gateway hands the bridge the monitor's own notifications instead.
 */
import { NOTIFY_MESSAGES } from '../conf/notify-types.js';
import type { Availability, Device } from '../core/device.js';

/** The events the bridge announces; a subset of NUT's notification types, with NUT's names. */
export const POWER_EVENTS = ['ONLINE', 'ONBATT', 'LOWBATT', 'FSD', 'COMMOK', 'COMMBAD', 'SHUTDOWN', 'REPLBATT', 'NOCOMM'] as const;
export type PowerEvent = (typeof POWER_EVENTS)[number];

/** Which token turning on raises which event (upsmon's own order: OL/OB, LB, RB, FSD). */
const RAISED_BY: readonly [token: string, event: PowerEvent][] = [
  ['OL', 'ONLINE'],
  ['OB', 'ONBATT'],
  ['LB', 'LOWBATT'],
  ['RB', 'REPLBATT'],
  ['FSD', 'FSD'],
];

export type EventSink = (event: PowerEvent, message: string) => void;

/**
 * Follows one Device and calls `sink` when a status token appears or communication is lost or
 * regained. The state first seen is taken as given (a start-up is not a power event), and WAIT
 * (upsd starting, no data yet) counts as "nothing known".
 */
export function followStatusEvents(device: Device, sink: EventSink): () => void {
  let known: Set<string> | undefined;
  let reachable: boolean | undefined;

  const checkStatus = (): void => {
    if (device.availability() !== 'ok') return; // stale data is not news
    const tokens = new Set(device.statusTokens());
    if (tokens.size === 0 || tokens.has('WAIT')) return;
    const before = known;
    known = tokens;
    if (!before) return;
    for (const [token, event] of RAISED_BY) {
      if (tokens.has(token) && !before.has(token)) sink(event, messageFor(event, device.name));
    }
  };

  const checkReach = (state: Availability): void => {
    const now = state === 'ok';
    if (reachable === undefined) {
      reachable = now;
      return;
    }
    if (now === reachable) return;
    reachable = now;
    sink(now ? 'COMMOK' : 'COMMBAD', messageFor(now ? 'COMMOK' : 'COMMBAD', device.name));
    if (!now) known = undefined; // after a gap, the state found on return is not news
  };

  checkStatus();
  if (device.availability() === 'ok') reachable = true;
  const offs = [
    device.on('variable', (name) => {
      if (name.toLowerCase() === 'ups.status') checkStatus();
    }),
    device.on('fsd', checkStatus),
    device.on('availability', (state) => {
      checkReach(state);
      checkStatus();
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** NUT's stock NOTIFYMSG text, with the UPS name where upsmon puts the system name. */
function messageFor(event: PowerEvent, ups: string): string {
  return NOTIFY_MESSAGES[event].replace('%s', ups);
}
