/**
 * Feeds the chart history: every few seconds, each UPS whose data is fresh gives one sample.
 * Stale or lost data is not recorded, so the charts show a gap rather than a flat line.
 */
import type { Clock } from '../core/clock.js';
import type { DeviceTable } from '../core/device-table.js';
import { numberOf, realPower, runtimeSeconds } from '../core/readings.js';
import type { HistorySample, HistoryStore } from './history/history-store.js';

export const SAMPLE_EVERY_MS = 10_000;

export function recordHistory(devices: DeviceTable, history: HistoryStore, clock: Clock): () => void {
  const sample = () => {
    for (const device of devices.list()) {
      if (device.availability() !== 'ok') continue;
      const s: HistorySample = {};
      const put = (key: keyof HistorySample, v: number | null) => {
        if (v !== null) s[key] = v;
      };
      put('charge', numberOf(device, 'battery.charge'));
      put('runtime', runtimeSeconds(device));
      put('load', numberOf(device, 'ups.load'));
      put('inputVoltage', numberOf(device, 'input.voltage'));
      put('outputVoltage', numberOf(device, 'output.voltage'));
      put('realpower', realPower(device).watts);
      history.record(device.name, s);
    }
  };
  const timer = clock.setInterval(sample, SAMPLE_EVERY_MS);
  return () => timer.cancel();
}
