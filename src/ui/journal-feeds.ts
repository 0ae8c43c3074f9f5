/**
 * What goes into the event log by itself: status changes of each UPS, its driver coming and
 * going, NUT clients logging in and out, and every command's verdict from the router (whoever
 * sent it: the UI, a NUT client, MQTT). The monitor's notifications are added by the gateway,
 * which alone knows the monitor.
 */
import type { CommandRouter } from '../core/command-router.js';
import type { Device } from '../core/device.js';
import type { DeviceTable } from '../core/device-table.js';
import { statusText } from '../core/readings.js';
import type { EventJournal } from './event-journal.js';

/** The tokens worth an entry; CHRG/DISCHRG and TRIM/BOOST come and go too often to log. */
const LOGGED_TOKENS = ['OL', 'OB', 'LB', 'HB', 'RB', 'FSD', 'BYPASS', 'OFF', 'OVER', 'CAL', 'ALARM', 'TEST'];
const WARN_TOKENS = ['OB', 'LB', 'RB', 'FSD', 'OVER', 'OFF', 'ALARM'];

function watchStatus(device: Device, journal: EventJournal): () => void {
  let last = '';
  const check = () => {
    if (device.availability() !== 'ok') return;
    const tokens = device.statusTokens().filter((t) => LOGGED_TOKENS.includes(t));
    const key = tokens.join(' ');
    if (key === last || tokens.length === 0) return;
    const first = last === '';
    last = key;
    // The first status after start-up is a fact, not an event, unless it needs attention.
    const warn = tokens.some((t) => WARN_TOKENS.includes(t));
    if (first && !warn) return;
    journal.add('power', device.name, `status: ${statusText(tokens) ?? key}`, warn ? 'warn' : 'info');
  };
  const offVariable = device.on('variable', (name) => {
    if (name.toLowerCase() === 'ups.status') check();
  });
  const offFsd = device.on('fsd', check);
  return () => {
    offVariable();
    offFsd();
  };
}

function watchDriver(device: Device, journal: EventJournal): () => void {
  let last = device.availability();
  return device.on('availability', (state) => {
    if (state === last) return;
    const was = last;
    last = state;
    if (state === 'not-connected') journal.add('driver', device.name, 'driver lost: the UPS is not served (ERR DRIVER-NOT-CONNECTED)', 'warn');
    else if (state === 'stale') journal.add('driver', device.name, 'data stale: the driver gets no answer from the UPS', 'warn');
    else journal.add('driver', device.name, was === 'stale' ? 'data fresh again' : 'driver connected');
  });
}

function watchLogins(device: Device, journal: EventJournal): () => void {
  let known = new Map(device.logins().map((l) => [l.id, l]));
  return device.on('logins', () => {
    const now = new Map(device.logins().map((l) => [l.id, l]));
    for (const [id, l] of now) if (!known.has(id)) journal.add('login', device.name, `NUT client ${l.username}@${l.address} logged in (${now.size} now)`);
    for (const [id, l] of known) if (!now.has(id)) journal.add('login', device.name, `NUT client ${l.username}@${l.address} logged out (${now.size} now)`);
    known = now;
  });
}

export function feedJournal(devices: DeviceTable, router: CommandRouter, journal: EventJournal): () => void {
  const stops: (() => void)[] = [];
  for (const device of devices.list()) stops.push(watchStatus(device, journal), watchDriver(device, journal), watchLogins(device, journal));
  stops.push(router.on('result', (r) => {
    const what = r.kind === 'set' ? `set ${r.name} = "${r.argument ?? ''}"` : r.argument !== undefined ? `${r.name} ${r.argument}` : r.name;
    const ok = r.outcome === 'success' || r.outcome === 'unknown';
    journal.add('command', r.ups, `${what} from ${r.origin}: ${r.outcome}`, ok ? 'info' : 'warn');
  }));
  return () => {
    for (const s of stops) s();
  };
}
