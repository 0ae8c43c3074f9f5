// killpower: each UPS told to cut the load in sdorder order (0 first, -1 never), one at a time,
// through the command router; sdcommands tried in order; a refusal does not stop the others.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandOutcome, CommandTarget } from '../../../src/core/command-target.js';
import { CommandRouter } from '../../../src/core/command-router.js';
import { Device } from '../../../src/core/device.js';
import { createLogger } from '../../../src/core/logger.js';
import { TrackingTable } from '../../../src/core/tracking.js';
import { killpower, shutdownCommands } from '../../../src/monitor/killpower.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const test = suite('monitor: killpower');

function ups(name: string, commands: string[], answers: Record<string, CommandOutcome>, calls: string[], clock: FakeClock): Device {
  const d = new Device(name, clock);
  for (const c of commands) d.addCmd(c);
  const target: CommandTarget = {
    instcmd: async (command) => {
      calls.push(`${name} ${command}`);
      return answers[command] ?? 'unknown';
    },
    setVariable: async () => 'unknown',
  };
  d.bindCommandTarget(target);
  return d;
}

test('sdorder order, -1 left on, sdcommands tried until one is accepted, refusals reported', async () => {
  const clock = new FakeClock();
  const calls: string[] = [];
  const log: string[] = [];
  const logger = createLogger('killpower', (level, _room, m) => log.push(`${level} ${m}`));
  const router = new CommandRouter(new TrackingTable(clock, 3600_000));
  const bigone = ups('bigone', ['shutdown.return'], { 'shutdown.return': 'success' }, calls, clock);
  const littleguy = ups('littleguy', ['load.off.delay', 'shutdown.return'], { 'shutdown.return': 'success' }, calls, clock);
  const misc = ups('misc', ['shutdown.return'], { 'shutdown.return': 'failed' }, calls, clock);
  const keep = ups('keep', ['shutdown.return'], { 'shutdown.return': 'success' }, calls, clock);
  const results = await killpower(
    [
      { device: bigone, sdorder: 2, commands: shutdownCommands(undefined) },
      { device: littleguy, sdorder: 1, commands: shutdownCommands('shutdown.stayoff, load.off.delay,shutdown.return') },
      { device: misc, sdorder: 0, commands: shutdownCommands('') },
      { device: keep, sdorder: -1, commands: shutdownCommands(undefined) },
    ],
    router,
    logger,
  );
  // seed 002: "the order of shutdowns would be misc, littleguy, and then bigone".
  // driver.killpower is asked first (unlisted); these drivers do not know it and answer unknown.
  assert.equal(calls, ['misc driver.killpower', 'misc shutdown.return', 'littleguy load.off.delay', 'littleguy shutdown.return', 'bigone driver.killpower', 'bigone shutdown.return']);
  assert.equal(results.map((r) => [r.ups, r.accepted]), [['misc', undefined], ['littleguy', 'shutdown.return'], ['bigone', 'shutdown.return']]);
  assert.equal(results[1]!.attempts, ['shutdown.stayoff: not supported by this UPS', 'load.off.delay: unknown', 'shutdown.return: success']);
  assert.ok(log.some((l) => l.startsWith('error killpower: UPS misc (sdorder 0) did not take a shutdown command (driver.killpower: unknown; shutdown.return: failed)')));
  assert.ok(log.some((l) => l === 'info killpower: UPS keep has sdorder -1: left on'));
});

test('a UPS without a driver is reported, not skipped silently', async () => {
  const clock = new FakeClock();
  const router = new CommandRouter(new TrackingTable(clock, 3600_000));
  const d = new Device('lonely', clock);
  d.addCmd('shutdown.return');
  const [r] = await killpower([{ device: d, sdorder: 0, commands: ['shutdown.return'] }], router, createLogger('k', () => {}));
  assert.equal(r!.attempts, ['shutdown.return: no driver']);
  assert.is(r!.accepted, undefined);
});

test.run();
