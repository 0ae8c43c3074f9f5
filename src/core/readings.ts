/**
 * Readings a person (or Home Assistant) wants from a UPS, out of its NUT variables: numbers that
 * are really numbers, runtime without the firmware's "unknown" sentinels, real power derived when
 * the UPS does not report it, and the status tokens in words. The MQTT bridge and the web UI
 * both show these, so they live here and cannot disagree.
 */
import type { Device } from './device.js';

/** A decimal number as NUT drivers print them; "12abc" is not a reading we can graph. */
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A variable's value as a number, or null when it is absent or not a number. */
export function numberOf(device: Device, name: string): number | null {
  const text = device.getInfo(name)?.trim();
  if (text === undefined || !NUMERIC.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** A variable trimmed, or null when absent. */
export function textOf(device: Device, name: string): string | null {
  const text = device.getInfo(name);
  return text === undefined ? null : text.trim();
}

const ONE_WEEK_S = 7 * 24 * 3600;

/**
 * battery.runtime in seconds, without the sentinels UPSes send for "not known": negative values,
 * 65535 (an unset 16-bit field) and anything beyond a week, which no battery delivers. A large
 * battery bank may well hold 20 hours, so other values above 65535 s stay.
 */
export function runtimeSeconds(device: Device): number | null {
  const s = numberOf(device, 'battery.runtime');
  if (s === null || s < 0 || s === 65535 || s > ONE_WEEK_S) return null;
  return s;
}

/** Real power: what the UPS reports, else load% of the nominal real power (marked derived). */
export function realPower(device: Device): { watts: number | null; derived: boolean } {
  const reported = numberOf(device, 'ups.realpower');
  if (reported !== null) return { watts: reported, derived: false };
  const load = numberOf(device, 'ups.load');
  const nominal = numberOf(device, 'ups.realpower.nominal');
  if (load === null || nominal === null) return { watts: null, derived: device.getInfo('ups.realpower') === undefined };
  return { watts: Math.round(load * nominal) / 100, derived: true };
}

/** Phrases for the tokens, in the order a person wants to read them. */
const PHRASES: readonly (readonly [string, string])[] = [
  ['FSD', 'forced shutdown'],
  ['OL', 'online'],
  ['OB', 'on battery'],
  ['LB', 'low battery'],
  ['HB', 'high battery'],
  ['RB', 'replace battery'],
  ['CHRG', 'charging'],
  ['DISCHRG', 'discharging'],
  ['BYPASS', 'bypass'],
  ['CAL', 'calibrating'],
  ['OFF', 'output off'],
  ['OVER', 'overload'],
  ['TRIM', 'trimming voltage'],
  ['BOOST', 'boosting voltage'],
  ['ALARM', 'alarm'],
  ['TEST', 'testing'],
  ['ECO', 'eco mode'],
];

/** "Online", "Online, charging", "On battery, low battery", "Forced shutdown, on battery" … or null. */
export function statusText(tokens: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  if (tokens.includes('WAIT') && !tokens.includes('FSD')) return 'Waiting for data';
  const words: string[] = [];
  for (const [t, phrase] of PHRASES) {
    // On battery means discharging; saying both is noise.
    if (t === 'DISCHRG' && tokens.includes('OB')) continue;
    if (tokens.includes(t)) words.push(phrase);
  }
  // A token NUT adds later still shows, rather than vanishing from the text.
  for (const t of tokens) if (t !== 'WAIT' && !PHRASES.some(([p]) => p === t)) words.push(t);
  const text = words.join(', ');
  return text === '' ? null : text[0]!.toUpperCase() + text.slice(1);
}
