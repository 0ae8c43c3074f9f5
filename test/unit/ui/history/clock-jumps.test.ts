import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { silentLogger } from '../../../../src/core/logger.js';
import { HistoryStore, type HistoryPoint } from '../../../../src/ui/history/history-store.js';
import { StepClock, capture, tempDir } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function loads(points: HistoryPoint[]): Array<[string, number]> {
  return points.flatMap((p) => (p.v === null ? [] : [[new Date(p.t).toISOString().slice(5, 16), p.v] as [string, number]]));
}

/** One sample a minute for `minutes`. */
function everyMinute(clock: StepClock, store: HistoryStore, minutes: number, load: number): void {
  for (let i = 0; i < minutes; i++) {
    store.record('ups', { load });
    clock.step(MIN);
  }
}

test('a wall clock stepped forward: recording carries on at the new time, the skipped time is a gap', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0));
  const { lines, log } = capture();
  const store = new HistoryStore({ file: undefined, clock, log });
  everyMinute(clock, store, 2, 10);
  clock.jumpWall(3 * HOUR);
  everyMinute(clock, store, 1, 20);
  assert.equal(loads(store.series('ups', '24h', 'load')), [
    ['01-05T12:00', 10],
    ['01-05T12:01', 10],
    ['01-05T15:02', 20],
  ]);
  assert.match(lines.join('\n'), /info history: ups: the wall clock jumped forward by 3 h/);
});

test('a wall clock stepped forward by days (NTP after booting at 1970) leaves only the new data', () => {
  const clock = new StepClock(0);
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  everyMinute(clock, store, 3, 10);
  clock.jumpWall(Date.UTC(2026, 0, 5, 12, 0) - clock.wall);
  everyMinute(clock, store, 1, 20);
  assert.equal(loads(store.series('ups', '24h', 'load')), [['01-05T12:00', 20]]);
  assert.equal(loads(store.series('ups', '7d', 'load')), [['01-05T12:00', 20]]);
});

test('a wall clock set back a little (a reboot restoring an older saved time): history kept, recording resumes when it catches up', async () => {
  const dir = await tempDir();
  const file = join(dir, 'history.json');
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0));
  const before = new HistoryStore({ file, clock, log: silentLogger });
  everyMinute(clock, before, 30, 10);
  await before.stop();

  // The Pi reboots, its clock 20 minutes behind our last save, and no NTP comes.
  clock.jumpWall(-20 * MIN);
  const { lines, log } = capture();
  const after = new HistoryStore({ file, clock, log });
  await after.load();
  everyMinute(clock, after, 40, 20);
  const day = loads(after.series('ups', '24h', 'load'));
  assert.is(day.length, 30 + 20, 'the 30 saved minutes, then the 20 after the clock got back to them');
  assert.equal(day[28], ['01-05T12:28', 10], 'nothing written into the past');
  assert.equal(day[29], ['01-05T12:29', 15], 'the newest minute was still open: one saved sample of 10, one new of 20');
  assert.equal(day[30], ['01-05T12:30', 20]);
  assert.match(lines.join('\n'), /info history: ups: the wall clock is 2\d s|info history: ups: the wall clock is 1\d(\.\d)? min behind/);
  assert.match(lines.join('\n'), /caught up/);
  assert.not.match(lines.join('\n'), /warn/);
});

test('while the clock is behind, the chart still shows what was recorded', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0));
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  everyMinute(clock, store, 5, 10);
  clock.jumpWall(-2 * DAY);
  everyMinute(clock, store, 5, 99);
  assert.equal(loads(store.series('ups', '24h', 'load')).map(([, v]) => v), [10, 10, 10, 10, 10]);
});

test('a wall clock set back by days that stays there: after 15 minutes the UPS starts a fresh history', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0));
  const { lines, log } = capture();
  const store = new HistoryStore({ file: undefined, clock, log });
  everyMinute(clock, store, 10, 10);
  store.record('other', { load: 5 });
  clock.jumpWall(-3 * DAY);
  everyMinute(clock, store, 15, 20);
  assert.equal(loads(store.series('ups', '24h', 'load')).length, 10, 'still waiting: nothing written into the past');
  everyMinute(clock, store, 2, 30);
  assert.equal(loads(store.series('ups', '24h', 'load')), [
    ['01-02T12:25', 30],
    ['01-02T12:26', 30],
  ]);
  assert.equal(loads(store.series('ups', '7d', 'load')), [['01-02T12:20', 30]]);
  assert.match(lines.join('\n'), /warn history: ups: the wall clock has stayed 3 days behind the history for 15 min; starting a new history/);
  assert.is(loads(store.series('other', '24h', 'load')).length, 1, 'only the UPS that recorded is affected');
});

test('monotonic time is what counts while waiting: wall-clock minutes passing do not shorten the wait', () => {
  const clock = new StepClock(Date.UTC(2026, 0, 5, 12, 0));
  const store = new HistoryStore({ file: undefined, clock, log: silentLogger });
  everyMinute(clock, store, 5, 10);
  clock.jumpWall(-2 * DAY);
  store.record('ups', { load: 20 });
  clock.jumpWall(20 * MIN); // the wall moves 20 minutes, the monotonic clock not at all
  store.record('ups', { load: 20 });
  assert.equal(loads(store.series('ups', '24h', 'load')).map(([, v]) => v), [10, 10, 10, 10, 10]);
});

test.run();
