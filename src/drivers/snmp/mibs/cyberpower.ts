// CyberPower CPS-MIB (1.3.6.1.4.1.3808.1.1.1, RMCARD cards), the rows NUT 2.8.0's cyberpower table
// reads, in its order. Runtime (upsAdvanceBatteryRunTimeRemaining) is TimeTicks; voltages,
// frequencies and currents are tenths.
import type { MibDefinition } from '../mib-types.js';
import { cmd, constant, INFOSIZE, num, status, str, SYSTEM_ROWS } from './rows.js';

const C = '1.3.6.1.4.1.3808.1.1.1';

/** upsBaseOutputStatus. */
const OUTPUT_STATUS = {
  1: '', 2: 'OL', 3: 'OB', 4: 'OL BOOST', 5: 'OFF', 6: 'OFF', 7: 'OL', 8: 'OL', 9: 'OL BYPASS', 10: 'OL TRIM', 11: 'OL OVER',
};
const BATTERY_STATUS = { 1: '', 2: '', 3: 'LB' };
const CALIBRATION = { 1: '', 2: '', 3: 'CAL' };
const REPLACE = { 1: '', 2: 'RB' };

export const CYBERPOWER_MIB: MibDefinition = {
  name: 'cyberpower',
  version: '0.51',
  sysOids: ['1.3.6.1.4.1.3808.1.1.1'],
  probeOid: `${C}.1.1.1.0`,
  rows: [
    ...SYSTEM_ROWS,
    constant('ups.mfr', 'CYBERPOWER'),
    str('ups.model', `${C}.1.1.1.0`, INFOSIZE, { static: true }),
    str('ups.serial', `${C}.1.2.3.0`, INFOSIZE, { static: true }),
    str('ups.firmware', `${C}.1.2.1.0`, INFOSIZE, { static: true }),
    str('ups.mfr.date', `${C}.1.2.2.0`, INFOSIZE),
    status(`${C}.4.1.1.0`, OUTPUT_STATUS),
    status(`${C}.2.1.1.0`, BATTERY_STATUS),
    status(`${C}.7.2.7.0`, CALIBRATION),
    status(`${C}.2.2.5.0`, REPLACE),
    num('ups.load', `${C}.4.2.3.0`, 1),
    num('battery.runtime', `${C}.2.2.4.0`, 1),
    num('battery.runtime.elapsed', `${C}.2.1.2.0`, 1),
    num('battery.voltage', '1.3.6.1.2.1.33.1.2.5.0', 0.1),
    num('battery.voltage', `${C}.2.2.2.0`, 0.1),
    num('battery.voltage.nominal', `${C}.2.2.8.0`, 1),
    num('battery.current', `${C}.4.2.4.0`, 0.1),
    num('battery.current', `${C}.2.2.7.0`, 0.1),
    num('battery.charge', `${C}.2.2.1.0`, 1),
    num('battery.temperature', `${C}.2.2.3.0`, 1),
    num('input.voltage', `${C}.3.2.1.0`, 0.1),
    num('input.frequency', `${C}.3.2.4.0`, 0.1),
    num('output.voltage', `${C}.4.2.1.0`, 0.1),
    num('output.frequency', `${C}.4.2.2.0`, 0.1),
    num('output.current', `${C}.4.2.4.0`, 0.1),
    num('ups.delay.start', `${C}.5.2.9.0`, 1, { rw: true, time: true }),
    constant('ups.delay.reboot', '0'),
    num('ups.delay.shutdown', `${C}.5.2.11.0`, 1, { rw: true, time: true }),
    cmd('load.off', `${C}.6.2.1.0`, 2),
    cmd('load.on', `${C}.6.2.6.0`, 2),
    cmd('shutdown.stayoff', `${C}.6.2.6.0`, 3),
    cmd('shutdown.return', `${C}.6.2.3.0`, 3),
    cmd('test.failure.start', `${C}.6.2.4.0`, 2),
    cmd('test.panel.start', `${C}.7.2.5.0`, 2),
    cmd('test.battery.start', `${C}.7.2.2.0`, 2),
    cmd('calibrate.start', `${C}.7.2.6.0`, 2),
    cmd('calibrate.stop', `${C}.7.2.6.0`, 3),
  ],
};
