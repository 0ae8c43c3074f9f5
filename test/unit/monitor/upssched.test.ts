import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUpsschedConf } from '../../../src/conf/upssched-conf.js';
import { createLogger } from '../../../src/core/logger.js';
import { MAX_PENDING_TIMERS, Upssched } from '../../../src/monitor/upssched.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const UPS = 'ups@localhost:3493';

/** An Upssched over `rules` (CMDSCRIPT /bin/cmd), recording what it runs and logs. */
function setup(rules: string) {
  const clock = new FakeClock();
  const runs: Array<{ line: string; UPSNAME: string; NOTIFYTYPE: string; at: number }> = [];
  const logs: string[] = [];
  const log = createLogger('upssched', (level, room, message) => logs.push(`${level} ${room}: ${message}`), 'debug');
  const conf = parseUpsschedConf(`CMDSCRIPT /bin/cmd\n${rules}`, 'upssched.conf').conf;
  const sched = new Upssched(conf, {
    clock, log, runScript: (line, env) => runs.push({ line, ...env, at: clock.now() }),
  });
  return { clock, runs, logs, sched, lines: () => runs.map((r) => r.line) };
}

test('START-TIMER fires CMDSCRIPT <name> after the delay, with the starting event in the environment', async () => {
  const s = setup('AT ONBATT * START-TIMER onbatt 30\n');
  s.sched.handle('ONBATT', UPS);
  assert.equal(s.sched.pending(), [{ timer: 'onbatt', ups: UPS, dueInMs: 30000 }]);
  await s.clock.advance(29999);
  assert.equal(s.runs, []);
  assert.equal(s.sched.pending(), [{ timer: 'onbatt', ups: UPS, dueInMs: 1 }]);
  await s.clock.advance(1);
  assert.equal(s.runs, [{ line: '/bin/cmd onbatt', UPSNAME: UPS, NOTIFYTYPE: 'ONBATT', at: 30000 }]);
  assert.equal(s.sched.pending(), []);
  assert.equal(s.clock.pendingTimers(), 0);
  assert.ok(s.logs.includes(`info upssched: timer onbatt started (30 s) for ${UPS}`), s.logs.join('\n'));
  assert.ok(s.logs.includes(`info upssched: timer onbatt expired for ${UPS}: running CMDSCRIPT onbatt`), s.logs.join('\n'));
});

test('CANCEL-TIMER before expiry: nothing runs, not even its command', async () => {
  const s = setup('AT ONBATT * START-TIMER onbatt 30\nAT ONLINE * CANCEL-TIMER onbatt online-no-timer\n');
  s.sched.handle('ONBATT', UPS);
  await s.clock.advance(10000);
  s.sched.handle('ONLINE', UPS);
  await s.clock.advance(60000);
  assert.equal(s.runs, []);
  assert.equal(s.sched.pending(), []);
  assert.equal(s.clock.pendingTimers(), 0);
  assert.ok(s.logs.some((l) => l.includes('timer onbatt cancelled by ONLINE')));
});

test('CANCEL-TIMER with a command runs CMDSCRIPT <command> when no timer of that name is pending', async () => {
  const s = setup('AT ONLINE * CANCEL-TIMER onbatt online-no-timer\nAT COMMOK * CANCEL-TIMER commbad\n');
  s.sched.handle('ONLINE', UPS);
  assert.equal(s.runs, [{ line: '/bin/cmd online-no-timer', UPSNAME: UPS, NOTIFYTYPE: 'ONLINE', at: 0 }]);
  s.sched.handle('COMMOK', UPS);
  assert.is(s.runs.length, 1, 'without a command, nothing runs');
  // After the timer fired, it is no longer pending: the command runs again.
  const t = setup('AT ONBATT * START-TIMER onbatt 5\nAT ONLINE * CANCEL-TIMER onbatt back\n');
  t.sched.handle('ONBATT', UPS);
  await t.clock.advance(5000);
  t.sched.handle('ONLINE', UPS);
  assert.equal(t.lines(), ['/bin/cmd onbatt', '/bin/cmd back']);
});

test('EXECUTE runs at once; rules run in file order', () => {
  const s = setup('AT LOWBATT * EXECUTE first\nAT LOWBATT * START-TIMER later 1\nAT LOWBATT ups1@localhost EXECUTE second\n' +
    'AT ONBATT * EXECUTE other-type\n');
  s.sched.handle('LOWBATT', 'ups1@localhost');
  assert.equal(s.lines(), ['/bin/cmd first', '/bin/cmd second']);
  assert.equal(s.runs[1], { line: '/bin/cmd second', UPSNAME: 'ups1@localhost', NOTIFYTYPE: 'LOWBATT', at: 0 });
  assert.equal(s.sched.pending().map((p) => p.timer), ['later']);
});

test('the command line is CMDSCRIPT and the argument, unquoted, as upssched builds it', () => {
  const s = setup('AT SHUTDOWN * EXECUTE "notify shutdown now"\n');
  s.sched.handle('SHUTDOWN', '');
  assert.equal(s.runs, [{ line: '/bin/cmd notify shutdown now', UPSNAME: '', NOTIFYTYPE: 'SHUTDOWN', at: 0 }]);
  assert.ok(s.logs.some((l) => l.includes('SHUTDOWN for the system')));
});

test('"*" matches every UPS (and the empty name of system events); a name matches only exactly', () => {
  const s = setup('AT ONBATT * EXECUTE any\nAT ONBATT ups@localhost:3493 EXECUTE exact\nAT ONBATT ups@localhost EXECUTE short\n' +
    'AT ONBATT UPS@localhost:3493 EXECUTE upper\n');
  s.sched.handle('ONBATT', UPS);
  assert.equal(s.lines(), ['/bin/cmd any', '/bin/cmd exact']);
  s.sched.handle('ONBATT', 'other@nas');
  assert.equal(s.lines(), ['/bin/cmd any', '/bin/cmd exact', '/bin/cmd any']);
  s.sched.handle('ONBATT', '');
  assert.is(s.runs.length, 4);
});

test('the notify type is matched whatever its case in the file; other types do nothing', () => {
  const s = setup('AT onbatt * EXECUTE x\n');
  s.sched.handle('ONLINE', UPS);
  assert.equal(s.runs, []);
  s.sched.handle('ONBATT', UPS);
  assert.equal(s.lines(), ['/bin/cmd x']);
});

test('two STARTs of one name are two timers; one CANCEL removes only the first (2.8.0)', async () => {
  const s = setup('AT ONBATT * START-TIMER t 30\nAT ONLINE * CANCEL-TIMER t\n');
  s.sched.handle('ONBATT', 'a@h');
  await s.clock.advance(10000);
  s.sched.handle('ONBATT', 'b@h');
  assert.equal(s.sched.pending(), [{ timer: 't', ups: 'a@h', dueInMs: 20000 }, { timer: 't', ups: 'b@h', dueInMs: 30000 }]);
  // Timers are global by name: b's ONLINE cancels the one a started.
  s.sched.handle('ONLINE', 'b@h');
  assert.equal(s.sched.pending(), [{ timer: 't', ups: 'b@h', dueInMs: 30000 }]);
  assert.ok(s.logs.some((l) => l.includes('timer t cancelled by ONLINE for b@h (it was started for a@h)')));
  await s.clock.advance(30000);
  assert.equal(s.runs, [{ line: '/bin/cmd t', UPSNAME: 'b@h', NOTIFYTYPE: 'ONBATT', at: 40000 }]);
});

test('two timers of one name both fire when nobody cancels them', async () => {
  const s = setup('AT ONBATT * START-TIMER t 5\n');
  s.sched.handle('ONBATT', 'a@h');
  await s.clock.advance(1000);
  s.sched.handle('ONBATT', 'b@h');
  await s.clock.advance(10000);
  assert.equal(s.runs.map((r) => [r.line, r.UPSNAME, r.at]), [['/bin/cmd t', 'a@h', 5000], ['/bin/cmd t', 'b@h', 6000]]);
});

test('a zero-second timer fires on the next turn, not inside handle()', async () => {
  const s = setup('AT COMMBAD * START-TIMER now 0\n');
  s.sched.handle('COMMBAD', UPS);
  assert.equal(s.runs, []);
  await s.clock.advance(0);
  assert.equal(s.lines(), ['/bin/cmd now']);
});

test('wall clock jumps change nothing', async () => {
  const s = setup('AT ONBATT * START-TIMER onbatt 30\n');
  s.sched.handle('ONBATT', UPS);
  s.clock.jumpWall(3600_000);
  await s.clock.advance(1000);
  assert.equal(s.runs, []);
  s.clock.jumpWall(-86400_000 * 365);
  assert.equal(s.sched.pending(), [{ timer: 'onbatt', ups: UPS, dueInMs: 29000 }]);
  await s.clock.advance(29000);
  assert.equal(s.lines(), ['/bin/cmd onbatt']);
});

test('stop() cancels every timer and later events do nothing', async () => {
  const s = setup('AT ONBATT * START-TIMER a 5\nAT ONBATT * START-TIMER b 10\nAT ONLINE * EXECUTE online\n');
  s.sched.handle('ONBATT', UPS);
  assert.is(s.clock.pendingTimers(), 2);
  s.sched.stop();
  assert.equal(s.sched.pending(), []);
  assert.is(s.clock.pendingTimers(), 0);
  s.sched.handle('ONLINE', UPS);
  await s.clock.advance(60000);
  assert.equal(s.runs, []);
});

test('pending timers are bounded: past the limit a START is refused with a warning', () => {
  const s = setup('AT ONBATT * START-TIMER t 60\n');
  for (let i = 0; i < MAX_PENDING_TIMERS + 3; i++) s.sched.handle('ONBATT', UPS);
  assert.is(s.sched.pending().length, MAX_PENDING_TIMERS);
  assert.is(s.logs.filter((l) => l.startsWith('warn upssched: timer t') && l.includes('not started')).length, 3);
});

test('a runScript that throws costs that rule only', () => {
  const clock = new FakeClock();
  const ran: string[] = [];
  const logs: string[] = [];
  const conf = parseUpsschedConf('CMDSCRIPT /bin/cmd\nAT ONBATT * EXECUTE boom\nAT ONBATT * EXECUTE next\n', 'upssched.conf').conf;
  const sched = new Upssched(conf, {
    clock, log: createLogger('upssched', (_l, _r, m) => logs.push(m)),
    runScript: (line) => {
      ran.push(line);
      if (line.endsWith('boom')) throw new Error('spawn failed');
    },
  });
  sched.handle('ONBATT', UPS);
  assert.equal(ran, ['/bin/cmd boom', '/bin/cmd next']);
  assert.ok(logs.some((m) => m.includes('upssched.conf:2 failed: spawn failed')));
});

test.run();
