import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONVERSION_NAMES, conversion, type ConversionContext, type ConversionName } from '../../../../src/drivers/usbhid/mapping/conversions.js';
import { cFormat, fixed } from '../../../../src/drivers/usbhid/mapping/printf.js';
import type { DeviceQuirks } from '../../../../src/drivers/usbhid/mapping/types.js';

function ctx(over: { quirks?: DeviceQuirks; info?: Record<string, string>; strings?: Record<number, string>; productId?: number; off?: boolean } = {}): ConversionContext {
  return {
    strings: (i) => over.strings?.[i],
    getInfo: (n) => over.info?.[n],
    quirks: over.quirks ?? {},
    productId: over.productId ?? 0,
    memory: new Map(),
    isOff: () => over.off ?? false,
  };
}
const nut = (name: ConversionName, value: number, c = ctx()): string | undefined => conversion(name).toNut(value, c);

test('printf: %.Nf rounds binary ties to even as glibc; widths, hex, %s', () => {
  assert.is(fixed(13.58, 1), '13.6');
  assert.is(fixed(12, 1), '12.0');
  assert.is(fixed(2.5, 0), '2');
  assert.is(fixed(3.5, 0), '4');
  assert.is(fixed(-2.5, 0), '-2');
  assert.is(fixed(0.125, 2), '0.12');
  assert.is(fixed(2580, 0), '2580');
  assert.is(cFormat('%04x', 0x51d), '051d');
  assert.is(cFormat('%08lx', 255), '000000ff');
  assert.is(cFormat('%08lx', -1), 'ffffffffffffffff');
  assert.is(cFormat('%04d/%02d/%02d', 0).length, 10);
  assert.is(cFormat('%s', 'x'), 'x');
});

test('status-bit lookups: set, clear, inverted ones, unknown values fail', () => {
  assert.is(nut('online', 1), 'online');
  assert.is(nut('online', 0), '!online');
  assert.is(nut('online', 2), undefined);
  assert.is(nut('online', 1.9), 'online', 'the HID value is truncated, as (long) in C');
  assert.is(nut('off', 0), 'off');
  assert.is(nut('off', 1), '!off');
  assert.is(nut('noBattery', 0), 'nobattery');
  assert.is(nut('noBattery', 1), '!nobattery');
  assert.is(nut('onBattery', 1), '!online');
  assert.is(nut('fullyCharged', 0), 'notfullycharged');
  assert.is(nut('apcStatusFlag', 8), '!off');
  assert.is(nut('apcStatusFlag', 16), '!off');
  assert.is(nut('apcStatusFlag', 0), 'off');
  for (const v of [1, 2, 4, 8, 9]) assert.is(nut('apcLineFailVoltage', v), 'vrange');
  assert.is(nut('apcLineFailVoltage', 7), undefined);
  assert.is(nut('apcLineFailFrequency', 7), 'frange');
  assert.is(nut('apcLineFailFrequency', 0), '!frange');
  assert.is(nut('eatonConverterOnline', 1), 'online');
  assert.is(nut('eatonConverterOnline', 0), '!online');
  assert.is(nut('eatonConverterOnline', 1, ctx({ off: true })), undefined, 'an OFF UPS is not on line');
  assert.is(nut('eatonWiringFault', 1), 'Wiring fault!');
  assert.is(nut('eatonWiringFault', 0), undefined);
});

test('value lookups both ways', () => {
  assert.is(nut('testResult', 1), 'Done and passed');
  assert.is(nut('testResult', 7), 'Test scheduled');
  assert.is(nut('testResult', 0), undefined);
  assert.is(nut('beeperStatus', 3), 'muted');
  assert.is(conversion('beeperStatus').fromNut!('enabled'), 2);
  assert.is(conversion('yesNo').fromNut!('yes'), 1);
  assert.is(conversion('yesNo').fromNut!('YES'), undefined, 'strcmp: case matters');
  assert.is(nut('onOff', 1), 'on');
  assert.is(nut('sensitivity', 1), 'medium');
  assert.is(nut('cpsSensitivity', 1), 'normal');
  assert.is(nut('eatonSensitivity', 2), 'low');
  assert.is(nut('enabledDisabled', 1), 'enabled');
  assert.is(nut('eatonUpsType', 2), 'online');
});

test('dates: PDC packed and APC hex-as-decimal, both ways; 0 = not set', () => {
  assert.is(nut('pdcDate', 12515), '2004/07/03');
  assert.is(nut('pdcDate', 0), 'not set');
  assert.is(conversion('pdcDate').fromNut!('2004/07/03'), 12515);
  assert.is(conversion('pdcDate').fromNut!('2200/01/01'), 0, 'beyond 7 bits of years');
  assert.is(conversion('pdcDate').fromNut!('soon'), undefined);
  assert.is(nut('apcDate', 0x070304), '2004/07/03');
  assert.is(nut('apcDate', 0x102202), '2002/10/22');
  assert.is(nut('apcDate', 0x123199), '1999/12/31');
  assert.is(conversion('apcDate').fromNut!('2004/07/03'), 0x070304);
  assert.is(conversion('apcDate').fromNut!('2071/01/01'), 0);
});

test('hex, divide by 10, Kelvin (only 273..373 is Kelvin), USB strings', () => {
  assert.is(nut('hex', 0x1234), '00001234');
  assert.is(nut('divideBy10', 123), '12.3');
  assert.is(nut('kelvinToCelsius', 298.15), '25.0');
  assert.is(nut('kelvinToCelsius', 35), '35.0');
  const c = ctx({ strings: { 4: 'PbAc', 5: 'a very long string of twenty-odd chars\n' } });
  assert.is(nut('stringIndex', 4, c), 'PbAc');
  assert.is(nut('stringIndex', 5, c), 'a very long string ', 'NUT reads 19 characters');
  assert.is(nut('stringIndex', 9, c), undefined, 'unreadable string: nothing published');
  assert.is(nut('tlChemistry', 4, ctx({ strings: { 4: 'PbAc' }, productId: 0x1003 })), 'unknown');
  assert.is(nut('tlChemistry', 4, ctx({ strings: { 4: 'PbAc' }, productId: 0x2001 })), 'PbAc');
});

test('CyberPower: charge clamped to 100; battery voltage 2/3 when it reads over 1.4x nominal (once)', () => {
  assert.is(nut('cpsCharge', 104), '100');
  assert.is(nut('cpsCharge', 57), '57');
  const c = ctx({ quirks: { batteryVoltageCheck: true }, info: { 'battery.voltage.nominal': '12' } });
  assert.is(nut('cpsBatteryVoltage', 20.4, c), '13.6');
  assert.is(nut('cpsBatteryVoltage', 15, c), '10.0', 'the decision is kept');
  const plain = ctx({ quirks: { batteryVoltageCheck: true }, info: { 'battery.voltage.nominal': '24' } });
  assert.is(nut('cpsBatteryVoltage', 27.3, plain), '27.3');
  assert.is(nut('cpsBatteryVoltage', 20.4, ctx()), '20.4', 'other PIDs: no check');
});

test('CyberPower: frequency in 0.1 Hz is rescaled once it is clear', () => {
  const c = ctx({ quirks: { frequencyCheck: true } });
  assert.is(nut('cpsInputFrequency', 499, c), '49.9');
  assert.is(nut('cpsInputFrequency', 600, c), '60.0', 'kept');
  const d = ctx({ quirks: { frequencyCheck: true } });
  assert.is(nut('cpsOutputFrequency', 50, d), '50.0');
  assert.is(nut('cpsOutputFrequency', 123, ctx({ quirks: { frequencyCheck: true } })), '123.0', 'unclear: as is');
  assert.is(nut('cpsInputFrequency', 499, ctx()), '499.0', 'other PIDs: no check');
});

test('Tripp Lite scale factors', () => {
  const c = ctx({ quirks: { scale: { battery: 0.1, ioVoltage: 100000, ioFrequency: 0.01, ioCurrent: 0.01 } } });
  assert.is(nut('tlBatteryVoltage', 136, c), '13.6');
  assert.is(nut('tlIoVoltage', 0.0012, c), '120.0');
  assert.is(nut('tlIoFrequency', 6000, c), '60.0');
  assert.is(nut('tlIoCurrent', 150, c), '1.5');
  assert.is(nut('tlBatteryVoltage', 13.6, ctx()), '13.6');
});

test('every named conversion is exercised by this file', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(new URL(import.meta.url).pathname, 'utf8');
  const missing = CONVERSION_NAMES.filter((n) => !text.includes(`'${n}'`));
  assert.equal(missing, []);
});

test('the plain status bits: 1 sets, 0 clears their token', () => {
  const tokens: Array<[ConversionName, string]> = [
    ['discharging', 'dischrg'], ['charging', 'chrg'], ['lowBattery', 'lowbatt'], ['overload', 'overload'], ['replaceBattery', 'replacebatt'],
    ['trim', 'trim'], ['boost', 'boost'], ['bypassAuto', 'bypassauto'], ['bypassManual', 'bypassman'], ['calibration', 'cal'],
    ['fanFail', 'fanfail'], ['shutdownImminent', 'shutdownimm'], ['overheat', 'overheat'], ['awaitingPower', 'awaitingpower'],
    ['commFault', 'commfault'], ['timeLimitExpired', 'timelimitexp'], ['battVoltLow', 'battvoltlo'], ['battVoltHigh', 'battvolthi'],
    ['chargerFail', 'chargerfail'], ['depleted', 'depleted'], ['voltageOutOfRange', 'vrange'], ['frequencyOutOfRange', 'frange'],
  ];
  for (const [name, token] of tokens) {
    assert.is(nut(name, 1), token, name);
    assert.is(nut(name, 0), `!${token}`, name);
  }
  for (const name of ['eatonEmergencyStop', 'eatonConfigFailure', 'eatonInverterVoltHigh', 'eatonInverterVoltLow', 'eatonShortCircuit'] as const) {
    assert.ok(nut(name, 1)!.endsWith('!'), name);
    assert.is(nut(name, 0), undefined, name);
  }
});

test.run();
