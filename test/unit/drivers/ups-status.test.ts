import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Device } from '../../../src/core/device.js';
import { atoi, strtol } from '../../../src/core/c-number.js';
import { capValue, dstateGetinfo } from '../../../src/drivers/dstate-text.js';
import { lowBatterySources, UpsStatus } from '../../../src/drivers/ups-status.js';
import { FakeClock } from '../../helpers/fake-clock.js';

test('strtol and atoi read numbers as C does', () => {
  assert.is(strtol('  12abc'), 12n);
  assert.is(strtol('-7'), -7n);
  assert.is(strtol('+3.9'), 3n);
  assert.is(strtol('abc'), 0n);
  assert.is(strtol(''), 0n);
  assert.is(strtol('99999999999999999999'), (1n << 63n) - 1n);
  assert.is(atoi('4294967297'), 1, 'glibc atoi wraps to int');
  assert.is(atoi('\t42 s'), 42);
});

test('dstate_getinfo escapes like NUT and stops without splitting an escape at 255', () => {
  assert.is(dstateGetinfo('a"b\\c#d'), 'a\\"b\\\\c\\#d');
  assert.is(dstateGetinfo(`${'x'.repeat(254)}"`), 'x'.repeat(254));
  assert.is(capValue('y'.repeat(300)).length, 255);
});

function status(values: Record<string, string>) {
  const device = new Device('u', new FakeClock());
  for (const [k, v] of Object.entries(values)) device.setInfo(k, v);
  return { device, st: new UpsStatus(device) };
}

test('without ignorelb: elements joined by spaces, LB kept, empty elements kept', () => {
  const { device, st } = status({ 'battery.charge': '1', 'battery.charge.low': '50' });
  st.publish(['OB', 'LB']);
  assert.is(device.getInfo('ups.status'), 'OB LB');
  st.publish(['OL', '']);
  assert.is(device.getInfo('ups.status'), 'OL ');
  st.publish([]);
  assert.is(device.getInfo('ups.status'), '');
});

test('ignorelb: device LB dropped (any case), LB from charge, else from runtime', () => {
  const { device, st } = status({
    'driver.flag.ignorelb': 'enabled',
    'battery.charge': '80', 'battery.charge.low': '20',
    'battery.runtime': '100', 'battery.runtime.low': '300',
  });
  st.publish(['OB', 'lb']);
  assert.is(device.getInfo('ups.status'), 'OB LB', 'runtime 100 < 300');
  device.setInfo('battery.runtime', '600');
  st.publish(['OB', 'LB']);
  assert.is(device.getInfo('ups.status'), 'OB');
  device.setInfo('battery.charge', '19.9');
  st.publish(['OB']);
  assert.is(device.getInfo('ups.status'), 'OB LB', 'strtol("19.9") = 19 < 20');
});

test('ignorelb stays on once seen, as NUT\'s static flag', () => {
  const { device, st } = status({ 'driver.flag.ignorelb': 'enabled' });
  st.publish(['LB']);
  device.delInfo('driver.flag.ignorelb');
  st.publish(['OL', 'LB']);
  assert.is(device.getInfo('ups.status'), 'OL');
});

test('status is capped at 255 characters', () => {
  const { device, st } = status({});
  st.publish(Array.from({ length: 100 }, () => 'OB'));
  assert.is(device.getInfo('ups.status')!.length, 255);
});

test('lowBatterySources: which pairs of variables allow computing LB', () => {
  assert.is(lowBatterySources(status({ 'battery.charge': '1' }).device), undefined);
  assert.equal(lowBatterySources(status({ 'battery.runtime': '1', 'battery.runtime.low': '2' }).device), ['battery.runtime']);
});

test.run();
