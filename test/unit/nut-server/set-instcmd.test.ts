import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { flushMicrotasks } from '../../helpers/fake-clock.js';
import { credentials, world } from './harness.js';

test('SET VAR checks in upsd order: UPS, driver, permission, variable, RW, length, enum, range', () => {
  const w = world();
  const admin = w.session();
  credentials(w, admin, 'admin', 'adminpass');
  const tester = w.session();
  credentials(w, tester, 'tester', 'pass words');
  assert.is(w.ask(admin, 'SET VAR nosuch x 1'), 'ERR UNKNOWN-UPS\n');
  assert.is(w.ask(admin, 'SET VAR nodesc x 1'), 'ERR DRIVER-NOT-CONNECTED\n');
  assert.is(w.ask(tester, 'SET VAR dummy bogus 1'), 'ERR ACCESS-DENIED\n');
  assert.is(w.ask(admin, 'SET VAR dummy bogus 1'), 'ERR VAR-NOT-SUPPORTED\n');
  assert.is(w.ask(admin, 'SET VAR dummy battery.charge 5'), 'ERR READONLY\n');
  assert.is(w.ask(admin, 'SET VAR dummy ups.id 123456789'), 'ERR TOO-LONG\n');
  assert.is(w.ask(admin, 'SET VAR dummy input.transfer.low 101'), 'ERR INVALID-VALUE\n');
  assert.is(w.ask(admin, 'SET VAR dummy input.transfer.high 137'), 'ERR INVALID-VALUE\n');
  assert.is(w.ask(admin, 'SET VAR dummy input.transfer.high abc'), 'ERR INVALID-VALUE\n');
  assert.is(w.ask(admin, 'SET VAR dummy input.transfer.low 103'), 'OK\n');
  assert.is(w.ask(admin, 'SET VAR dummy input.transfer.high "141 volts"'), 'OK\n');
  assert.is(w.ask(admin, 'SET VAR dummy ups.id "a b"'), 'OK\n');
  assert.equal(w.target.calls, ['SET input.transfer.low 103', 'SET input.transfer.high 141 volts', 'SET ups.id a b']);
  for (const r of ['SET', 'SET VAR', 'SET VAR dummy ups.id', 'SET FOO x', 'SET TRACKING maybe']) {
    assert.is(w.ask(admin, r), 'ERR INVALID-ARGUMENT\n', r);
  }
});

test('INSTCMD checks: UPS, driver, command, permission; a parameter only with exactly three words', () => {
  const w = world();
  const tester = w.session();
  credentials(w, tester, 'tester', 'pass words');
  assert.is(w.ask(tester, 'INSTCMD dummy'), 'ERR INVALID-ARGUMENT\n');
  assert.is(w.ask(tester, 'INSTCMD nosuch x'), 'ERR UNKNOWN-UPS\n');
  assert.is(w.ask(tester, 'INSTCMD nodesc x'), 'ERR DRIVER-NOT-CONNECTED\n');
  assert.is(w.ask(tester, 'INSTCMD dummy load.on'), 'ERR CMD-NOT-SUPPORTED\n');
  assert.is(w.ask(tester, 'INSTCMD dummy beeper.toggle'), 'ERR ACCESS-DENIED\n');
  assert.is(w.ask(tester, 'INSTCMD dummy TEST.BATTERY.START'), 'OK\n');
  const admin = w.session();
  credentials(w, admin, 'admin', 'adminpass');
  assert.is(w.ask(admin, 'INSTCMD dummy load.off.delay 30'), 'OK\n');
  assert.is(w.ask(admin, 'INSTCMD dummy load.off.delay 30 extra'), 'OK\n');
  assert.equal(w.target.calls, ['INSTCMD test.battery.start', 'INSTCMD load.off.delay 30', 'INSTCMD load.off.delay']);
});

test('TRACKING: upper-case UUIDs, PENDING then the driver\'s verdict, per connection', async () => {
  const w = world();
  const admin = w.session();
  credentials(w, admin, 'admin', 'adminpass');
  assert.is(w.ask(admin, 'SET TRACKING ON'), 'OK\n');
  assert.is(w.ask(admin, 'GET TRACKING'), 'ON\n');
  w.target.outcome = 'invalid-argument';
  const reply = w.ask(admin, 'INSTCMD dummy load.off.delay 30');
  const m = /^OK TRACKING ([0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12})\n$/.exec(reply);
  assert.ok(m, reply);
  const id = m![1]!;
  assert.is(w.ask(admin, `GET TRACKING ${id}`), 'PENDING\n');
  await flushMicrotasks();
  assert.is(w.ask(admin, `GET TRACKING ${id.toLowerCase()}`), 'ERR INVALID-ARGUMENT\n');
  w.target.outcome = 'failed';
  const id2 = w.ask(admin, 'SET VAR dummy ups.id x').slice('OK TRACKING '.length).trim();
  await flushMicrotasks();
  assert.is(w.ask(admin, `GET TRACKING ${id2}`), 'ERR FAILED\n');
  assert.is(w.ask(admin, 'GET TRACKING nonexistent'), 'ERR UNKNOWN\n');
  const other = w.session();
  credentials(w, other, 'admin', 'adminpass');
  assert.is(w.ask(other, 'INSTCMD dummy beeper.toggle'), 'OK\n', 'no tracking id without SET TRACKING ON');
  assert.is(w.ask(admin, 'SET TRACKING off'), 'OK\n');
  assert.is(w.ask(admin, `GET TRACKING ${id}`), 'ERR FEATURE-NOT-CONFIGURED\n');
});

test('tracking entries expire after TRACKINGDELAY on the monotonic clock', async () => {
  const w = world();
  const admin = w.session();
  credentials(w, admin, 'admin', 'adminpass');
  w.ask(admin, 'SET TRACKING ON');
  const id = w.ask(admin, 'INSTCMD dummy beeper.toggle').slice('OK TRACKING '.length).trim();
  await flushMicrotasks();
  assert.is(w.ask(admin, `GET TRACKING ${id}`), 'SUCCESS\n');
  await w.clock.advance(3600_001);
  assert.is(w.ask(admin, `GET TRACKING ${id}`), 'ERR UNKNOWN\n');
});

test('SET TRACKING needs only USERNAME and PASSWORD, not a valid user', () => {
  const w = world();
  const s = w.session();
  credentials(w, s, 'nobody', 'nothing');
  assert.is(w.ask(s, 'SET TRACKING ON'), 'OK\n');
});

test('a driver that is gone cannot take commands: INSTCMD-FAILED / SET-FAILED', () => {
  const w = world();
  w.devices.get('dummy')!.bindCommandTarget(undefined);
  const admin = w.session();
  credentials(w, admin, 'admin', 'adminpass');
  assert.is(w.ask(admin, 'INSTCMD dummy beeper.toggle'), 'ERR INSTCMD-FAILED\n');
  assert.is(w.ask(admin, 'SET VAR dummy ups.id x'), 'ERR SET-FAILED\n');
});

test.run();
