/**
 * What a status card shows for one UPS, as plain data: the page renders it and the live stream
 * sends it, so the first paint and every update agree.
 */
import type { Device } from '../core/device.js';
import { numberOf, realPower, runtimeSeconds, statusText } from '../core/readings.js';

export interface UpsCard {
  name: string;
  title: string;
  availability: 'ok' | 'stale' | 'not-connected';
  /** In words ("On battery, low battery"); what availability says when the data cannot be trusted. */
  status: string;
  tokens: string[];
  charge: number | null;
  runtimeSeconds: number | null;
  load: number | null;
  inputVoltage: number | null;
  outputVoltage: number | null;
  realpower: number | null;
  realpowerDerived: boolean;
  /** warn: on battery, low battery, replace battery, overload; bad: data not to be trusted. */
  severity: 'ok' | 'warn' | 'bad';
}

const WARN_TOKENS = ['OB', 'LB', 'RB', 'OVER', 'FSD', 'BYPASS', 'OFF', 'ALARM'];

export function upsCard(device: Device): UpsCard {
  const availability = device.availability();
  const tokens = device.statusTokens();
  const power = realPower(device);
  const status =
    availability === 'not-connected' ? 'Driver not connected' :
    availability === 'stale' ? 'Data stale (no answer from the UPS)' :
    statusText(tokens) ?? 'Unknown';
  const model = [device.getInfo('device.mfr') ?? device.getInfo('ups.mfr'), device.getInfo('device.model') ?? device.getInfo('ups.model')]
    .filter((x) => x !== undefined).join(' ');
  return {
    name: device.name,
    title: device.description ?? (model || device.name),
    availability,
    status,
    tokens,
    charge: numberOf(device, 'battery.charge'),
    runtimeSeconds: runtimeSeconds(device),
    load: numberOf(device, 'ups.load'),
    inputVoltage: numberOf(device, 'input.voltage'),
    outputVoltage: numberOf(device, 'output.voltage'),
    realpower: power.watts,
    realpowerDerived: power.derived,
    severity: availability !== 'ok' ? 'bad' : tokens.some((t) => WARN_TOKENS.includes(t)) ? 'warn' : 'ok',
  };
}

/** "1 h 05 min", "12 min", "45 s"; a dash when not known. */
export function formatRuntime(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatNumber(v: number | null, unit: string, digits = 0): string {
  return v === null ? '–' : `${v.toFixed(digits)} ${unit}`;
}

/** The card's readings as the page prints them, keyed as the page's `data-field` attributes. */
export function cardText(card: UpsCard): Record<string, string> {
  return {
    status: card.status,
    charge: formatNumber(card.charge, '%'),
    runtime: formatRuntime(card.runtimeSeconds),
    load: formatNumber(card.load, '%'),
    inputVoltage: formatNumber(card.inputVoltage, 'V', 1),
    outputVoltage: formatNumber(card.outputVoltage, 'V', 1),
    realpower: card.realpower === null ? '–' : `${card.realpower.toFixed(0)} W${card.realpowerDerived ? ' (derived)' : ''}`,
  };
}
