import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Harness, tempDir, type HarnessOptions } from './helpers.js';

const dummy = (port: string, options: HarnessOptions = {}, ...more: Array<[string, string?]>) =>
  new Harness([['driver', 'dummy-ups'], ['port', port], ...more], options);

/** Runs until monotonic time `t` ms (the driver starts at 0). */
async function at(h: Harness, t: number): Promise<void> {
  await h.run(t - h.clock.now());
}

test('start takes one update (1 s) and then announces the device', async () => {
  const h = dummy('flip.seq');
  assert.is(h.device.availability(), 'not-connected');
  await h.start();
  assert.is(h.clock.now(), 1000);
  assert.is(h.device.availability(), 'ok');
  await h.stop();
});

test('a .seq loops: TIMER 4 holds each state, the trailing TIMER ends the pass one read later', async () => {
  // Debian's 2.8.0 with this file (pollinterval 2) flips at 4 s, 10 s, 14 s, 20 s …
  const h = dummy('flip.seq');
  await h.start();
  const seen: Array<[number, string | undefined, string | undefined]> = [];
  for (let t = 1000; t <= 21000; t += 1000) {
    await at(h, t);
    seen.push([t / 1000, h.get('ups.status'), h.get('battery.charge')]);
  }
  const flips = seen.filter((s, i) => i === 0 || s[1] !== seen[i - 1]![1]).map((s) => `${s[0]}:${s[1]}`);
  assert.equal(flips, ['1:OL', '4:OB DISCHRG', '10:OL', '14:OB DISCHRG', '20:OL']);
  assert.ok(seen.every(([, status, charge]) => (status === 'OL' ? charge === '100' : charge === '80')));
  await h.stop();
});

test('update cadence: reads at 0, 1, 2 s, then every pollinterval from the start of the previous update', async () => {
  const steps = Array.from({ length: 8 }, (_, i) => `n: ${i + 1}\nTIMER 0\n`).join('');
  const dir = tempDir({ 'steps.seq': steps });
  const h = dummy('steps.seq', { confDir: dir, pollIntervalSeconds: 5 });
  await h.start();
  const values: Record<number, string | undefined> = {};
  for (const t of [1000, 2000, 6900, 7000, 11900, 12000, 17000]) {
    await at(h, t);
    values[t] = h.get('n');
  }
  assert.equal(values, { 1000: '2', 2000: '3', 6900: '3', 7000: '4', 11900: '4', 12000: '5', 17000: '6' });
  await h.stop();
});

test('pollinterval 1: an update (1 s pause) longer than the interval is followed at once by the next', async () => {
  const steps = Array.from({ length: 8 }, (_, i) => `n: ${i + 1}\nTIMER 0\n`).join('');
  const dir = tempDir({ 'steps.seq': steps });
  const h = dummy('steps.seq', { confDir: dir, pollIntervalSeconds: 1 });
  await h.start();
  await at(h, 4000);
  assert.is(h.get('n'), '5');
  await h.stop();
});

test('TIMER counts whole seconds from the read that met it', async () => {
  const dir = tempDir({ 't.seq': 'a: 1\nTIMER 3\na: 2\nTIMER 100\n' });
  const h = dummy('t.seq', { confDir: dir });
  await h.start();
  await at(h, 2000);
  assert.is(h.get('a'), '1', 'paused at 2 s');
  await at(h, 4000);
  assert.is(h.get('a'), '2', '3 s elapsed at the 4 s read');
  await h.stop();
});

test('a bare TIMER takes the second word of the last line that had one (NUT\'s stale argument)', async () => {
  const dir = tempDir({ 'stale.seq': 'a: 100\nTIMER\nb: y\n' });
  const h = dummy('stale.seq', { confDir: dir });
  await h.start();
  await at(h, 90_000);
  assert.is(h.get('b'), undefined, 'still pausing: TIMER read "100"');
  await at(h, 100_000);
  assert.is(h.get('b'), 'y');
  await h.stop();
});

test('a name without a value takes the last value built, across passes (not at start)', async () => {
  const dir = tempDir({ 'carry.seq': 'x:\nTIMER 1\ny: last\n' });
  const h = dummy('carry.seq', { confDir: dir });
  await h.start();
  assert.is(h.get('x'), undefined, 'the start-up read has its own, empty, buffer');
  assert.is(h.get('y'), 'last');
  await at(h, 2000);
  assert.is(h.get('x'), 'last', 'the next pass reuses the previous pass\'s last value');
  await h.stop();
});

test('dummy-loop: a SET lasts until the file sets the variable again', async () => {
  const dir = tempDir({ 'plain.seq': 'battery.charge: 100\n' });
  const h = dummy('plain.seq', { confDir: dir });
  await h.start();
  await h.driver.setVariable('battery.charge', '5');
  await h.driver.setVariable('extra.var', 'kept');
  assert.is(h.get('battery.charge'), '5');
  await at(h, 2000);
  assert.is(h.get('battery.charge'), '100');
  assert.is(h.get('extra.var'), 'kept');
  await h.stop();
});

test('dummy-once: SET values survive; a file whose mtime changes is read again from the top', async () => {
  const dir = tempDir({ 'ups.dev': 'battery.charge: 100\nups.model: One\n' });
  const file = join(dir, 'ups.dev');
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  const h = dummy(file); // absolute port
  await h.start();
  assert.is(h.get('driver.parameter.mode'), 'dummy-once');
  await h.driver.setVariable('battery.charge', '42');
  await at(h, 30_000);
  assert.is(h.get('battery.charge'), '42', 'not re-read while the file is unchanged');
  writeFileSync(file, 'battery.charge: 90\nups.model: Two\n');
  utimesSync(file, 1_700_000_100, 1_700_000_100);
  await at(h, 32_000);
  assert.is(h.get('battery.charge'), '90');
  assert.is(h.get('ups.model'), 'Two');
  assert.is(h.get('device.model'), 'One', 'device.model is copied once, at start');
  await h.stop();
});

test('dummy-once with a relative port reads the file a second time after start (NUT looks in its cwd first)', async () => {
  const text = 'a: 1\nTIMER 2\nb: 2\n';
  const relDir = tempDir({ 'r.dev': text });
  const rel = dummy('r.dev', { confDir: relDir });
  const absDir = tempDir({ 'r.dev': text });
  const abs = dummy(join(absDir, 'r.dev'));
  for (const h of [rel, abs]) {
    await h.start();
    await at(h, 3000); // the first pass ended at 2 s
    assert.is(h.get('b'), '2');
    await h.driver.setVariable('a', '9');
    await at(h, 5000);
  }
  assert.is(rel.get('a'), '1', 'relative: replayed from the top at 4 s');
  assert.is(abs.get('a'), '9', 'absolute: left alone');
  await at(rel, 9000);
  await rel.driver.setVariable('a', '8');
  await at(rel, 20_000);
  assert.is(rel.get('a'), '8', 'only once');
  await rel.stop();
  await abs.stop();
});

test('data stays fresh: dataOk after every read, well past MAXAGE', async () => {
  const h = dummy('line-interactive.dev');
  await h.start();
  await at(h, 60_000);
  assert.is(h.device.checkAvailability(), 'ok');
  await h.stop();
});

test('stop cancels every timer and nothing changes afterwards', async () => {
  const h = dummy('flip.seq');
  await h.start();
  await h.stop();
  assert.is(h.clock.pendingTimers(), 0);
  const before = h.dump();
  await h.clock.advance(60_000);
  assert.equal(h.dump(), before);
});

test('stop during start: start resolves without announcing the device, no timer left', async () => {
  const h = dummy('flip.seq');
  const p = h.driver.start();
  await h.settle();
  await h.stop();
  await p;
  assert.is(h.clock.pendingTimers(), 0);
  assert.is(h.device.availability(), 'not-connected');
});

test('the file vanishing later ends the driver, as NUT\'s exits: data dropped, error logged', async () => {
  const dir = tempDir({ 'v.seq': 'ups.status: OL\n' });
  const h = dummy('v.seq', { confDir: dir });
  await h.start();
  rmSync(join(dir, 'v.seq'));
  await at(h, 3000);
  assert.is(h.device.availability(), 'not-connected');
  assert.equal(h.device.variables(), []);
  assert.ok(h.logs.some((l) => l.startsWith('error:') && l.includes(join(dir, 'v.seq'))));
  assert.is(h.clock.pendingTimers(), 0);
});

test('a stopped driver starts again from scratch', async () => {
  const h = dummy('flip.seq');
  await h.start();
  await at(h, 5000);
  assert.is(h.get('ups.status'), 'OB DISCHRG');
  await h.stop();
  await h.start();
  assert.is(h.get('ups.status'), 'OL', 'the sequence begins again');
  await h.stop();
});

test.run();
