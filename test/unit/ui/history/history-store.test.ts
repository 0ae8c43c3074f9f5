import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../../src/core/logger.js';
import { HistoryStore, MAX_UPS, type HistoryPoint } from '../../../../src/ui/history/history-store.js';
import { StepClock, capture, tempDir, waitFor } from './helpers.js';

const MIN = 60_000;

/** Polls every 2 s for `ms`, like a driver does. */
function poll(clock: StepClock, store: HistoryStore, ups: string, ms: number, sample: (i: number) => Record<string, number>): void {
  for (let i = 0; i < ms / 2000; i++) {
    store.record(ups, sample(i));
    clock.step(2000);
  }
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

function withData(points: HistoryPoint[]): HistoryPoint[] {
  return points.filter((p) => p.v !== null);
}

test('means per minute over 24 h and per 10 minutes over 7 days, labelled with the bucket start', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  // Minute 12:00 reads 100 then 90 (mean 95); minute 12:01 reads 80.
  poll(clock, store, 'ups', MIN, (i) => ({ charge: i < 15 ? 100 : 90 }));
  poll(clock, store, 'ups', MIN, () => ({ charge: 80 }));
  store.record('ups', { charge: 70 });
  const day = store.series('ups', '24h', 'charge');
  assert.is(day.length, 1440);
  assert.equal(day.slice(-3), [
    { t: Date.UTC(2026, 0, 5, 12, 0), v: 95 },
    { t: Date.UTC(2026, 0, 5, 12, 1), v: 80 },
    { t: Date.UTC(2026, 0, 5, 12, 2), v: 70 },
  ]);
  assert.ok(day.slice(0, -3).every((p) => p.v === null), 'before the first sample: gaps');
  assert.is(day[0]?.t, Date.UTC(2026, 0, 4, 12, 3), 'the window is 24 h ending at the current minute');
  const week = store.series('ups', '7d', 'charge');
  assert.is(week.length, 1008);
  assert.equal(withData(week), [{ t: Date.UTC(2026, 0, 5, 12, 0), v: 87.2 }], 'every sample of the 10 minutes counts once: (15*100 + 15*90 + 30*80 + 70) / 61');
});

test('a field a poll lacks, or reports as not a number, is skipped; unknown UPS or field has no series', () => {
  const clock = new StepClock();
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  store.record('ups', { charge: 50, load: Number.NaN });
  store.record('ups', { load: 20 });
  assert.equal(withData(store.series('ups', '24h', 'charge')).map((p) => p.v), [50]);
  assert.equal(withData(store.series('ups', '24h', 'load')).map((p) => p.v), [20]);
  assert.equal(store.series('ups', '24h', 'realpower'), []);
  assert.equal(store.series('other', '24h', 'charge'), []);
  assert.equal(store.upsNames(), ['ups']);
});

test('minutes without samples (driver lost the UPS) are gaps between the data', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  store.record('ups', { load: 10 });
  clock.step(5 * MIN);
  store.record('ups', { load: 30 });
  assert.equal(store.series('ups', '24h', 'load').slice(-6).map((p) => p.v), [10, null, null, null, null, 30]);
});

test('the 7-day series sees older data than the 24-hour one', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 0, 0, 0));
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  store.record('ups', { inputVoltage: 230 });
  clock.step(3 * 24 * 60 * MIN);
  store.record('ups', { inputVoltage: 228 });
  assert.equal(withData(store.series('ups', '24h', 'inputVoltage')).map((p) => p.v), [228]);
  assert.equal(withData(store.series('ups', '7d', 'inputVoltage')).map((p) => p.v), [230, 228]);
  clock.step(5 * 24 * 60 * MIN);
  assert.equal(withData(store.series('ups', '7d', 'inputVoltage')).map((p) => p.v), [228], '8 days later the first one is gone');
  clock.step(2 * 24 * 60 * MIN);
  assert.equal(store.series('ups', '7d', 'inputVoltage'), [], 'nothing in the window: no series');
});

test('history survives a restart: a new store loading the file shows the same series and keeps averaging', async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const first = new HistoryStore({ file, clock, log: silentLogger });
  await first.load();
  poll(clock, first, 'ups', 30_000, () => ({ charge: 100, runtime: 1234.56, realpower: 310 }));
  await first.stop();
  assert.is((await stat(file)).mode & 0o777, 0o644, 'readable by anyone: nothing secret in it');
  const saved = JSON.parse(await readFile(file, 'utf8'));
  assert.is(saved.format, 'upsgate-history');

  const second = new HistoryStore({ file, clock, log: silentLogger });
  await second.load();
  assert.equal(second.upsNames(), ['ups']);
  for (const range of ['24h', '7d'] as const) {
    assert.equal(second.series('ups', range, 'charge'), first.series('ups', range, 'charge'), range);
    assert.equal(withData(second.series('ups', range, 'runtime')).map((p) => p.v), [1234.6], 'one decimal is kept');
  }
  // 15 samples of 100 were saved for this minute; 15 more of 0 make it 50, not 0 or 99.
  poll(clock, second, 'ups', 30_000, () => ({ charge: 0 }));
  assert.equal(withData(second.series('ups', '24h', 'charge')).map((p) => p.v), [50]);
});

test('the file is written only when something changed, at most every flushEveryMs, and at stop()', async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const clock = new StepClock();
  const store = new HistoryStore({ file, clock, log: silentLogger, flushEveryMs: 30 * MIN });
  await store.load();
  store.start();
  clock.step(30 * MIN);
  await new Promise((r) => setTimeout(r, 50));
  assert.not.ok(await exists(file), 'nothing recorded: nothing written');

  store.record('ups', { load: 12 });
  clock.step(29 * MIN);
  await new Promise((r) => setTimeout(r, 50));
  assert.not.ok(await exists(file), 'not before the period is over');
  clock.step(MIN);
  await waitFor('the periodic write', () => exists(file));
  assert.match(await readFile(file, 'utf8'), '"load"');

  // A marker shows whether the file is written again.
  await writeFile(file, 'marker');
  clock.step(60 * MIN);
  await new Promise((r) => setTimeout(r, 50));
  await store.stop();
  assert.is(await readFile(file, 'utf8'), 'marker', 'nothing changed since the last write: not rewritten, not even at stop()');
  assert.is(clock.activeIntervals(), 0, 'stop() cancels the timer');

  store.record('ups', { load: 13 });
  await store.stop();
  assert.match(await readFile(file, 'utf8'), '"load"', 'changed: stop() writes it');
});

test('a failed write is logged and tried again later', async () => {
  const dir = await tempDir();
  const file = join(dir, 'missing-folder', 'history.json');
  const { lines, log } = capture();
  const clock = new StepClock();
  const store = new HistoryStore({ file, clock, log });
  store.record('ups', { load: 1 });
  await store.stop();
  assert.ok(lines.some((l) => l.startsWith('warn') && l.includes(file) && l.includes('ENOENT')), lines.join('\n'));
});

test('memory only: no file, nothing written, stop() is fine', async () => {
  const clock = new StepClock();
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  await store.load();
  store.start();
  store.record('ups', { load: 1 });
  assert.is(clock.activeIntervals(), 0, 'no timer when there is nothing to write to');
  await store.stop();
  assert.equal(withData(store.series('ups', '24h', 'load')).map((p) => p.v), [1]);
});

test('a missing file is a first run: no warning', async () => {
  const dir = await tempDir();
  const { lines, log } = capture();
  const store = new HistoryStore({ file: join(dir, 'history.json'), clock: new StepClock(), log });
  await store.load();
  assert.equal(lines, []);
  assert.equal(store.upsNames(), []);
});

for (const [what, content, why] of [
  ['not JSON', '{"format":"upsgate-hist', /not JSON/],
  ['another file', '{"energyKwh":{"ups":1}}', /not an upsgate history file/],
  ['a newer version', '{"format":"upsgate-history","version":9,"ups":{}}', /version 9 is not understood/],
  ['a bad ring', '{"format":"upsgate-history","version":1,"ups":{"ups":{"24h":{"charge":{"end":1,"n":1,"v":["x"]}}}}}', /ups "ups" 24h charge: "v" must hold only numbers and null/],
  ['an unknown field', '{"format":"upsgate-history","version":1,"ups":{"ups":{"24h":{"temp":{"end":1,"n":1,"v":[1]}}}}}', /unknown field "temp"/],
] as const) {
  test(`a corrupt file (${what}) is logged, set aside as .corrupt, and the history starts empty`, async () => {
    const dir = await tempDir();
    const file = join(dir, 'history.json');
    await writeFile(file, content);
    const { lines, log } = capture();
    const store = new HistoryStore({ file, clock: new StepClock(), log });
    await store.load();
    assert.is(lines.length, 1, lines.join('\n'));
    assert.match(lines[0] ?? '', /^warn /);
    assert.ok(lines[0]?.includes(file), 'names the file');
    assert.match(lines[0] ?? '', why);
    assert.is(await readFile(`${file}.corrupt`, 'utf8'), content, 'kept for a person to look at');
    assert.equal(store.upsNames(), []);
    store.record('ups', { charge: 1 });
    await store.stop();
    assert.match(await readFile(file, 'utf8'), /upsgate-history/, 'a fresh file replaces it');
  });
}

test('an unreadable file (a folder in its place) is logged and set aside too', async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(file);
  const { lines, log } = capture();
  const store = new HistoryStore({ file, clock: new StepClock(), log });
  await store.load();
  assert.match(lines.join('\n'), /cannot be read \(EISDIR\); moved it to .*history\.json\.corrupt/);
  assert.ok((await stat(`${file}.corrupt`)).isDirectory());
});

test(`at most ${MAX_UPS} UPSes are kept: a new one pushes out the one seen least recently`, async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const { lines, log } = capture();
  const clock = new StepClock();
  const store = new HistoryStore({ file, clock, log });
  for (let i = 0; i <= MAX_UPS; i++) {
    store.record(`ups${i}`, { load: i });
    clock.step(MIN);
  }
  assert.is(store.upsNames().length, MAX_UPS);
  assert.not.ok(store.upsNames().includes('ups0'));
  assert.ok(store.upsNames().includes(`ups${MAX_UPS}`));
  assert.match(lines.join('\n'), /dropped "ups0"/);
  store.record('ups1', { load: 1 });
  clock.step(MIN);
  store.record('newcomer', { load: 1 });
  assert.not.ok(store.upsNames().includes('ups2'), 'ups2 was now the least recently seen');
  assert.ok(store.upsNames().includes('ups1'));
  await store.stop();
  const second = new HistoryStore({ file, clock, log: silentLogger });
  await second.load();
  assert.is(second.upsNames().length, MAX_UPS);
});

test('a file with more UPSes than allowed keeps the most recent ones and says so', async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const ups: Record<string, unknown> = {};
  for (let i = 0; i < MAX_UPS + 2; i++) ups[`ups${i}`] = { '24h': { load: { end: 29_000_000 + i, n: 1, v: [i] } } };
  await writeFile(file, JSON.stringify({ format: 'upsgate-history', version: 1, ups }));
  const { lines, log } = capture();
  const store = new HistoryStore({ file, clock: new StepClock(), log });
  await store.load();
  assert.is(store.upsNames().length, MAX_UPS);
  assert.not.ok(store.upsNames().includes('ups0'));
  assert.not.ok(store.upsNames().includes('ups1'));
  assert.match(lines.join('\n'), /warn .*at most 16 UPSes.*ups0, ups1|warn .*at most 16 UPSes.*ups1, ups0/);
});

test('size: one UPS with all six fields and full rings', async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const clock = new StepClock(Date.UTC(2026, 0, 5, 0, 0, 0));
  const store = new HistoryStore({ file, clock, log: silentLogger });
  // A sample a minute for 7 days fills both rings; values vary like a real UPS's do.
  for (let i = 0; i < 7 * 24 * 60; i++) {
    const wobble = Math.sin(i / 7);
    store.record('ups', {
      charge: 100 - (i % 300 < 20 ? i % 300 : 0) * 0.9,
      runtime: 2400 + 300 * wobble,
      load: 23 + 4 * wobble,
      inputVoltage: 230 + 3 * wobble,
      outputVoltage: 229.5 + 0.5 * wobble,
      realpower: 180 + 40 * wobble,
    });
    clock.step(MIN);
  }
  await store.stop();
  const bytes = (await stat(file)).size;
  assert.ok(bytes < 100_000, `${bytes} bytes`);
});

test.run();
