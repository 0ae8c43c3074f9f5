import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Level } from '../../../src/core/logger.js';
import { EnergyMeter } from '../../../src/mqtt-bridge/energy.js';
import { FakeClock } from '../../helpers/fake-clock.js';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger('mqtt', (level: Level, _room, m) => lines.push(`${level} ${m}`)) };
}

test('integrates watts over monotonic time: 600 W for an hour is 0.6 kWh', async () => {
  const clock = new FakeClock();
  const m = new EnergyMeter(clock);
  assert.is(m.kwh('ups'), undefined, 'no real power yet: no energy');
  m.record('ups', 600);
  assert.is(m.kwh('ups'), 0);
  for (let i = 0; i < 60; i++) {
    await clock.advance(60_000);
    m.record('ups', 600);
  }
  assert.is(m.kwh('ups'), 0.6);
});

test('a wall-clock jump adds nothing; a gap over 5 minutes (stale data) is not integrated', async () => {
  const clock = new FakeClock();
  const m = new EnergyMeter(clock);
  m.record('ups', 1000);
  clock.jumpWall(86_400_000);
  await clock.advance(6 * 60_000);
  m.record('ups', 1000);
  assert.is(m.kwh('ups'), 0);
  await clock.advance(36_000);
  m.record('ups', null);
  assert.is(m.kwh('ups'), 0.01);
  await clock.advance(36_000);
  m.record('ups', 1000);
  assert.is(m.kwh('ups'), 0.01, 'after an unknown reading nothing is counted for the unknown span');
});

test('totals survive a restart through the state file (written 0644, atomically)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-energy-'));
  const file = join(dir, 'energy.json');
  const clock = new FakeClock();
  const { log, lines } = capture();
  const a = await EnergyMeter.load(file, clock, log);
  a.record('ups', 3600);
  await clock.advance(1000);
  a.record('ups', 3600);
  await a.save(file);
  assert.equal(JSON.parse(await readFile(file, 'utf8')), { energyKwh: { ups: 0.001 } });
  assert.is((await stat(file)).mode & 0o777, 0o644);
  const b = await EnergyMeter.load(file, clock, log);
  assert.is(b.kwh('ups'), 0.001);
  assert.equal(lines, []);
});

test('a damaged state file is reported by name and counting restarts from 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-energy-'));
  const file = join(dir, 'energy.json');
  await writeFile(file, '{"energyKwh": {"ups": -3}}');
  const { log, lines } = capture();
  const m = await EnergyMeter.load(file, new FakeClock(), log);
  assert.is(m.kwh('ups'), undefined);
  assert.match(lines.join('\n'), `warn ${file}: not an energy totals file`);
});

test.run();
