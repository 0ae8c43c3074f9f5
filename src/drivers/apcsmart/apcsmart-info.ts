import type { UpsSection } from '../../conf/model.js';
import { sectionValue } from '../driver-config.js';
import type { DriverInfo } from '../driver-core.js';
import { DriverConfigError } from '../driver.js';

/** apcsmart as ups.conf knows it: NUT 2.8.0's variables (upsdrv_makevartable), unchanged. */
export const APCSMART_INFO: DriverInfo = {
  name: 'apcsmart',
  version: '3.2',
  variables: [
    { name: 'ttymode', description: 'tty discipline selection' },
    { name: 'cable', description: 'alternate cable (940-0095B) selection' },
    { name: 'awd', description: "hard hibernate's additional wakeup delay" },
    { name: 'sdtype', description: 'simple shutdown method' },
    { name: 'advorder', description: 'advanced shutdown control' },
    { name: 'cshdelay', description: 'CS hack delay' },
  ],
};

/** The alternate cable NUT knows: it needs DTR on and RTS off to power the UPS's interface. */
export const ALT_CABLE = '940-0095B';

export interface ApcSmartOptions {
  awd: string | undefined;
  sdtype: number;
  /** Digits of advorder, or undefined when absent or `no` (then sdtype decides). */
  advorder: string | undefined;
  csDelayMs: number;
  altCable: boolean;
}

/** The options NUT checks at start-up (same patterns); a bad one names its ups.conf line. */
export function apcSmartOptions(section: UpsSection): ApcSmartOptions {
  const get = (name: string, pattern: RegExp, accepted: string): string | undefined => {
    const e = sectionValue(section, name);
    if (e === undefined) return undefined;
    const value = e.value ?? '';
    if (!pattern.test(value)) {
      throw new DriverConfigError(`${e.pos.file}:${e.pos.line}:${e.pos.column}: [${section.name}] invalid value (${value}) ` +
        `for option '${e.key}'; accepted: ${accepted}`);
    }
    return value;
  };
  const awd = get('awd', /^[0-9]{1,3}$/, '1 to 3 digits (units of 6 minutes)');
  const sdtype = get('sdtype', /^[0-5]$/, 'a digit 0 to 5 (0 S or @ by line state, 1 S then @, 2 Z, 3 K, 4 CS, 5 @)');
  const advorder = get('advorder', /^([0-4]{1,5}|[Nn][Oo])$/, '1 to 5 digits 0-4 (0 S, 1 @, 2 K, 3 Z, 4 CS), or no');
  const csh = get('cshdelay', /^([0-9]\.?|[0-9]?\.[0-9])$/, 'seconds, 0 to 9.9 with at most one decimal');
  const cable = sectionValue(section, 'cable')?.value;
  return {
    awd,
    sdtype: sdtype === undefined ? 0 : Number(sdtype),
    advorder: advorder === undefined || /^no$/i.test(advorder) ? undefined : advorder,
    csDelayMs: csh === undefined ? 3500 : Math.round(Number(csh.startsWith('.') ? `0${csh}` : csh) * 1000),
    altCable: cable !== undefined && cable.toLowerCase() === ALT_CABLE.toLowerCase(),
  };
}
