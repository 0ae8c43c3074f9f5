// APC PowerNet-MIB (upsXxx under 1.3.6.1.4.1.318.1.1.1), the rows NUT 2.8.0's apcc table reads,
// in its order. High-precision objects (tenths) come first and are `unique`: when the card has
// them, the integer ones are never read. The three-phase rows (.9.x) answer only on Symmetras.
import type { MibDefinition } from '../mib-types.js';
import { cmd, constant, INFOSIZE, num, status, str, SYSTEM_ROWS } from './rows.js';

const UPS = '1.3.6.1.4.1.318.1.1.1';
const ENV = '1.3.6.1.4.1.318.1.1.2';
const IEM = '1.3.6.1.4.1.318.1.1.10';

/** upsBasicOutputStatus. */
const OUTPUT_STATUS = {
  1: '', 2: 'OL', 3: 'OB', 4: 'OL BOOST', 5: 'OFF', 6: 'OFF', 7: 'OFF', 8: '', 9: 'BYPASS', 10: 'BYPASS', 11: 'OFF', 12: 'OL TRIM',
};
/** upsBasicBatteryStatus: low is LB; unknown/normal say nothing. */
const BATTERY_STATUS = { 1: '', 2: '', 3: 'LB' };
/** upsAdvTestCalibrationResults: 3 = in progress. */
const CALIBRATION = { 1: '', 2: '', 3: 'CAL' };
/** upsAdvBatteryReplaceIndicator. */
const REPLACE = { 1: '', 2: 'RB' };
const TEST_RESULT = { 1: 'Ok', 2: 'Failed', 3: 'InvalidTest', 4: 'TestInProgress' };
const SENSITIVITY = { 1: 'auto', 2: 'low', 3: 'medium', 4: 'high' };
const TRANSFER_REASON = {
  1: 'noTransfer', 2: 'highLineVoltage', 3: 'brownout', 4: 'blackout', 5: 'smallMomentarySag', 6: 'deepMomentarySag',
  7: 'smallMomentarySpike', 8: 'largeMomentarySpike', 9: 'selfTest', 10: 'rateOfVoltageChange',
};

/** Three-phase line rows: `<prefix>.L<a>-L<b>.voltage` etc. for lines 1..3 of a Symmetra table. */
function threePhase(prefix: string, base: string, columns: Array<[string, number, number]>) {
  const lines = ['L1', 'L2', 'L3'];
  const pairs = ['L1-L2', 'L2-L3', 'L3-L1'];
  return columns.flatMap(([what, column, scale]) =>
    [1, 2, 3].map((i) => {
      const label = what.startsWith('voltage') ? pairs[i - 1] : lines[i - 1];
      return num(`${prefix}.${label}.${what}`, `${base}.${column}.1.1.${i}`, scale, { negInvalid: true });
    }),
  );
}

export const APCC_MIB: MibDefinition = {
  name: 'apcc',
  version: '1.6',
  // NUT 2.8.0 declares the model OID as APC's "sysOID", so its sysObjectID match never hits and
  // the classic probe finds this table; every APC agent's sysObjectID is under .318.1.3 (products).
  sysOids: ['1.3.6.1.4.1.318.1.3'],
  probeOid: `${UPS}.1.1.1.0`,
  rows: [
    ...SYSTEM_ROWS,
    constant('ups.mfr', 'APC'),
    str('ups.model', `${UPS}.1.1.1.0`, INFOSIZE, { static: true }),
    str('ups.serial', `${UPS}.1.2.3.0`, INFOSIZE, { static: true }),
    str('ups.mfr.date', `${UPS}.1.2.2.0`, INFOSIZE, { static: true }),
    num('input.voltage', `${UPS}.3.3.1.0`, 0.1, { negInvalid: true, unique: true }),
    num('input.voltage.maximum', `${UPS}.3.3.2.0`, 0.1, { negInvalid: true, unique: true }),
    num('input.voltage.minimum', `${UPS}.3.3.3.0`, 0.1, { negInvalid: true, unique: true }),
    num('input.voltage', `${UPS}.3.2.1.0`, 1),
    num('input.voltage.maximum', `${UPS}.3.2.2.0`, 1),
    num('input.voltage.minimum', `${UPS}.3.2.3.0`, 1),
    str('input.phases', `${UPS}.9.2.2.1.2.1`, 2, { static: true }),
    ...threePhase('input', `${UPS}.9.2.3.1`, [
      ['voltage', 3, 1], ['voltage.maximum', 4, 1], ['voltage.minimum', 5, 1],
      ['current', 6, 0.1], ['current.maximum', 7, 0.1], ['current.minimum', 8, 0.1],
    ]),
    num('input.frequency', `${UPS}.9.2.2.1.4.1`, 0.1, { negInvalid: true, unique: true }),
    num('input.frequency', `${UPS}.3.3.4.0`, 0.1, { negInvalid: true, unique: true }),
    num('input.frequency', `${UPS}.3.2.4.0`, 1),
    str('input.transfer.low', `${UPS}.5.2.3.0`, 3, { rw: true, writeAs: 'integer' }),
    str('input.transfer.high', `${UPS}.5.2.2.0`, 3, { rw: true, writeAs: 'integer' }),
    str('input.transfer.reason', `${UPS}.3.2.5.0`, 1, { lookup: TRANSFER_REASON, writeAs: 'integer' }),
    str('input.sensitivity', `${UPS}.5.2.7.0`, 1, { lookup: SENSITIVITY, rw: true, writeAs: 'integer' }),
    num('ups.power', `${UPS}.4.2.9.0`, 1),
    num('ups.realpower', `${UPS}.4.2.8.0`, 1),
    status(`${UPS}.4.1.1.0`, OUTPUT_STATUS),
    status(`${UPS}.2.1.1.0`, BATTERY_STATUS),
    status(`${UPS}.7.2.6.0`, CALIBRATION),
    status(`${UPS}.2.2.4.0`, REPLACE),
    num('ups.temperature', `${UPS}.2.3.2.0`, 0.1, { unique: true }),
    num('ups.temperature', `${UPS}.2.2.2.0`, 1),
    num('ups.load', `${UPS}.4.3.3.0`, 0.1, { negInvalid: true, unique: true }),
    num('ups.load', `${UPS}.4.2.3.0`, 1),
    str('ups.firmware', `${UPS}.1.2.1.0`, 16, { static: true }),
    // upsAdvConfigShutoffDelay / ReturnDelay are TimeTicks: seconds, written back as TimeTicks.
    num('ups.delay.shutdown', `${UPS}.5.2.10.0`, 1, { rw: true, time: true, nutMultiplier: 3 }),
    num('ups.delay.start', `${UPS}.5.2.9.0`, 1, { rw: true, time: true, nutMultiplier: 3 }),
    num('battery.charge', `${UPS}.2.3.1.0`, 0.1, { negInvalid: true, unique: true }),
    num('battery.charge', `${UPS}.2.2.1.0`, 1),
    str('battery.charge.restart', `${UPS}.5.2.6.0`, 3, { rw: true, writeAs: 'integer' }),
    // upsAdvBatteryRunTimeRemaining is TimeTicks: hundredths of a second.
    num('battery.runtime', `${UPS}.2.2.3.0`, 1),
    // upsAdvConfigLowBatteryRunTime, TimeTicks too; NUT writes it back as a string (refused by agents).
    str('battery.runtime.low', `${UPS}.5.2.8.0`, 3, { rw: true }),
    num('battery.voltage', `${UPS}.2.3.4.0`, 0.1, { negInvalid: true, unique: true }),
    num('battery.voltage', `${UPS}.2.2.8.0`, 1),
    num('battery.voltage.nominal', `${UPS}.2.2.7.0`, 1),
    num('battery.current', `${UPS}.2.3.5.0`, 0.1, { unique: true }),
    num('battery.current', `${UPS}.2.2.9.0`, 1),
    num('battery.current.total', `${UPS}.2.3.6.0`, 0.1),
    num('battery.packs', `${UPS}.2.2.5.0`, 1),
    num('battery.packs.bad', `${UPS}.2.2.6.0`, 1),
    str('battery.date', `${UPS}.2.1.3.0`, 8, { rw: true, static: true }),
    str('ups.id', `${UPS}.1.1.2.0`, 8, { rw: true, static: true }),
    str('ups.test.result', `${UPS}.7.2.3.0`, INFOSIZE, { lookup: TEST_RESULT }),
    str('ups.test.date', `${UPS}.7.2.4.0`, 8, { rw: true, static: true }),
    num('output.voltage', `${UPS}.4.3.1.0`, 0.1, { unique: true }),
    num('output.voltage', `${UPS}.4.2.1.0`, 1),
    str('output.phases', `${UPS}.9.3.2.1.2.1`, 2, { static: true }),
    num('output.frequency', `${UPS}.9.3.2.1.4.1`, 0.1, { negInvalid: true, unique: true }),
    num('output.frequency', `${UPS}.4.3.2.0`, 0.1, { negInvalid: true, unique: true }),
    num('output.frequency', `${UPS}.4.2.2.0`, 1),
    num('output.current', `${UPS}.4.3.4.0`, 0.1, { negInvalid: true, unique: true }),
    num('output.current', `${UPS}.4.2.4.0`, 1),
    ...threePhase('output', `${UPS}.9.3.3.1`, [
      ['voltage', 3, 1], ['current', 4, 0.1], ['current.maximum', 5, 0.1], ['current.minimum', 6, 0.1],
      ['power', 7, 1], ['power.maximum', 8, 1], ['power.minimum', 9, 1], ['power.percent', 10, 1],
      ['power.maximum.percent', 11, 1], ['power.minimum.percent', 12, 1],
    ]),
    str('output.voltage.nominal', `${UPS}.5.2.1.0`, 3, { rw: true, writeAs: 'integer' }),
    // Measure-UPS / AP9612TH environment probe, then the integrated environment monitor (IEM).
    num('ambient.temperature', `${ENV}.1.1.0`, 1, { oneDecimal: true }),
    num('ambient.1.temperature.alarm.high', `${IEM}.1.2.2.1.3.1`, 1),
    num('ambient.1.temperature.alarm.low', `${IEM}.1.2.2.1.4.1`, 1),
    num('ambient.humidity', `${ENV}.1.2.0`, 1),
    num('ambient.1.humidity.alarm.high', `${IEM}.1.2.2.1.6.1`, 1),
    num('ambient.1.humidity.alarm.low', `${IEM}.1.2.2.1.7.1`, 1),
    num('ambient.temperature', `${IEM}.2.3.2.1.4.1`, 1, { oneDecimal: true, unitOid: `${IEM}.2.3.2.1.5.1` }),
    num('ambient.humidity', `${IEM}.2.3.2.1.6.1`, 1),
    // Instant commands (INTEGER writes on upsBasicControl / upsAdvControl / upsAdvTest).
    cmd('load.off', `${UPS}.6.2.1.0`, 2),
    cmd('load.on', `${UPS}.6.2.6.0`, 2),
    cmd('shutdown.stayoff', `${UPS}.6.2.1.0`, 3),
    cmd('shutdown.return', `${UPS}.6.1.1.0`, 2),
    cmd('test.failure.start', `${UPS}.6.2.4.0`, 2),
    cmd('test.panel.start', `${UPS}.6.2.5.0`, 2),
    cmd('bypass.start', `${UPS}.6.2.7.0`, 2),
    cmd('bypass.stop', `${UPS}.6.2.7.0`, 3),
    cmd('test.battery.start', `${UPS}.7.2.2.0`, 2),
    cmd('calibrate.start', `${UPS}.7.2.5.0`, 2),
    cmd('calibrate.stop', `${UPS}.7.2.5.0`, 3),
    cmd('reset.input.minmax', `${UPS}.9.1.1.0`, 2),
  ],
};
