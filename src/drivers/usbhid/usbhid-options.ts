import type { UpsSection } from '../../conf/model.js';
import { sectionValue } from '../driver-config.js';
import { DriverConfigError } from '../driver.js';
import type { MapperOptions } from './mapping/index.js';
import { DEFAULT_POLLFREQ_SECONDS } from './usbhid-info.js';

/** What a usbhid-ups section asks for, checked (the matching options are matching.ts's). */
export interface UsbHidOptions {
  mapper: MapperOptions;
  pollFreqMs: number;
  maxFailures: number;
  pollOnly: boolean;
  maxReport: boolean;
}

/** Reads and checks the section's options; a bad value is a DriverConfigError naming its line. */
export function usbHidOptions(section: UpsSection): UsbHidOptions {
  const flag = (name: string): boolean => sectionValue(section, name) !== undefined;
  const value = (name: string): string | undefined => sectionValue(section, name)?.value;
  for (const name of ['offdelay', 'ondelay', 'lowbatt']) wholeNumber(section, name, 0, 0);
  return {
    mapper: {
      onlineDischargeOnBattery: flag('onlinedischarge') || flag('onlinedischarge_onbattery'),
      onlineDischargeCalibration: flag('onlinedischarge_calibration'),
      ...(value('lowbatt') !== undefined ? { lowBatt: value('lowbatt')! } : {}),
      ...(value('ondelay') !== undefined ? { onDelay: value('ondelay')! } : {}),
      ...(value('offdelay') !== undefined ? { offDelay: value('offdelay')! } : {}),
    },
    pollFreqMs: wholeNumber(section, 'pollfreq', 1, DEFAULT_POLLFREQ_SECONDS) * 1000,
    maxFailures: wholeNumber(section, 'maxfailures', 1, 30),
    pollOnly: flag('pollonly'),
    maxReport: flag('maxreport'),
  };
}

/** A whole-number option (NUT would atoi it and take `abc` as 0, `30s` as 30). */
function wholeNumber(section: UpsSection, name: string, min: number, fallback: number): number {
  const e = sectionValue(section, name);
  if (e === undefined || e.value === undefined) return fallback;
  if (!/^[0-9]+$/.test(e.value) || Number(e.value) < min) {
    throw new DriverConfigError(`${e.pos.file}:${e.pos.line}:${e.pos.column}: [${section.name}] ${e.key} = ${e.value}: ` +
      `accepted: a whole number, ${min} or more`);
  }
  return Number(e.value);
}
