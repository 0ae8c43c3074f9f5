// RFC 1628 UPS-MIB (1.3.6.1.2.1.33.1), the rows NUT 2.8.0's ietf table reads, in its order.
// Units per the MIB: minutes (×60 → seconds), tenths of volts/amperes/hertz, whole volts and watts.
// The line tables (.3.3.1, .4.4.1, .5.3.1) give input.*/output.* for one line, Lx.* for three.
// NUT's debug.* rows (upsIdentName, upsSecondsOnBattery, upsTestSpinLock …) are left out: NUT 2.8.0
// never publishes them either.
import type { MibDefinition, MibRow } from '../mib-types.js';
import { cmd, INFOSIZE, num, status, str, SYSTEM_ROWS } from './rows.js';

const M = '1.3.6.1.2.1.33.1';

const BATTERY_STATUS = { 1: '', 2: '', 3: 'LB', 4: 'LB' };
/** upsOutputSource. */
const OUTPUT_SOURCE = { 1: '', 2: 'OFF', 3: 'OL', 4: 'OL BYPASS', 5: 'OB', 6: 'OL BOOST', 7: 'OL TRIM' };
const TEST_RESULT = {
  1: 'done and passed', 2: 'done and warning', 3: 'done and error', 4: 'aborted', 5: 'in progress', 6: 'no test initiated',
};
const YES_NO = { 1: 'yes', 2: 'no' };
const BEEPER = { 1: 'disabled', 2: 'enabled', 3: 'muted' };

type Line = 'input' | 'output' | 'input.bypass';

/**
 * One column of a line table: the single-phase row (`single`) on line 1, and per-line rows for
 * three-phase devices (`L<n>` + `three`).
 */
function lineColumn(line: Line, oid: string, single: string, three: string, scale: number): MibRow[] {
  return [
    num(`${line}.${single}`, `${oid}.1`, scale, { phases: { line, count: 1 } }),
    ...[1, 2, 3].map((n) => num(`${line}.${three.replace('#', String(n))}`, `${oid}.${n}`, scale, { phases: { line, count: 3 } })),
  ];
}

/** The test ids of upsTestTable (upsWellKnownTests), written as OBJECT IDENTIFIERs to upsTestId. */
const TEST = `${M}.7.7`;

export const IETF_ROWS: readonly MibRow[] = [
  ...SYSTEM_ROWS,
  str('ups.mfr', `${M}.1.1.0`, INFOSIZE, { static: true }),
  str('ups.model', `${M}.1.2.0`, INFOSIZE, { static: true }),
  str('ups.firmware', `${M}.1.3.0`, INFOSIZE, { static: true }),
  str('ups.firmware.aux', `${M}.1.4.0`, INFOSIZE, { static: true }),
  status(`${M}.2.1.0`, BATTERY_STATUS),
  num('battery.runtime', `${M}.2.3.0`, 60),
  num('battery.charge', `${M}.2.4.0`, 1),
  num('battery.voltage', `${M}.2.5.0`, 0.1),
  num('battery.current', `${M}.2.6.0`, 0.1),
  num('battery.temperature', `${M}.2.7.0`, 1),
  num('input.phases', `${M}.3.2.0`, 1),
  ...lineColumn('input', `${M}.3.3.1.2`, 'frequency', 'L#.frequency', 0.1),
  ...lineColumn('input', `${M}.3.3.1.3`, 'voltage', 'L#-N.voltage', 1),
  ...lineColumn('input', `${M}.3.3.1.4`, 'current', 'L#.current', 0.1),
  ...lineColumn('input', `${M}.3.3.1.5`, 'realpower', 'L#.realpower', 1),
  status(`${M}.4.1.0`, OUTPUT_SOURCE),
  num('output.frequency', `${M}.4.2.0`, 0.1),
  num('output.phases', `${M}.4.3.0`, 1),
  ...lineColumn('output', `${M}.4.4.1.2`, 'voltage', 'L#-N.voltage', 1),
  ...lineColumn('output', `${M}.4.4.1.3`, 'current', 'L#.current', 0.1),
  ...lineColumn('output', `${M}.4.4.1.4`, 'realpower', 'L#.realpower', 1),
  // upsOutputPercentLoad: single phase → ups.load.
  num('ups.load', `${M}.4.4.1.5.1`, 1, { phases: { line: 'output', count: 1 } }),
  ...[1, 2, 3].map((n) => num(`output.L${n}.power.percent`, `${M}.4.4.1.5.${n}`, 1, { phases: { line: 'output', count: 3 } })),
  num('input.bypass.phases', `${M}.5.2.0`, 1),
  num('input.bypass.frequency', `${M}.5.1.0`, 0.1),
  ...lineColumn('input.bypass', `${M}.5.3.1.2`, 'voltage', 'L#-N.voltage', 1),
  ...lineColumn('input.bypass', `${M}.5.3.1.3`, 'current', 'L#.current', 0.1),
  ...lineColumn('input.bypass', `${M}.5.3.1.4`, 'realpower', 'L#.realpower', 1),
  // Alarms: the alarm table holds one row per present alarm whose upsAlarmDescr is a well-known
  // alarm OID (.6.3.N); output overload (.6.3.8) is OVER. Read by the walker from the table.
  // Tests: upsTestResultsSummary says whether a test runs now (inProgress); upsTestId only names
  // the last test started, so it never sets a status by itself (see the walker's ietf note).
  str('ups.test.result', `${M}.7.3.0`, INFOSIZE, { lookup: TEST_RESULT }),
  cmd('test.battery.stop', `${M}.7.1.0`, 0, { writeOid: `${TEST}.2` }),
  cmd('test.battery.start', `${M}.7.1.0`, 0, { writeOid: `${TEST}.3` }),
  cmd('test.battery.start.quick', `${M}.7.1.0`, 0, { writeOid: `${TEST}.4` }),
  cmd('test.battery.start.deep', `${M}.7.1.0`, 0, { writeOid: `${TEST}.5` }),
  str('ups.timer.shutdown', `${M}.8.2.0`, 8, { rw: true, writeAs: 'integer' }),
  cmd('load.off', `${M}.8.2.0`, 0),
  str('ups.timer.start', `${M}.8.3.0`, 8, { rw: true, writeAs: 'integer' }),
  cmd('load.on', `${M}.8.3.0`, 0),
  str('ups.timer.reboot', `${M}.8.4.0`, 8, { rw: true, writeAs: 'integer' }),
  str('ups.start.auto', `${M}.8.5.0`, INFOSIZE, { lookup: YES_NO }),
  num('input.voltage.nominal', `${M}.9.1.0`, 1),
  num('input.frequency.nominal', `${M}.9.2.0`, 0.1),
  num('output.voltage.nominal', `${M}.9.3.0`, 1),
  num('output.frequency.nominal', `${M}.9.4.0`, 0.1),
  num('output.power.nominal', `${M}.9.5.0`, 1),
  num('output.realpower.nominal', `${M}.9.6.0`, 1),
  num('battery.runtime.low', `${M}.9.7.0`, 60),
  str('ups.beeper.status', `${M}.9.8.0`, INFOSIZE, { lookup: BEEPER }),
  cmd('beeper.disable', `${M}.9.8.0`, 1),
  cmd('beeper.enable', `${M}.9.8.0`, 2),
  cmd('beeper.mute', `${M}.9.8.0`, 3),
  num('input.transfer.low', `${M}.9.9.0`, 1),
  num('input.transfer.high', `${M}.9.10.0`, 1),
];

export const IETF_MIB: MibDefinition = {
  name: 'ietf',
  version: '1.54',
  sysOids: ['1.3.6.1.2.1.33'],
  probeOid: `${M}.1.1.0`,
  rows: IETF_ROWS,
};

/**
 * Tripp Lite cards (sysObjectID under .850.1) serve RFC 1628; NUT names the same rows "tripplite".
 * NUT's probe would also pick this name for every other RFC 1628 card (it comes first and its
 * model OID answers everywhere); here it is chosen by sysObjectID only, or by `mibs = tripplite`.
 */
export const TRIPPLITE_MIB: MibDefinition = {
  name: 'tripplite',
  version: '1.54',
  sysOids: ['1.3.6.1.4.1.850.1'],
  probeOid: `${M}.1.2.0`,
  sysOidOnly: true,
  rows: IETF_ROWS,
};

/** The well-known alarms of RFC 1628 (upsWellKnownAlarms, .6.3.N) that change ups.status. */
export const IETF_ALARMS_PRESENT = `${M}.6.1.0`;
export const IETF_ALARM_TABLE = `${M}.6.2.1.2`;
export const IETF_ALARM_STATUS: Readonly<Record<string, string>> = { [`${M}.6.3.8`]: 'OVER' };
/** upsTestResultsSummary inProgress(5) with the test upsTestId names: TEST, or CAL for a deep calibration. */
export const IETF_TEST_ID = `${M}.7.1.0`;
export const IETF_TEST_SUMMARY = `${M}.7.3.0`;
