// The MIB tables and the walker on the APC AP9631 recording (no network): every value NUT 2.8.0's
// snmp-ups publishes for this card (checked against Debian's snmp-ups on snmpsim), units per the
// MIB, and the places where NUT is wrong and we are not.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Device } from '../../../../src/core/device.js';
import { asText, formatNumber, strtol0 } from '../../../../src/drivers/snmp/decode.js';
import { MibWalker } from '../../../../src/drivers/snmp/mib-walker.js';
import { APCC_MIB } from '../../../../src/drivers/snmp/mibs/apcc.js';
import { CYBERPOWER_MIB } from '../../../../src/drivers/snmp/mibs/cyberpower.js';
import { IETF_MIB } from '../../../../src/drivers/snmp/mibs/ietf.js';
import { POWERWARE_MIB } from '../../../../src/drivers/snmp/mibs/powerware.js';
import { parseSnmprec, SnmprecAgent } from '../../../../src/drivers/snmp/snmprec.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const FILE = new URL('../../../fixtures/snmp/apc-smart-ups-1500-ap9631.snmprec', import.meta.url).pathname;
const agent = () => new SnmprecAgent(parseSnmprec(readFileSync(FILE, 'latin1'), FILE));
const UPS = '1.3.6.1.4.1.318.1.1.1';

async function walked(mib = APCC_MIB, a = agent()) {
  const device = new Device('apc', new FakeClock());
  const w = new MibWalker(mib, a, device);
  assert.equal(await w.init(), { ok: true });
  return { device, w, a, vars: Object.fromEntries(device.variables().map((v) => [v.name, v.value])) };
}

const test = suite('snmp-ups MIB decoding');

test('APC PowerNet: the values Debian snmp-ups 2.8.0 shows for the AP9631 recording', async () => {
  const { vars, w } = await walked();
  assert.equal(vars, {
    'ambient.1.humidity.alarm.high': '60',
    'ambient.1.humidity.alarm.low': '30',
    'ambient.1.temperature.alarm.high': '40',
    'ambient.1.temperature.alarm.low': '10',
    'battery.charge': '100', // upsHighPrecBatteryCapacity 1000 tenths, preferred over upsAdvBatteryCapacity
    'battery.charge.restart': '0',
    'battery.current': '0',
    'battery.current.total': '0',
    'battery.date': '05/02/14',
    'battery.packs': '0',
    'battery.runtime': '2400', // TimeTicks 240000 = 2400 s
    'battery.runtime.low': '120', // TimeTicks 12000
    'battery.voltage': '54.50', // 545 tenths, NUT's two decimals
    'device.contact': 'Unknown',
    // sysDescr cut at NUT's 127 characters
    'device.description': 'APC Web/SNMP Management Card (MB:v4.0.1 PF:v5.1.7 PN:apc_hw05_aos_517.bin AF1:v5.1.7 AN1:apc_hw05_sumx_517.bin MN:AP9631 HR:05 ',
    'device.location': 'Unknown',
    'input.frequency': '60',
    'input.sensitivity': 'medium',
    'input.transfer.high': '127',
    'input.transfer.low': '106',
    'input.transfer.reason': 'blackout',
    'input.voltage': '120.90',
    'input.voltage.maximum': '120.90',
    'input.voltage.minimum': '120.20',
    'output.current': '3.90',
    'output.frequency': '60',
    'output.voltage': '120.90',
    'output.voltage.nominal': '120',
    // NUT shows 270 here: it multiplies the TimeTicks' seconds by the row's string length (3).
    // upsAdvConfigShutoffDelay is 9000 hundredths = 90 s.
    'ups.delay.shutdown': '90',
    'ups.delay.start': '0',
    'ups.firmware': '716.3.D',
    'ups.id': 'UPS_IDEN',
    'ups.load': '32.50',
    'ups.mfr': 'APC',
    'ups.mfr.date': '11/02/13',
    'ups.model': 'Smart-UPS 1500 XLM',
    'ups.serial': 'QS1345140011',
    'ups.temperature': '31.50',
    'ups.test.date': '07/11/2018',
    'ups.test.result': 'Ok',
  });
  assert.equal(w.statusTokens, ['OL']);
});

test('APC: the commands NUT offers, each an INTEGER SET on its control OID', async () => {
  const { device, w, a } = await walked();
  assert.equal([...device.commands()].sort(), [
    'bypass.start', 'bypass.stop', 'calibrate.start', 'calibrate.stop', 'load.off', 'load.on', 'reset.input.minmax',
    'shutdown.return', 'shutdown.stayoff', 'test.battery.start', 'test.failure.start', 'test.panel.start',
  ]);
  // Plain recording lines are read-only (snmpsim answers noSuchInstance): the command fails.
  assert.is(await w.command('shutdown.return'), 'failed');
  a.entries.get(`${UPS}.6.1.1.0`)!.writable = true;
  a.entries.get(`${UPS}.7.2.2.0`)!.writable = true;
  assert.is(await w.command('shutdown.return'), 'success');
  assert.is(await w.command('test.battery.start'), 'success');
  assert.is(await w.command('beeper.enable'), 'unknown');
  assert.equal(a.sets, [
    { oid: `${UPS}.6.1.1.0`, value: { type: 'integer', value: 2 } },
    { oid: `${UPS}.7.2.2.0`, value: { type: 'integer', value: 2 } },
  ]);
});

test('APC: writable variables, types and enums as upsrw shows them; writes in the MIB\'s units', async () => {
  const { device, w, a } = await walked();
  const v = (n: string) => device.getVariable(n)!;
  assert.equal([v('input.sensitivity').flags.rw, v('input.sensitivity').flags.string, v('input.sensitivity').aux], [true, true, 1]);
  assert.equal(v('input.sensitivity').enums, ['auto', 'low', 'medium', 'high']);
  assert.equal([v('ups.delay.shutdown').flags.rw, v('ups.delay.shutdown').flags.string], [true, false]);
  assert.equal([v('ups.id').flags.string, v('ups.id').aux], [true, 8]);
  for (const oid of ['5.2.10.0', '5.2.7.0', '5.2.3.0']) a.entries.get(`${UPS}.${oid}`)!.writable = true;
  assert.is(await w.setVariable('ups.delay.shutdown', '60'), 'success');
  assert.is(await w.setVariable('input.sensitivity', 'high'), 'success');
  assert.is(await w.setVariable('input.sensitivity', 'loud'), 'invalid-argument');
  assert.is(await w.setVariable('input.transfer.low', '103'), 'success');
  assert.is(await w.setVariable('ups.model', 'x'), 'unknown');
  assert.equal(a.sets.map((s) => s.value), [
    { type: 'timeticks', value: 6000 },
    { type: 'integer', value: 4 },
    { type: 'integer', value: 103 },
  ]);
});

test('APC: status integers to ups.status tokens (output, battery, calibration, replace battery)', async () => {
  const { w, a } = await walked();
  const put = (oid: string, n: number) => a.put(`${UPS}.${oid}`, { type: 'integer', value: n });
  put('4.1.1.0', 3);
  put('2.1.1.0', 3);
  put('2.2.4.0', 2);
  await w.update();
  assert.equal(w.statusTokens, ['OB', 'LB', 'RB']);
  put('4.1.1.0', 12);
  put('2.1.1.0', 2);
  put('2.2.4.0', 1);
  put('7.2.6.0', 3);
  await w.update();
  assert.equal(w.statusTokens, ['OL TRIM', 'CAL']);
  put('4.1.1.0', 4);
  put('7.2.6.0', 1);
  await w.update();
  assert.equal(w.statusTokens, ['OL BOOST']);
});

test('static rows are read once; a card that stops answering fails the walk (stale), never throws', async () => {
  const { w, a, device } = await walked();
  a.put(`${UPS}.1.1.1.0`, { type: 'string', value: Buffer.from('changed') });
  a.put(`${UPS}.2.3.1.0`, { type: 'integer', value: 875 });
  assert.equal(await w.update(), { ok: true });
  assert.is(device.getInfo('ups.model'), 'Smart-UPS 1500 XLM');
  assert.is(device.getInfo('battery.charge'), '87.50');
  a.failure = new Error('timeout');
  const r = await w.update();
  assert.is(r.ok, false);
});

test('negative high-precision answers fall back to the integer row (NEGINVALID), a unique row silences the rest', async () => {
  const a = agent();
  a.put(`${UPS}.2.3.1.0`, { type: 'integer', value: -1 });
  a.put(`${UPS}.2.2.1.0`, { type: 'integer', value: 77 });
  const { vars } = await walked(APCC_MIB, a);
  assert.is(vars['battery.charge'], '77');
});

test('APC flags: notransferoids drops the transfer points, symmetrathreephase shows them line-to-neutral', async () => {
  const d1 = new Device('apc', new FakeClock());
  await new MibWalker(APCC_MIB, agent(), d1, { noTransferOids: true }).init();
  assert.is(d1.getInfo('input.transfer.low'), undefined);
  assert.is(d1.getInfo('input.sensitivity'), 'medium');
  const d2 = new Device('apc', new FakeClock());
  await new MibWalker(APCC_MIB, agent(), d2, { symmetraThreePhase: true }).init();
  assert.is(d2.getInfo('input.transfer.low'), '74.94'); // 106 × 0.707
  assert.is(d2.getInfo('input.transfer.high'), '89.79');
});

test('APC integrated environment monitor: °F probes are shown in °C with one decimal, °C as read', async () => {
  const IEM = '1.3.6.1.4.1.318.1.1.10.2.3.2.1';
  const a = agent();
  a.put(`${IEM}.4.1`, { type: 'integer', value: 77 });
  a.put(`${IEM}.5.1`, { type: 'integer', value: 2 });
  const { w, device } = await walked(APCC_MIB, a);
  assert.is(device.getInfo('ambient.temperature'), '25.0');
  a.put(`${IEM}.4.1`, { type: 'integer', value: 24 });
  a.put(`${IEM}.5.1`, { type: 'integer', value: 1 });
  await w.update();
  assert.is(device.getInfo('ambient.temperature'), '24.0');
});

test('RFC 1628 view of the same card: minutes to seconds, tenths, line 1 of the tables', async () => {
  const { vars, w } = await walked(IETF_MIB);
  assert.is(vars['battery.runtime'], '2400'); // 40 minutes
  assert.is(vars['battery.voltage'], '54.50');
  assert.is(vars['battery.temperature'], '31');
  assert.is(vars['input.frequency'], '60');
  assert.is(vars['input.voltage'], '120');
  assert.is(vars['ups.load'], '32');
  assert.is(vars['battery.runtime.low'], '120'); // upsConfigLowBattTime 2 minutes
  assert.is(vars['ups.test.result'], 'done and passed');
  assert.is(vars['ups.start.auto'], 'no');
  // upsOutputSource is none(2) in this walk: OFF, as the MIB says (PowerNet says onLine: the card disagrees with itself).
  // upsTestId names the quick test (.7.7.4) that was last run; the summary is donePass, so no
  // test is running. NUT reduces upsTestId to its last arc and shows TEST for ever: wrong.
  assert.equal(w.statusTokens, ['OFF']);
});

test('RFC 1628: TEST while upsTestResultsSummary is inProgress; CAL for a deep calibration; tests started by OID', async () => {
  const a = agent();
  const M = '1.3.6.1.2.1.33.1';
  a.put(`${M}.7.3.0`, { type: 'integer', value: 5 });
  const { w } = await walked(IETF_MIB, a);
  assert.ok(w.statusTokens.includes('TEST'));
  a.put(`${M}.7.1.0`, { type: 'oid', value: `${M}.7.7.5` });
  await w.update();
  assert.ok(w.statusTokens.includes('CAL'));
  a.entries.get(`${M}.7.1.0`)!.writable = true;
  assert.is(await w.command('test.battery.start.quick'), 'success');
  assert.equal(a.sets.at(-1), { oid: `${M}.7.1.0`, value: { type: 'oid', value: `${M}.7.7.4` } });
});

test('RFC 1628 alarms: an output overload row in upsAlarmTable is OVER (NUT GETs the alarm\'s OBJECT-IDENTITY and never sees it)', async () => {
  const M = '1.3.6.1.2.1.33.1';
  const a = agent();
  const { w } = await walked(IETF_MIB, a);
  assert.not.ok(w.statusTokens.includes('OVER'));
  a.put(`${M}.6.1.0`, { type: 'integer', value: 2 });
  a.put(`${M}.6.2.1.2.17`, { type: 'oid', value: `${M}.6.3.2` }); // upsAlarmOnBattery: the output source says OB already
  a.put(`${M}.6.2.1.2.18`, { type: 'oid', value: `${M}.6.3.8` }); // upsAlarmOutputOverload
  a.put(`${M}.6.2.1.3.17`, { type: 'timeticks', value: 100 });
  await w.update();
  assert.equal(w.statusTokens, ['OFF', 'OVER']);
  a.put(`${M}.6.1.0`, { type: 'integer', value: 0 });
  await w.update();
  assert.equal(w.statusTokens, ['OFF']);
});

test('CyberPower rows decode from the CPS-MIB (runtime TimeTicks, tenths of volts)', async () => {
  const C = '1.3.6.1.4.1.3808.1.1.1';
  const rec = [
    `${C}.1.1.1.0|4|OR1500LCDRM1U`,
    `${C}.4.1.1.0|2|10`,
    `${C}.2.2.4.0|67|123400`,
    `${C}.3.2.1.0|2|2301`,
  ].join('\n');
  const { vars, w } = await walked(CYBERPOWER_MIB, new SnmprecAgent(parseSnmprec(rec, 'cps.snmprec')));
  assert.is(vars['ups.mfr'], 'CYBERPOWER');
  assert.is(vars['ups.model'], 'OR1500LCDRM1U');
  assert.is(vars['battery.runtime'], '1234');
  assert.is(vars['input.voltage'], '230.10');
  assert.is(vars['ups.delay.reboot'], '0');
  assert.equal(w.statusTokens, ['OL TRIM']);
});

test('Powerware XUPS rows decode from the XUPS-MIB (seconds, whole volts, tenths of hertz); commands on the scalars\' .0', async () => {
  const X = '1.3.6.1.4.1.534.1';
  const rec = [
    `${X}.1.1.0|4|EATON`,
    `${X}.1.2.0|4|9PX 1500`,
    `${X}.2.1.0|2|1520`,
    `${X}.2.2.0|2|41`,
    `${X}.2.4.0|2|98`,
    `${X}.2.5.0|2|2`,
    `${X}.3.1.0|2|500`,
    `${X}.3.3.0|2|1`,
    `${X}.3.4.1.2.1|2|231`,
    `${X}.4.5.0|2|5`,
    `${X}.8.1.0|2:writecache|value=2`,
    `${X}.9.6.0|2:writecache|value=-1`,
  ].join('\n');
  const a = new SnmprecAgent(parseSnmprec(rec, 'pw.snmprec'));
  const { vars, w, device } = await walked(POWERWARE_MIB, a);
  assert.is(vars['ups.mfr'], 'EATON');
  assert.is(vars['battery.runtime'], '1520');
  assert.is(vars['battery.voltage'], '41');
  assert.is(vars['battery.charger.status'], 'discharging');
  assert.is(vars['input.frequency'], '50');
  assert.is(vars['input.voltage'], '231');
  assert.equal(w.statusTokens, ['OB', 'DISCHRG']);
  assert.equal([...device.commands()].sort(), ['shutdown.return', 'test.battery.start.quick']);
  assert.is(await w.command('shutdown.return'), 'success');
  assert.equal(a.sets, [{ oid: `${X}.9.6.0`, value: { type: 'integer', value: 0 } }]);
});

test('mibs = auto order: vendor tables first, RFC 1628 last', async () => {
  const { MIBS } = await import('../../../../src/drivers/snmp/mibs/index.js');
  assert.equal(MIBS.map((m) => m.name), ['apcc', 'cyberpower', 'pw', 'tripplite', 'ietf']);
});

test('decoding helpers: hex for binary strings, C strtol, C float formatting', () => {
  assert.is(asText({ type: 'string', value: Buffer.from([0x00, 0xc0, 0xb7]) }), '00 C0 B7 ');
  assert.is(asText({ type: 'timeticks', value: 12345 }), '123');
  assert.is(asText({ type: 'integer', value: 9 }, { 1: 'x' }), undefined);
  assert.is(strtol0('0x1F'), 31);
  assert.is(strtol0(' 42abc'), 42);
  assert.is(formatNumber(1209 * 0.1), '120.90');
  assert.is(formatNumber(600 * 0.1), '60');
  assert.is(formatNumber(-5), '-5');
});

test.run();
