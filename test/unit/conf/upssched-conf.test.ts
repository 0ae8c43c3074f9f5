import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfError } from '../../../src/conf/errors.js';
import { checkUpsschedAgainstUpsmon, parseUpsschedConf, writeUpsschedConf, type UpsschedConf } from '../../../src/conf/upssched-conf.js';
import { parseUpsmonConf } from '../../../src/conf/upsmon-conf.js';
import { assertError, confError, soup, withoutPositions } from './helpers.js';

const HEAD = 'CMDSCRIPT /usr/local/bin/upssched-cmd\n';
const parse = (s: string) => parseUpsschedConf(s, 'upssched.conf');
const conf = (s: string) => parse(HEAD + s).conf;
const fail = (s: string) => confError(() => parse(s));
/** Errors in `s` are on line 2. */
const failAt = (s: string) => fail(HEAD + s);

test('an empty file is fine: no script, no rules', () => {
  assert.equal(parse(''), {
    conf: { file: 'upssched.conf', cmdScript: undefined, pipeFn: undefined, lockFn: undefined, rules: [] },
    warnings: [],
  });
});

test('CMDSCRIPT, PIPEFN, LOCKFN and DEBUG_MIN are read; PIPEFN and LOCKFN are accepted without a word', () => {
  const r = parse('CMDSCRIPT "/usr/bin/sudo /usr/local/bin/custom-upssched-cmd"\nPIPEFN /run/nut/upssched.pipe\n' +
    'LOCKFN /run/nut/upssched.lock\ndebug_min 2\n');
  assert.equal(r.warnings, []);
  assert.equal([r.conf.cmdScript, r.conf.pipeFn, r.conf.lockFn, r.conf.debugMin],
    ['/usr/bin/sudo /usr/local/bin/custom-upssched-cmd', '/run/nut/upssched.pipe', '/run/nut/upssched.lock', 2]);
});

test('AT rules: the three actions, types stored upper-case, UPS names kept exactly', () => {
  const c = conf('AT ONBATT * START-TIMER onbatt 30\nAT online UPS@localhost CANCEL-TIMER onbatt\n' +
    'AT ONLINE * CANCEL-TIMER onbatt online-no-timer\nAT LowBatt ups1@localhost EXECUTE lowbatt-now\n' +
    'AT COMMBAD * START-TIMER now 0\nAT SHUTDOWN "" EXECUTE "notify shutdown"\n');
  assert.equal(withoutPositions(c.rules), [
    { notifyType: 'ONBATT', ups: '*', action: 'START-TIMER', timer: 'onbatt', seconds: 30 },
    { notifyType: 'ONLINE', ups: 'UPS@localhost', action: 'CANCEL-TIMER', timer: 'onbatt' },
    { notifyType: 'ONLINE', ups: '*', action: 'CANCEL-TIMER', timer: 'onbatt', command: 'online-no-timer' },
    { notifyType: 'LOWBATT', ups: 'ups1@localhost', action: 'EXECUTE', command: 'lowbatt-now' },
    { notifyType: 'COMMBAD', ups: '*', action: 'START-TIMER', timer: 'now', seconds: 0 },
    { notifyType: 'SHUTDOWN', ups: '', action: 'EXECUTE', command: 'notify shutdown' },
  ]);
  assert.equal(c.rules[1]?.pos, { file: 'upssched.conf', line: 3, column: 1 });
});

test('CMDSCRIPT must come before the first AT line (upssched 2.8.0 stops otherwise), and only once', () => {
  assertError(fail('AT ONBATT * EXECUTE x\n'), 'upssched.conf:1:1', 'there is no CMDSCRIPT', 'CMDSCRIPT must be set before any ATs');
  assertError(fail('PIPEFN /run/p\nAT ONBATT * EXECUTE x\nCMDSCRIPT /bin/cmd\n'), 'upssched.conf:3:11', 'comes after the AT line at line 2',
    'move CMDSCRIPT above the first AT line');
  assertError(fail(`${HEAD}CMDSCRIPT /bin/other\n`), 'upssched.conf:2:11', 'already set at line 1');
  // PIPEFN and LOCKFN are not needed, so their place does not matter.
  assert.is(conf('AT ONBATT * EXECUTE x\nPIPEFN /run/p\nLOCKFN /run/l\n').lockFn, '/run/l');
});

test('AT line refusals: too short, unknown type, unknown action, case, missing seconds, extra words', () => {
  assertError(failAt('AT ONBATT * START-TIMER\n'), 'upssched.conf:2:1', 'at least five words', 'AT <notifytype> <ups|*>');
  assertError(failAt('AT ONBAT * EXECUTE x\n'), 'upssched.conf:2:4', 'unknown notify type "ONBAT"', 'accepted: ONLINE, ONBATT');
  assertError(failAt('AT ONBATT * RUN x\n'), 'upssched.conf:2:13', 'unknown action "RUN"', 'Invalid command',
    'accepted: START-TIMER, CANCEL-TIMER, EXECUTE');
  assertError(failAt('AT ONBATT * execute x\n'), 'upssched.conf:2:13', 'actions are case-sensitive: write EXECUTE');
  assertError(failAt('AT ONBATT * START-TIMER onbatt\n'), 'upssched.conf:2:25', 'needs a timer name and the seconds',
    'START-TIMER onbatt 30');
  assertError(failAt('AT ONBATT * START-TIMER onbatt 30 extra\n'), 'upssched.conf:2:35', 'START-TIMER takes 2 value(s)');
  assertError(failAt('AT ONBATT * EXECUTE notify all\n'), 'upssched.conf:2:28', 'EXECUTE takes 1 value(s)', '"notify all"');
  assertError(failAt('AT ONLINE * CANCEL-TIMER t a b\n'), 'upssched.conf:2:30', 'CANCEL-TIMER takes 2 value(s)');
});

test('START-TIMER seconds: a whole number, not negative (upssched ignores a "bogus offset")', () => {
  assertError(failAt('AT ONBATT * START-TIMER t -5\n'), 'upssched.conf:2:27', 'out of range', 'from 0 to 2147483');
  assertError(failAt('AT ONBATT * START-TIMER t 30s\n'), 'upssched.conf:2:27', 'not a whole number');
  assertError(failAt('AT ONBATT * START-TIMER t 9999999\n'), 'upssched.conf:2:27', 'out of range');
});

test('empty names and commands are refused', () => {
  assertError(failAt('AT ONBATT * EXECUTE ""\n'), 'upssched.conf:2:21', 'EXECUTE command is empty', 'Empty EXECUTE command argument');
  assertError(failAt('AT ONBATT * START-TIMER "" 5\n'), 'upssched.conf:2:25', 'timer name is empty');
  assertError(failAt('AT ONLINE * CANCEL-TIMER t ""\n'), 'upssched.conf:2:28', 'CANCEL-TIMER command is empty');
  assertError(fail('CMDSCRIPT ""\n'), 'upssched.conf:1:11', 'CMDSCRIPT is empty');
});

test('2.8.5 START-TIMER-SHARED and CANCEL-TIMER-MATCHED are refused with the 2.8.0 action to use', () => {
  assertError(failAt('AT ONBATT * START-TIMER-SHARED t 5\n'), 'upssched.conf:2:13', 'not in NUT 2.8.0', 'use START-TIMER');
  assertError(failAt('AT ONLINE * CANCEL-TIMER-MATCHED t\n'), 'upssched.conf:2:13', 'use CANCEL-TIMER');
});

test('directives: case-sensitive, unknown ones listed, unquoted script with spaces, "="', () => {
  assertError(fail('cmdscript /bin/x\n'), 'upssched.conf:1:1', 'keywords are case-sensitive: write CMDSCRIPT');
  assertError(fail('at ONBATT * EXECUTE x\n'), 'upssched.conf:1:1', 'write AT');
  assertError(fail('NOTIFYCMD x\n'), 'upssched.conf:1:1', 'unknown directive "NOTIFYCMD"', 'accepted: CMDSCRIPT, PIPEFN, LOCKFN, AT, DEBUG_MIN');
  assertError(fail('CMDSCRIPT /usr/bin/sudo /usr/local/bin/cmd\n'), 'upssched.conf:1:25', 'would keep only "/usr/bin/sudo"',
    'CMDSCRIPT "/usr/bin/sudo /usr/local/bin/cmd"');
  assertError(fail('CMDSCRIPT /bin/x --level=2\n'), 'upssched.conf:1:18', 'CMDSCRIPT "/bin/x --level=2"');
  assertError(fail('CMDSCRIPT = /bin/x\n'), 'upssched.conf:1:11', 'takes no "="', 'write CMDSCRIPT /bin/x');
  assertError(fail('CMDSCRIPT\n'), 'upssched.conf:1:1', 'incomplete');
  assertError(fail('x = y\n'), 'upssched.conf:1:1', 'has no "="');
});

test('real world: Suffield-style file with per-UPS timers', () => {
  const r = parse('# upssched.conf for the central server\nCMDSCRIPT /usr/local/bin/upssched-dispatch\n' +
    'PIPEFN /var/run/nut/upssched.pipe\nLOCKFN /var/run/nut/upssched.lock\n\n' +
    'AT ONBATT nicole@localhost START-TIMER nicole-onbatt 30\nAT ONLINE nicole@localhost CANCEL-TIMER nicole-onbatt\n' +
    'AT ONBATT paris@localhost START-TIMER paris-onbatt 30\nAT ONLINE paris@localhost CANCEL-TIMER paris-onbatt\n' +
    'AT LOWBATT * EXECUTE lowbatt\nAT COMMBAD * START-TIMER commbad 60\nAT COMMOK * CANCEL-TIMER commbad commok\n' +
    'AT REPLBATT * EXECUTE replbatt\nAT SHUTDOWN * EXECUTE shutdown\n');
  assert.equal(r.warnings, []);
  assert.is(r.conf.rules.length, 9);
  assert.equal(r.conf.rules.filter((x) => x.ups !== '*').map((x) => x.ups),
    ['nicole@localhost', 'nicole@localhost', 'paris@localhost', 'paris@localhost']);
});

test('real world: a TrueNAS-generated upssched.conf', () => {
  const r = parse('CMDSCRIPT   "/usr/bin/sudo /usr/local/bin/custom-upssched-cmd"\nPIPEFN      /var/run/nut/upssched.pipe\n' +
    'LOCKFN      /var/run/nut/upssched.lock\n\nAT NOCOMM   * EXECUTE NOTIFY-NOCOMM\nAT COMMBAD  * START-TIMER NOTIFY-COMMBAD 10\n' +
    'AT COMMOK   * CANCEL-TIMER NOTIFY-COMMBAD COMMOK\nAT FSD      * EXECUTE NOTIFY-FSD\nAT LOWBATT  * EXECUTE NOTIFY-LOWBATT\n' +
    'AT ONBATT   * EXECUTE NOTIFY-ONBATT\nAT ONLINE   * EXECUTE NOTIFY-ONLINE\nAT REPLBATT * EXECUTE NOTIFY-REPLBATT\n' +
    'AT SHUTDOWN * EXECUTE NOTIFY-SHUTDOWN\nAT ONBATT   * START-TIMER SHUTDOWN 300\nAT ONLINE   * CANCEL-TIMER SHUTDOWN\n');
  assert.equal(r.warnings, []);
  assert.is(r.conf.rules.length, 11);
  assert.equal(withoutPositions(r.conf.rules[2]), { notifyType: 'COMMOK', ups: '*', action: 'CANCEL-TIMER', timer: 'NOTIFY-COMMBAD', command: 'COMMOK' });
});

test('checked against upsmon.conf: types without EXEC and UPS names no MONITOR line has never fire', () => {
  const upsmon = parseUpsmonConf('MONITOR ups@localhost:3493 1 u p primary\nSHUTDOWNCMD x\nNOTIFYCMD upssched\n' +
    'NOTIFYFLAG ONBATT SYSLOG+EXEC\nNOTIFYFLAG ONLINE SYSLOG+EXEC\n', 'upsmon.conf').conf;
  const sched = conf('AT ONBATT ups@localhost:3493 START-TIMER t 5\nAT ONLINE ups@localhost CANCEL-TIMER t\n' +
    'AT LOWBATT * EXECUTE low\nAT LOWBATT * EXECUTE again\n');
  const w = checkUpsschedAgainstUpsmon(sched, upsmon);
  assert.equal(w.map((x) => x.line), [3, 4], 'one warning for the name, one for LOWBATT (not repeated)');
  assert.ok(w[0]?.message.includes('did you mean ups@localhost:3493?'));
  assert.ok(w[1]?.message.includes('NOTIFYFLAG LOWBATT SYSLOG+WALL+EXEC'));
  assert.equal(checkUpsschedAgainstUpsmon(conf('AT ONBATT * EXECUTE x\n'), upsmon), []);
});

test('write then parse gives the same configuration', () => {
  const text = 'CMDSCRIPT "/usr/bin/sudo /bin/cmd \\"x\\""\nPIPEFN /run/p\nLOCKFN "/run/my lock"\nDEBUG_MIN 1\n' +
    'AT ONBATT * START-TIMER onbatt 30\nAT online "my ups@h" CANCEL-TIMER onbatt "run this"\nAT LOWBATT u@h EXECUTE low\n' +
    'AT ONLINE * CANCEL-TIMER onbatt\nAT SHUTDOWN "" EXECUTE "a\\#b"\n';
  const c = parse(text).conf;
  assert.equal(withoutPositions(parse(writeUpsschedConf(c)).conf), withoutPositions(c));
  assert.is(writeUpsschedConf(conf('AT onbatt * START-TIMER t 5\n')), `${HEAD}\nAT ONBATT * START-TIMER t 5\n`);
});

test('config soup never crashes: each input fails with a ConfError, or reads and round-trips', () => {
  let read = 0;
  const lines = [
    'CMDSCRIPT /bin/cmd', 'PIPEFN /run/p', 'LOCKFN /run/l', 'AT ONBATT * START-TIMER onbatt 30', 'AT ONLINE * CANCEL-TIMER onbatt',
    'AT ONLINE u@h CANCEL-TIMER onbatt now', 'AT LOWBATT * EXECUTE "a b"', 'DEBUG_MIN 3', '# comment', '',
  ];
  for (const text of soup(4000, 5, lines)) {
    let c: UpsschedConf;
    try {
      c = parse(text).conf;
    } catch (e) {
      assert.instance(e, ConfError);
      continue;
    }
    read++;
    assert.equal(withoutPositions(parse(writeUpsschedConf(c)).conf), withoutPositions(c), JSON.stringify(text));
  }
  assert.ok(read >= 300, `only ${read} inputs were readable`);
});

test.run();
