import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { q1Command } from '../../../../src/drivers/qx/q1-commands.js';
import { cFixed, packsFor, parseF, parseI, parseQ1, statusOf } from '../../../../src/drivers/qx/q1-protocol.js';

const test = suite('Q1 protocol: parsing, status bits, commands');

test('Q1 reply: fields at NUT positions; the real Ippon sample is OL, standby, beeper on', () => {
  const q = parseQ1('(229.4 229.4 229.4 013 49.9 13.1 25.0 00001001');
  assert.equal(q, { inputVoltage: 229.4, inputFaultVoltage: 229.4, outputVoltage: 229.4, load: 13, inputFrequency: 49.9, batteryVoltage: 13.1, temperature: 25, bits: '00001001' });
  assert.equal(statusOf(q), { status: ['OL'], alarm: undefined, type: 'offline / line interactive', beeper: 'enabled' });
});

test('status bits: OB, LB, CAL, FSD in NUT order; failed and shutdown alarms; on-line type', () => {
  const q = parseQ1('(000.0 000.0 229.4 013 49.9 2.05 25.0 11010110');
  assert.equal(statusOf(q), { status: ['OB', 'LB', 'CAL', 'FSD'], alarm: 'UPS selftest failed! Shutdown imminent!', type: 'online', beeper: 'disabled' });
});

test('bit 5 is TRIM, BYPASS or BOOST from output/input voltage, nothing outside 0.5–1.5', () => {
  const with5 = (vi: string, vo: string) => statusOf(parseQ1(`(${vi} 140.0 ${vo} 034 59.9 2.05 35.0 00100000`)).status;
  assert.equal(with5('240.0', '220.0'), ['OL', 'TRIM']);
  assert.equal(with5('208.4', '208.4'), ['OL', 'BYPASS']);
  assert.equal(with5('200.0', '230.0'), ['OL', 'BOOST']);
  assert.equal(with5('200.0', '090.0'), ['OL']);
  assert.equal(with5('100.0', '200.0'), ['OL']);
});

test('unavailable fields (@ fill) are left out; malformed replies are refused', () => {
  const q = parseQ1('(229.4 @@@@@ 229.4 013 49.9 @@@@ 25.0 00001001');
  assert.is(q.inputFaultVoltage, undefined);
  assert.is(q.batteryVoltage, undefined);
  assert.throws(() => parseQ1('(229.4 229.4'), /short Q1 reply/);
  assert.throws(() => parseQ1('X229.4 229.4 229.4 013 49.9 13.1 25.0 00001001'), /does not start/);
  assert.throws(() => parseQ1('(229.4 229.4 229.4 013 49.9 13.1 25.0 0000x001'), /status bits/);
});

test('F and I replies', () => {
  assert.equal(parseF('#230.0 000 024.0 50.0'), { inputVoltage: 230, inputCurrent: 0, batteryVoltage: 24, inputFrequency: 50 });
  assert.equal(parseI('#NOT_A_LIVE_UPS  TESTING    TESTING   '), { mfr: 'NOT_A_LIVE_UPS', model: 'TESTING', firmware: 'TESTING' });
  assert.throws(() => parseI('#short'), /short I reply/);
});

test('cFixed rounds exact ties to even as printf does', () => {
  assert.is(cFixed(0.5, 0), '0');
  assert.is(cFixed(2.5, 0), '2');
  assert.is(cFixed(3.5, 0), '4');
  assert.is(cFixed(86.666, 0), '87');
  assert.is(cFixed(13.1, 2), '13.10');
  assert.is(cFixed(0.125, 2), '0.12');
});

test('pack detection: 13.1 V of a 12 V unit is 1 pack, 2.27 V/cell of a 24 V unit 12 cells, 7.5 V of 12 V none (x2 too high, x1 too low)', () => {
  assert.is(packsFor(12, 13.1), 1);
  assert.is(packsFor(24, 2.27), 12);
  assert.is(packsFor(12, 7.5), undefined);
  assert.is(packsFor(12, 5), 2);
});

test('commands are written as NUT writes them', () => {
  const d = { offdelay: 30, ondelay: 180 };
  assert.is(q1Command('shutdown.return', d), 'S.5R0003');
  assert.is(q1Command('shutdown.stayoff', d), 'S.5R0000');
  assert.is(q1Command('shutdown.return', { offdelay: 120, ondelay: 0 }), 'S02');
  assert.is(q1Command('shutdown.return', { offdelay: 120, ondelay: 600 }), 'S02R0010');
  assert.is(q1Command('load.off', d), 'S00R0000');
  assert.is(q1Command('load.on', d), 'C');
  assert.is(q1Command('shutdown.stop', d), 'C');
  assert.is(q1Command('beeper.toggle', d), 'Q');
  assert.is(q1Command('test.battery.start.quick', d), 'T');
  assert.is(q1Command('test.battery.start.deep', d), 'TL');
  assert.is(q1Command('test.battery.stop', d), 'CT');
  assert.is(q1Command('test.battery.start', d), 'T10');
  assert.is(q1Command('test.battery.start', d, '240'), 'T04');
  assert.is(q1Command('test.battery.start', d, '30'), undefined);
  assert.is(q1Command('test.battery.start', d, '6000'), undefined);
  assert.is(q1Command('test.battery.start', d, undefined, 'minutes'), 'T10');
  assert.is(q1Command('test.battery.start', d, '5', 'minutes'), 'T05');
  assert.is(q1Command('test.battery.start', d, '300', 'minutes'), undefined);
});

test.run();
