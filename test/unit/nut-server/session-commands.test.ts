import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, world } from './harness.js';

test('credentials: each settable once; the password is not checked until used', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'LOGIN dummy'), 'ERR USERNAME-REQUIRED\n');
  assert.is(w.ask(s, 'SET TRACKING ON'), 'ERR USERNAME-REQUIRED\n');
  assert.is(w.ask(s, 'GET TRACKING'), 'OFF\n');
  assert.is(w.ask(s, 'GET TRACKING abc'), 'ERR FEATURE-NOT-CONFIGURED\n');
  assert.is(w.ask(s, 'USERNAME admin'), 'OK\n');
  assert.is(w.ask(s, 'USERNAME admin'), 'ERR ALREADY-SET-USERNAME\n');
  assert.is(w.ask(s, 'LOGIN dummy'), 'ERR PASSWORD-REQUIRED\n');
  assert.is(w.ask(s, 'PASSWORD wrong'), 'OK\n');
  assert.is(w.ask(s, 'PASSWORD again'), 'ERR ALREADY-SET-PASSWORD\n');
  assert.is(w.ask(s, 'LOGIN dummy'), 'ERR ACCESS-DENIED\n');
  assert.is(w.ask(s, 'LOGIN nosuch'), 'ERR UNKNOWN-UPS\n');
  for (const r of ['USERNAME', 'USERNAME a b', 'PASSWORD']) assert.is(w.ask(w.session(), r), 'ERR INVALID-ARGUMENT\n', r);
});

test('upsmon sessions: LOGIN counts, PRIMARY/MASTER are access checks, NUMLOGINS and LIST CLIENT', () => {
  const w = world();
  const p = w.session();
  const sec = w.session('::1');
  credentials(w, p, 'monp', 'mp');
  credentials(w, sec, 'mons', 'ms');
  assert.is(w.ask(p, 'LOGIN dummy'), 'OK\n');
  assert.is(w.ask(p, 'LOGIN dummy'), 'ERR ALREADY-LOGGED-IN\n');
  assert.is(w.ask(p, 'PRIMARY dummy'), 'OK PRIMARY-GRANTED\n');
  assert.is(w.ask(p, 'MASTER dummy'), 'OK MASTER-GRANTED\n');
  assert.is(w.ask(sec, 'PRIMARY dummy'), 'ERR ACCESS-DENIED\n');
  assert.is(w.ask(sec, 'FSD dummy'), 'ERR ACCESS-DENIED\n');
  assert.is(w.ask(sec, 'LOGIN DUMMY'), 'OK\n');
  assert.is(w.ask(p, 'GET NUMLOGINS dummy'), 'NUMLOGINS dummy 2\n');
  // Newest connection first, canonical UPS name.
  assert.is(w.ask(p, 'LIST CLIENT DUMMY'), 'BEGIN LIST CLIENT DUMMY\nCLIENT dummy ::1\nCLIENT dummy 127.0.0.1\nEND LIST CLIENT DUMMY\n');
  assert.is(w.ask(p, 'LIST CLIENT nosuch'), 'ERR UNKNOWN-UPS\n');
  assert.is(w.ask(p, 'PRIMARY nosuch'), 'ERR UNKNOWN-UPS\n');
});

test('LOGIN, PRIMARY and FSD work on a UPS whose driver is not connected', () => {
  const w = world();
  const p = w.session();
  credentials(w, p, 'monp', 'mp');
  assert.is(w.ask(p, 'LOGIN nodesc'), 'OK\n');
  assert.is(w.ask(p, 'PRIMARY nodesc'), 'OK PRIMARY-GRANTED\n');
  assert.is(w.ask(p, 'FSD nodesc'), 'OK FSD-SET\n');
  assert.is(w.ask(p, 'GET NUMLOGINS nodesc'), 'ERR DRIVER-NOT-CONNECTED\n');
});

test('FSD latches: ups.status reads FSD first, for everyone, until restart', () => {
  const w = world();
  const p = w.session();
  credentials(w, p, 'monp', 'mp');
  assert.is(w.ask(p, 'FSD dummy'), 'OK FSD-SET\n');
  w.devices.get('dummy')!.setInfo('ups.status', 'OB LB');
  assert.is(w.ask(w.session(), 'GET VAR dummy ups.status'), 'VAR dummy ups.status "FSD OB LB"\n');
  assert.is(w.ask(p, 'FSD dummy x'), 'ERR INVALID-ARGUMENT\n');
});

test('LOGOUT says goodbye and asks the connection to close', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'LOGOUT'), 'OK Goodbye\n');
});

test('a user name or password that does not match is denied the same way, and case matters', () => {
  const w = world();
  for (const [u, p] of [
    ['ADMIN', 'adminpass'],
    ['admin', 'ADMINPASS'],
    ['nobody', 'x'],
  ] as const) {
    const s = w.session();
    credentials(w, s, u, p);
    assert.is(w.ask(s, 'FSD dummy'), 'ERR ACCESS-DENIED\n', `${u}/${p}`);
  }
});

test('password guessing from one remote address gets locked out; loopback never does', () => {
  const w = world();
  for (let i = 0; i < 12; i++) {
    const s = w.session('192.0.2.7');
    credentials(w, s, 'admin', `guess${i}`);
    w.ask(s, 'FSD dummy');
  }
  const right = w.session('192.0.2.7');
  credentials(w, right, 'admin', 'adminpass');
  assert.is(w.ask(right, 'FSD dummy'), 'ERR ACCESS-DENIED\n', 'locked out even with the right password');
  const local = w.session('127.0.0.1');
  credentials(w, local, 'admin', 'adminpass');
  assert.is(w.ask(local, 'FSD dummy'), 'OK FSD-SET\n');
});

test('the lockout ends after its time', async () => {
  const w = world();
  for (let i = 0; i < 10; i++) {
    const s = w.session('192.0.2.8');
    credentials(w, s, 'admin', 'nope');
    w.ask(s, 'FSD dummy');
  }
  await w.clock.advance(61_000);
  const s = w.session('192.0.2.8');
  credentials(w, s, 'admin', 'adminpass');
  assert.is(w.ask(s, 'FSD dummy'), 'OK FSD-SET\n');
});

test.run();
