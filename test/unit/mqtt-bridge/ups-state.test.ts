import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../src/core/device.js';
import { statusText } from '../../../src/core/readings.js';
import { upsState } from '../../../src/mqtt-bridge/ups-state.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { apcBackUps500, APC_BACK_UPS_ES_650G2, CYBERPOWER_CP1500PFCLCD, deviceFrom, EATON_5E1100I, SMART_UPS_WITH_RANGES } from './recorded-devices.js';

/** What the bridge publishes, read back as Home Assistant reads it. */
const published = (d: Device, extras = {}) => JSON.parse(JSON.stringify(upsState(d, extras))) as Record<string, unknown>;

const withVars = (vars: Record<string, string>) => {
  const d = new Device('ups', new FakeClock());
  for (const [k, v] of Object.entries(vars)) d.setInfo(k, v);
  d.driverConnected();
  return d;
};

test('the APC Back-UPS 500 fixture: numbers as JSON numbers, text as text, binary sensors as booleans', () => {
  const s = published(deviceFrom('backups', apcBackUps500()));
  assert.is(s.battery_charge, 100);
  assert.is(s.battery_runtime, 2580);
  assert.is(s.battery_voltage, 13.6);
  assert.is(s.status_text, 'Online');
  assert.is(s.status, 'OL');
  assert.is(s.online, true);
  assert.is(s.on_battery, false);
  assert.is(s.low_battery, false);
  assert.is(s.alarm, null, 'no ups.alarm: null, and the key is there for the template');
  // Things the unit does not report have no key: no entity reads them.
  for (const key of ['load', 'input_voltage', 'realpower', 'energy', 'ups_temperature', 'test_result']) assert.not.ok(key in s, key);
  const vars = s.vars as Record<string, unknown>;
  assert.is(vars['battery.charge'], 100);
  assert.is(vars['battery.voltage.nominal'], 12, '"12.0" is the number 12');
  assert.is(vars['ups.productid'], '0002', 'leading zeros would be lost in a number: kept as text');
  assert.is(vars['ups.vendorid'], '051d');
  assert.is(vars['ups.firmware'], ' 6.5.I', 'the value exactly as the driver gave it');
  assert.is(vars['driver.version'], '2.8.0-Windows-355-gbce06545a');
});

test('STRING variables stay strings even when they look like numbers', () => {
  const s = published(deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD));
  const vars = s.vars as Record<string, unknown>;
  assert.is(vars['battery.charge.low'], '10', 'RW STRING:10');
  assert.is(vars['battery.charge.warning'], 20, 'not a STRING variable');
  assert.is(vars['ups.delay.shutdown'], '20');
});

test('runtime sentinels are dropped: negative, 65535, more than a week', () => {
  for (const [raw, expected] of [
    ['2580', 2580],
    ['0', 0],
    ['-1', null],
    ['-60', null],
    ['65535', null],
    ['65534', 65534],
    ['70000', 70000],
    ['604800', 604800],
    ['604801', null],
    ['unknown', null],
    ['', null],
  ] as const) {
    assert.is(published(withVars({ 'battery.runtime': raw, 'ups.status': 'OB' })).battery_runtime, expected, `battery.runtime ${JSON.stringify(raw)}`);
  }
});

test('real power: reported, else derived from load and nominal and marked so', () => {
  const reported = published(deviceFrom('smartups', SMART_UPS_WITH_RANGES), { energyKwh: 12.5 });
  assert.is(reported.realpower, 310);
  assert.is(reported.realpower_derived, false);
  assert.is(reported.energy, 12.5);

  const cp = published(deviceFrom('cyberpower', CYBERPOWER_CP1500PFCLCD), { energyKwh: 0.25 });
  assert.is(cp.realpower, 225, '25 % of 900 W');
  assert.is(cp.realpower_derived, true);
  assert.is(cp.energy, 0.25);

  const be = published(deviceFrom('be650g2', APC_BACK_UPS_ES_650G2));
  assert.is(be.realpower, 60, '15 % of 400 W');
  assert.is(be.realpower_derived, true);
  assert.is(be.energy, null, 'the bridge has not counted any energy yet');

  const eaton = published(deviceFrom('eaton', EATON_5E1100I), { energyKwh: 3 });
  assert.not.ok('realpower' in eaton, 'ups.power.nominal (VA) is not real power');
  assert.not.ok('realpower_derived' in eaton);
  assert.not.ok('energy' in eaton, 'no real power, no energy');

  const noLoadYet = published(withVars({ 'ups.realpower.nominal': '900', 'ups.load': 'n/a', 'ups.status': 'OL' }));
  assert.is(noLoadYet.realpower, null);
  assert.is(noLoadYet.realpower_derived, true);
});

test('status text from the tokens', () => {
  assert.is(statusText(['OL']), 'Online');
  assert.is(statusText(['OB', 'DISCHRG']), 'On battery');
  assert.is(statusText(['OL', 'CHRG']), 'Online, charging');
  assert.is(statusText(['OB', 'LB']), 'On battery, low battery');
  assert.is(statusText(['LB']), 'Low battery');
  assert.is(statusText(['FSD', 'OB', 'LB']), 'Forced shutdown, on battery, low battery');
  assert.is(statusText(['WAIT']), 'Waiting for data');
  assert.is(statusText(['OL', 'RB']), 'Online, replace battery');
  assert.is(statusText(['OL', 'NEWTOKEN']), 'Online, NEWTOKEN', 'a token we do not know still shows');
  assert.is(statusText([]), null);
});

test('binary sensors: each token; WAIT means unknown, not off', () => {
  const s = published(withVars({ 'ups.status': 'OB DISCHRG LB RB OVER BYPASS' }));
  assert.equal(
    [s.online, s.on_battery, s.low_battery, s.charging, s.replace_battery, s.overload, s.bypass, s.forced_shutdown],
    [false, true, true, false, true, true, true, false],
  );
  const wait = published(withVars({ 'ups.status': 'WAIT' }));
  assert.is(wait.status_text, 'Waiting for data');
  for (const key of ['online', 'on_battery', 'low_battery', 'charging', 'replace_battery', 'overload', 'bypass', 'forced_shutdown']) assert.is(wait[key], null, key);
});

test('the FSD latch shows in status, forced_shutdown and low_battery', () => {
  const d = withVars({ 'ups.status': 'OB' });
  d.setFsd();
  const s = published(d);
  assert.is(s.status, 'FSD OB', 'the tokens as NUT clients see them');
  assert.is(s.forced_shutdown, true);
  assert.is(s.low_battery, true, 'FSD counts as low battery');
  assert.is(s.status_text, 'Forced shutdown, on battery');
  assert.is((s.vars as Record<string, unknown>)['ups.status'], 'OB', 'vars keep the driver value');
});

test('device strings with quotes, control characters or <script> keep the JSON valid and intact', () => {
  const hostile = 'Replace "battery"\u0000\n\t<script>alert(1)</script>\u202e\\';
  const d = withVars({ 'ups.status': 'OL ALARM', 'ups.alarm': hostile, 'ups.test.result': '\u0007bell' });
  d.setInfo('__proto__', '1');
  const text = JSON.stringify(upsState(d));
  const s = JSON.parse(text) as Record<string, unknown>;
  assert.is(s.alarm, hostile.trim(), 'the text is carried as it is; JSON escapes it');
  assert.is(s.test_result, '\u0007bell');
  assert.is((s.vars as Record<string, unknown>)['__proto__'], 1, 'a variable named __proto__ is a key');
  assert.not.match(text, /[\u0000-\u001f]/, 'no raw control character in the payload');
});

test('a non-numeric reading is null, never a string under a unit', () => {
  const s = published(withVars({ 'battery.charge': 'n/a', 'input.voltage': '230V', 'ups.load': ' 42 ', 'ups.status': 'OL' }));
  assert.is(s.battery_charge, null);
  assert.is(s.input_voltage, null);
  assert.is(s.load, 42, 'blanks around a number are a driver habit, not text');
});

test('no ups.status: no binary sensor keys, status null', () => {
  const s = published(withVars({ 'battery.charge': '50' }));
  assert.is(s.status, null);
  assert.not.ok('online' in s);
  assert.is(s.battery_charge, 50);
});

test.run();
