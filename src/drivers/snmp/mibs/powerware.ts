// Eaton/Powerware XUPS-MIB (1.3.6.1.4.1.534.1, ConnectUPS / Network-MS cards), the single-phase
// rows of NUT 2.8.0's pw table, in its order. XUPS units: battery volts and runtime seconds whole,
// battery current and frequencies in tenths, line voltages whole (line 1 of the tables).
// Where NUT names a scalar without its `.0` instance (xupsTestBattery, xupsLoadShedSecsWithRestart)
// the object never answers and the command is never offered; here the instance is named.
import type { MibDefinition } from '../mib-types.js';
import { cmd, INFOSIZE, num, status, str, SYSTEM_ROWS } from './rows.js';

const X = '1.3.6.1.4.1.534.1';
const IETF = '1.3.6.1.2.1.33.1';

/** xupsOutputSource, with the extended values newer cards send. */
const OUTPUT_SOURCE = {
  1: '', 2: 'OFF', 3: 'OL', 4: 'BYPASS', 5: 'OB', 6: 'OL BOOST', 7: 'OL TRIM', 8: 'OL', 9: 'OL', 10: 'OL',
  240: 'OB', 100: 'BYPASS', 96: 'BYPASS', 81: 'OL', 80: 'OL', 64: 'OL', 16: 'OFF',
};
/** xupsBatteryAbmStatus: charging / discharging (floating, resting: neither). */
const ABM_STATUS = { 1: 'CHRG', 2: 'DISCHRG' };
const ABM_TEXT = { 1: 'charging', 2: 'discharging', 3: 'floating', 4: 'resting', 5: 'unknown', 6: 'disabled' };
const TEST_RESULT = { 1: 'Unknown', 2: 'Done and passed', 3: 'Done and error', 4: 'In progress', 5: 'Not supported', 6: 'Inhibited', 7: 'Scheduled' };
const YES_NO = { 1: 'yes', 2: 'no' };

const one = (line: 'input' | 'output') => ({ phases: { line, count: 1 as const } });

export const POWERWARE_MIB: MibDefinition = {
  name: 'pw',
  version: '0.104',
  sysOids: ['1.3.6.1.4.1.534.1'],
  probeOid: `${X}.1.2.0`,
  rows: [
    ...SYSTEM_ROWS,
    str('ups.mfr', `${X}.1.1.0`, INFOSIZE, { static: true }),
    str('ups.model', `${X}.1.2.0`, INFOSIZE, { static: true }),
    str('ups.firmware', `${X}.1.3.0`, INFOSIZE, { static: true }),
    str('ups.firmware.aux', `${IETF}.1.4.0`, INFOSIZE, { static: true }),
    str('ups.serial', `${IETF}.1.5.0`, INFOSIZE, { static: true }),
    num('ups.load', `${X}.4.1.0`, 1),
    num('ups.power', `${X}.4.4.1.4.1`, 1),
    status(`${X}.4.5.0`, OUTPUT_SOURCE),
    status(`${X}.2.5.0`, ABM_STATUS),
    num('ups.realpower.nominal', `${X}.10.3.0`, 1),
    num('ups.power.nominal', `${IETF}.9.5.0`, 1),
    num('ups.temperature', `${X}.6.1.0`, 1),
    num('ups.temperature.low', `${X}.6.2.0`, 1, { rw: true }),
    num('ups.temperature.high', `${X}.6.3.0`, 1, { rw: true }),
    str('ups.test.result', `${X}.8.2.0`, INFOSIZE, { lookup: TEST_RESULT }),
    str('ups.start.auto', `${IETF}.8.5.0`, INFOSIZE, { lookup: YES_NO, rw: true, writeAs: 'integer' }),
    str('battery.charger.status', `${X}.2.5.0`, INFOSIZE, { lookup: ABM_TEXT }),
    num('battery.charge', `${X}.2.4.0`, 1),
    num('battery.runtime', `${X}.2.1.0`, 1),
    num('battery.voltage', `${X}.2.2.0`, 1),
    num('battery.current', `${X}.2.3.0`, 0.1),
    num('battery.runtime.low', `${IETF}.9.7.0`, 60),
    num('output.phases', `${X}.4.3.0`, 1),
    num('output.frequency', `${X}.4.2.0`, 0.1),
    num('output.frequency.nominal', `${X}.10.4.0`, 0.1),
    num('output.voltage', `${X}.4.4.1.2.1`, 1, one('output')),
    num('output.voltage.nominal', `${X}.10.1.0`, 1),
    num('output.voltage.low', `${X}.10.6.0`, 1),
    num('output.voltage.high', `${X}.10.7.0`, 1),
    num('output.current', `${X}.4.4.1.3.1`, 1, one('output')),
    num('output.realpower', `${X}.4.4.1.4.1`, 1, one('output')),
    num('input.phases', `${X}.3.3.0`, 1),
    num('input.frequency', `${X}.3.1.0`, 0.1),
    num('input.voltage', `${X}.3.4.1.2.1`, 1, one('input')),
    num('input.voltage.nominal', `${X}.10.2.0`, 1),
    num('input.current', `${X}.3.4.1.3.1`, 0.1, one('input')),
    num('input.realpower', `${X}.3.4.1.4.1`, 1, one('input')),
    num('input.bypass.frequency', `${X}.5.1.0`, 0.1),
    num('input.bypass.voltage', `${X}.5.3.1.2.1`, 1),
    // xupsTestBattery startTest(1); xupsControlOutputOff/OnDelay: seconds until the load is cut / back
    // (1 = at once, 0 cancels); xupsLoadShedSecsWithRestart 0: cut now, back when power returns.
    cmd('test.battery.start.quick', `${X}.8.1.0`, 1),
    cmd('shutdown.return', `${X}.9.6.0`, 0),
    cmd('shutdown.stop', `${X}.9.1.0`, 0),
    cmd('load.off', `${X}.9.1.0`, 1),
    cmd('load.on', `${X}.9.2.0`, 1),
  ],
};
