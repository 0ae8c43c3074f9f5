import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StatusBits, statusAlarms, statusWords, transferReason, type StatusRules } from '../../../../src/drivers/usbhid/mapping/status.js';

function bits(...tokens: string[]): StatusBits {
  const b = new StatusBits();
  for (const t of tokens) b.apply(t);
  return b;
}
const words = (b: StatusBits, rules: StatusRules = {}, charge?: string): string => statusWords(b, rules, charge).join(' ');

test('OL / OB: without the online bit the UPS is on battery', () => {
  assert.is(words(bits()), 'OB');
  assert.is(words(bits('online')), 'OL');
  assert.is(words(bits('online', '!online')), 'OB');
  assert.is(words(bits('dischrg')), 'OB DISCHRG');
});

test('OL + DISCHRG: "OL DISCHRG" by default; onlinedischarge_onbattery -> OB; _calibration -> CAL; both -> CAL OB', () => {
  const b = bits('online', 'dischrg');
  assert.is(words(b), 'OL DISCHRG');
  assert.is(words(b, { onlineDischargeOnBattery: true }), 'OB DISCHRG');
  assert.is(words(b, { onlineDischargeCalibration: true }), 'CAL DISCHRG');
  assert.is(words(b, { onlineDischargeOnBattery: true, onlineDischargeCalibration: true }), 'CAL OB DISCHRG');
  // the options change nothing while not discharging
  assert.is(words(bits('online'), { onlineDischargeOnBattery: true, onlineDischargeCalibration: true }), 'OL');
  // a device that reports calibration itself keeps one CAL
  assert.is(words(bits('online', 'dischrg', 'cal'), { onlineDischargeCalibration: true }), 'CAL DISCHRG');
});

test('DISCHRG is hidden when the battery is depleted', () => {
  assert.is(words(bits('dischrg', 'depleted')), 'OB');
});

test('CHRG, NUT 2.8.0 rule: charging and not FullyCharged', () => {
  assert.is(words(bits('online', 'chrg')), 'OL CHRG');
  assert.is(words(bits('online', 'chrg', 'fullycharged')), 'OL');
  assert.is(words(bits('online', 'chrg', 'fullycharged', 'notfullycharged')), 'OL CHRG');
  assert.is(words(bits('online', 'chrg'), {}, '100'), 'OL CHRG', '2.8.0 does not look at the charge');
});

test('CHRG, later rule: NotFullyCharged, or neither reported and 0 < battery.charge < 100', () => {
  const r: StatusRules = { chargeRule: 'not-fully-charged' };
  assert.is(words(bits('online', 'chrg', 'notfullycharged'), r, '100'), 'OL CHRG');
  assert.is(words(bits('online', 'chrg', 'fullycharged'), r, '50'), 'OL');
  assert.is(words(bits('online', 'chrg'), r, '50'), 'OL CHRG');
  assert.is(words(bits('online', 'chrg'), r, '100'), 'OL');
  assert.is(words(bits('online', 'chrg'), r, '0'), 'OL');
  assert.is(words(bits('online', 'chrg'), r, undefined), 'OL');
  assert.is(words(bits('online', 'notfullycharged'), r, '50'), 'OL', 'not charging: no CHRG');
});

test('LB from lowbatt, RemainingTimeLimitExpired or ShutdownImminent', () => {
  for (const t of ['lowbatt', 'timelimitexp', 'shutdownimm']) assert.is(words(bits(t)), 'OB LB', t);
  assert.is(words(bits('lowbatt', 'timelimitexp', '!lowbatt')), 'OB LB', 'each source is remembered on its own');
  assert.is(words(bits('lowbatt', '!lowbatt')), 'OB');
});

test('OVER, RB, TRIM, BOOST, BYPASS (auto or manual), OFF, CAL in usbhid-ups order', () => {
  assert.is(words(bits('online', 'overload')), 'OL OVER');
  assert.is(words(bits('online', 'replacebatt')), 'OL RB');
  assert.is(words(bits('online', 'trim')), 'OL TRIM');
  assert.is(words(bits('online', 'boost')), 'OL BOOST');
  assert.is(words(bits('online', 'bypassauto')), 'OL BYPASS');
  assert.is(words(bits('online', 'bypassman')), 'OL BYPASS');
  assert.is(words(bits('online', 'off')), 'OL OFF');
  assert.is(words(bits('online', 'cal')), 'OL CAL');
  assert.is(
    words(bits('online', 'dischrg', 'chrg', 'lowbatt', 'overload', 'replacebatt', 'trim', 'boost', 'bypassauto', 'off', 'cal')),
    'OL DISCHRG CHRG LB OVER RB TRIM BOOST BYPASS OFF CAL',
  );
});

test('tokens: case-insensitive, unknown ones ignored, FullyCharged and NotFullyCharged exclude each other', () => {
  assert.is(words(bits('ONLINE', 'nonsense', '!alsononsense')), 'OL');
  const b = bits('fullycharged', 'notfullycharged');
  assert.ok(b.has('notfullycharged') && !b.has('fullycharged'));
  b.apply('fullycharged');
  assert.ok(b.has('fullycharged') && !b.has('notfullycharged'));
});

test('alarms from status bits, in usbhid-ups order', () => {
  assert.equal(statusAlarms(bits()), []);
  assert.equal(
    statusAlarms(bits('bypassman', 'bypassauto', 'awaitingpower', 'commfault', 'overheat', 'chargerfail', 'battvolthi', 'battvoltlo', 'nobattery', 'fanfail', 'shutdownimm', 'replacebatt')),
    ['Replace battery!', 'Shutdown imminent!', 'Fan failure!', 'No battery installed!', 'Battery voltage too low!', 'Battery voltage too high!',
      'Battery charger fail!', 'Temperature too high!', 'Internal UPS fault!', 'Awaiting power!', 'Automatic bypass mode!', 'Manual bypass mode!'],
  );
});

test('input.transfer.reason: voltage before frequency, none otherwise', () => {
  assert.is(transferReason(bits()), undefined);
  assert.is(transferReason(bits('frange')), 'input frequency out of range');
  assert.is(transferReason(bits('frange', 'vrange')), 'input voltage out of range');
});

test.run();
