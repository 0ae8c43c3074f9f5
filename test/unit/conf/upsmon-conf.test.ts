import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfError } from '../../../src/conf/errors.js';
import { defaultNotifyFlags } from '../../../src/conf/notify-types.js';
import { loadUpsmonConf, parseUpsmonConf } from '../../../src/conf/upsmon-conf.js';
import { writeUpsmonConf } from '../../../src/conf/upsmon-conf-writer.js';
import { defaultUpsmonConf, type UpsmonConf } from '../../../src/conf/upsmon-model.js';
import { assertError, confError, confErrorAsync, soup } from './helpers.js';

const MON = 'MONITOR ups@localhost 1 upsmon secret primary\n';
const CMD = 'SHUTDOWNCMD "/sbin/shutdown -h +0"\n';
const parse = (s: string) => parseUpsmonConf(s, 'upsmon.conf');
/** A file with one MONITOR and a SHUTDOWNCMD, plus `s`. */
const conf = (s: string) => parse(MON + CMD + s).conf;
const fail = (s: string) => confError(() => parse(s));
/** Same as `fail`, with the MONITOR and SHUTDOWNCMD lines first (errors in `s` are on line 3). */
const failAfter = (s: string) => fail(MON + CMD + s);

/** Positions removed everywhere (`pos` and the `positions` map), for round-trip comparisons. */
function plain(c: UpsmonConf): unknown {
  return JSON.parse(JSON.stringify(c, (key, v) => (key === 'pos' || key === 'positions' ? undefined : v)));
}

test('defaults are upsmon 2.8 defaults', () => {
  const d = defaultUpsmonConf();
  assert.equal(
    [d.file, d.minSupplies, d.pollFreq, d.pollFreqAlert, d.deadTime, d.hostSync, d.finalDelay, d.noCommWarnTime, d.rbWarnTime],
    ['upsmon.conf', 1, 5, 5, 15, 15, 5, 300, 43200],
  );
  assert.equal([d.offDuration, d.oblbDuration, d.overDuration, d.alarmCritical, d.pollFailLogThrottleMax], [30, 0, -1, true, -1]);
  assert.equal([d.shutdownCmd, d.shutdownExitSeconds, d.powerDownFlag, d.notifyCmd, d.runAsUser], [undefined, 0, undefined, undefined, undefined]);
  assert.equal([d.certPath, d.certIdent, d.certVerify, d.forceSsl, d.certHosts, d.debugMin], [undefined, undefined, false, false, [], undefined]);
  assert.equal([d.monitors, d.notifyMessages, d.notifyFlags, d.positions], [[], {}, {}, {}]);
  assert.is(defaultUpsmonConf('/etc/nut/upsmon.conf').file, '/etc/nut/upsmon.conf');
});

test('a minimal file: one MONITOR, everything else default, no warnings', () => {
  const r = parse(MON + CMD);
  assert.equal(r.warnings, []);
  assert.equal(r.conf.monitors, [{
    system: 'ups@localhost', upsName: 'ups', host: 'localhost', port: 3493, powerValue: 1, username: 'upsmon',
    password: 'secret', role: 'primary', pos: { file: 'upsmon.conf', line: 1, column: 9 },
  }]);
  assert.equal({ ...r.conf, monitors: [], shutdownCmd: undefined, positions: {} }, defaultUpsmonConf('upsmon.conf'));
});

test('MONITOR: system forms, power values, the four type spellings', () => {
  const c = parse(
    'MONITOR ups 0 u p secondary\nMONITOR su700@server.example.com 1 upsmon "pass word" slave\n' +
      'MONITOR fenton@bigbox:5678 2 u p master\nMONITOR a@[::1] 0 u p Primary\nMONITOR b@[fe80::1]:3494 0 u p SECONDARY\n' +
      'MONITOR c@192.168.1.10:3493 0 u p primary\nMONITOR d@my_host 0 u p primary\n' + CMD,
  ).conf;
  assert.equal(c.monitors.map((m) => [m.system, m.upsName, m.host, m.port, m.powerValue, m.role]), [
    ['ups', 'ups', 'localhost', 3493, 0, 'secondary'],
    ['su700@server.example.com', 'su700', 'server.example.com', 3493, 1, 'secondary'],
    ['fenton@bigbox:5678', 'fenton', 'bigbox', 5678, 2, 'primary'],
    ['a@[::1]', 'a', '::1', 3493, 0, 'primary'],
    ['b@[fe80::1]:3494', 'b', 'fe80::1', 3494, 0, 'secondary'],
    ['c@192.168.1.10:3493', 'c', '192.168.1.10', 3493, 0, 'primary'],
    ['d@my_host', 'd', 'my_host', 3493, 0, 'primary'],
  ]);
  assert.is(c.monitors[1]?.password, 'pass word');
  assert.equal(c.monitors[4]?.pos, { file: 'upsmon.conf', line: 5, column: 9 });
});

test('MONITOR refusals: old 4-value form, missing type, incomplete, extra words, bad type, duplicates', () => {
  assertError(fail('MONITOR ups@localhost 1 secret primary\n'), 'upsmon.conf:1:1', 'old form without a username',
    'Unable to use old-style MONITOR line', 'MONITOR <system> <powervalue> <username> <password> primary|secondary');
  assertError(fail('MONITOR ups@localhost 1 upsmon secret\n'), 'upsmon.conf:1:1', 'the type is missing');
  assertError(fail('MONITOR ups@localhost 1\n'), 'upsmon.conf:1:1', 'incomplete', 'MONITOR <system>');
  assertError(fail('MONITOR ups@localhost 1 upsmon my secret primary\n'), 'upsmon.conf:1:42', 'takes 5 value(s)', 'quote a value');
  assertError(fail('MONITOR ups@localhost 1 upsmon secret boss\n'), 'upsmon.conf:1:39', 'MONITOR type "boss"',
    'silently monitor as a secondary', 'primary, secondary (or the old names master, slave)');
  assertError(fail(`${MON}MONITOR ups@localhost 0 other pw secondary\n`), 'upsmon.conf:2:9', 'repeats line 1', 'ignoring duplicate UPS');
  assertError(fail('MONITOR ups "" u pw primary\n'), 'upsmon.conf:1:13', 'power value "" is not a whole number');
  assertError(fail('MONITOR ups 1 "" pw primary\n'), 'upsmon.conf:1:15', 'username is empty');
  assertError(fail('MONITOR ups 1 u "" primary\n'), 'upsmon.conf:1:17', 'password is empty');
});

test('MONITOR power value: a whole number >= 0 (upsmon would read "1x" as 1 and ignore -1)', () => {
  assertError(fail('MONITOR ups -1 u p primary\n'), 'upsmon.conf:1:13', 'MONITOR power value -1 is out of range', 'from 0 to');
  assertError(fail('MONITOR ups 1x u p primary\n'), 'upsmon.conf:1:13', 'not a whole number');
  assertError(fail('MONITOR ups 1.5 u p primary\n'), 'upsmon.conf:1:13', 'not a whole number');
});

test('MONITOR system refusals, each with the accepted forms', () => {
  const forms = 'accepted: <upsname>, <upsname>@<host>';
  assertError(fail('MONITOR ups@::1 1 u p primary\n'), 'upsmon.conf:1:9', 'needs brackets', 'write ups@[::1]', forms);
  assertError(fail('MONITOR ups@[::1 1 u p primary\n'), 'upsmon.conf:1:9', 'never closed');
  assertError(fail('MONITOR ups@[::1]x 1 u p primary\n'), 'upsmon.conf:1:9', '"x" after "]"');
  assertError(fail('MONITOR ups@host: 1 u p primary\n'), 'upsmon.conf:1:9', 'the port "" is not a whole number');
  assertError(fail('MONITOR ups@host:3493x 1 u p primary\n'), 'upsmon.conf:1:9', 'the port "3493x"');
  assertError(fail('MONITOR ups@host:0 1 u p primary\n'), 'upsmon.conf:1:9', 'from 1 to 65535');
  assertError(fail('MONITOR @host 1 u p primary\n'), 'upsmon.conf:1:9', 'UPS name before "@" is empty');
  assertError(fail('MONITOR ups@ 1 u p primary\n'), 'upsmon.conf:1:9', 'host after "@" is empty');
  assertError(fail('MONITOR ups@a@b 1 u p primary\n'), 'upsmon.conf:1:9', 'more than one "@"');
  assertError(fail('MONITOR ups:3494 1 u p primary\n'), 'upsmon.conf:1:9', 'a port needs a host', 'ups@localhost:3494');
  assertError(fail('MONITOR "my ups@host" 1 u p primary\n'), 'upsmon.conf:1:9', 'sends unquoted');
  assertError(fail('MONITOR ups@bad!host 1 u p primary\n'), 'upsmon.conf:1:9', '"bad!host" is not a host name');
});

test('a file without MONITOR is refused: the monitor only starts when upsmon.conf exists', () => {
  assertError(fail(''), 'upsmon.conf:1:1', 'no MONITOR line', 'MONITOR ups@localhost 1 upsmon secret primary');
  assertError(fail(`MINSUPPLIES 0\n${CMD}`), 'upsmon.conf:1:1', 'no MONITOR line');
});

test('power values below MINSUPPLIES are refused: it would shut down at once', () => {
  assertError(fail('MONITOR ups 0 u p primary\n'), 'upsmon.conf:1:9', 'add up to 0', 'MINSUPPLIES 1', 'would shut down at once',
    'Impossible power configuration');
  assertError(fail(`${MON}MONITOR b 1 u p primary\nMINSUPPLIES 3\n`), 'upsmon.conf:3:13', 'add up to 2, less than MINSUPPLIES 3');
  assert.is(conf('MINSUPPLIES 0\n').minSupplies, 0);
  assert.is(parse(`MONITOR ups 0 u p secondary\nMINSUPPLIES 0\n${CMD}`).conf.monitors[0]?.powerValue, 0);
  assert.is(parse(`MONITOR a 2 u p primary\nMONITOR b 2 u p primary\nMINSUPPLIES 4\n${CMD}`).conf.minSupplies, 4);
});

test('every number directive is read', () => {
  const c = conf(
    'MINSUPPLIES 1\nPOLLFREQ 10\nPOLLFREQALERT 2\nDEADTIME 30\nHOSTSYNC 0\nFINALDELAY 0\nNOCOMMWARNTIME 600\n' +
      'RBWARNTIME 31536000\nOFFDURATION -1\nOBLBDURATION 20\nOVERDURATION 60\nPOLLFAIL_LOG_THROTTLE_MAX 10\nDEBUG_MIN 2\n',
  );
  assert.equal(
    [c.minSupplies, c.pollFreq, c.pollFreqAlert, c.deadTime, c.hostSync, c.finalDelay, c.noCommWarnTime, c.rbWarnTime],
    [1, 10, 2, 30, 0, 0, 600, 31536000],
  );
  assert.equal([c.offDuration, c.oblbDuration, c.overDuration, c.pollFailLogThrottleMax, c.debugMin], [-1, 20, 60, 10, 2]);
  assert.equal(c.positions.POLLFREQ, { file: 'upsmon.conf', line: 4, column: 10 });
});

test('values upsmon reads the same way are stored the same way', () => {
  assert.is(conf('OBLBDURATION -5\n').oblbDuration, 0);
  assert.is(conf('POLLFAIL_LOG_THROTTLE_MAX -7\n').pollFailLogThrottleMax, -1);
  assert.is(conf('OFFDURATION 0\n').offDuration, 0);
  assert.is(conf('debug_min 1\n').debugMin, 1);
});

test('negative POLLFREQ, POLLFREQALERT, MINSUPPLIES, FINALDELAY: upsmon ignores them, we refuse', () => {
  assertError(failAfter('POLLFREQ -1\n'), 'upsmon.conf:3:10', 'POLLFREQ -1 is negative', 'upsmon ignores it and keeps 5');
  assertError(failAfter('POLLFREQALERT -2\n'), 'upsmon.conf:3:15', 'keeps 5');
  assertError(failAfter('MINSUPPLIES -1\n'), 'upsmon.conf:3:13', 'keeps 1');
  assertError(failAfter('FINALDELAY -3\n'), 'upsmon.conf:3:12', 'keeps 5', 'from 0 to');
});

test('numbers must be whole and in range (upsmon atoi would take "15s")', () => {
  assertError(failAfter('DEADTIME 15s\n'), 'upsmon.conf:3:10', 'DEADTIME "15s" is not a whole number', 'seconds');
  assertError(failAfter('POLLFREQ 0\n'), 'upsmon.conf:3:10', 'out of range', 'from 1 to 86400 seconds');
  assertError(failAfter('DEADTIME 0\n'), 'upsmon.conf:3:10', 'out of range');
  assertError(failAfter('HOSTSYNC -1\n'), 'upsmon.conf:3:10', 'from 0 to 2147483 seconds');
  assertError(failAfter('HOSTSYNC 3000000\n'), 'upsmon.conf:3:10', 'out of range');
  assertError(failAfter('RBWARNTIME -1\n'), 'upsmon.conf:3:12', 'out of range');
  assertError(failAfter('DEBUG_MIN -1\n'), 'upsmon.conf:3:11', 'from 0 to 99');
  assertError(failAfter('OFFDURATION soon\n'), 'upsmon.conf:3:13', 'negative = never');
});

test('0|1 switches: ALARMCRITICAL, CERTVERIFY, FORCESSL (upsmon atoi reads "yes" as 0)', () => {
  const c = conf('ALARMCRITICAL 0\nCERTVERIFY 1\nFORCESSL 1\n');
  assert.equal([c.alarmCritical, c.certVerify, c.forceSsl], [false, true, true]);
  assertError(failAfter('CERTVERIFY yes\n'), 'upsmon.conf:3:12', 'CERTVERIFY "yes" is not 0 or 1', 'read it as 0: write 1');
  assertError(failAfter('FORCESSL 2\n'), 'upsmon.conf:3:10', 'accepted: 0 (off) or 1 (on)');
  assertError(failAfter('ALARMCRITICAL on\n'), 'upsmon.conf:3:15', 'not 0 or 1');
});

test('SHUTDOWNEXIT: yes/on/true = 0, no/off/false and negatives = never, a number = seconds', () => {
  for (const w of ['yes', 'ON', 'True']) assert.is(conf(`SHUTDOWNEXIT ${w}\n`).shutdownExitSeconds, 0, w);
  for (const w of ['no', 'Off', 'FALSE', '-1']) assert.is(conf(`SHUTDOWNEXIT ${w}\n`).shutdownExitSeconds, undefined, w);
  assert.is(conf('SHUTDOWNEXIT 1\n').shutdownExitSeconds, 1);
  assert.is(conf('SHUTDOWNEXIT 120\n').shutdownExitSeconds, 120);
  assertError(failAfter('SHUTDOWNEXIT later\n'), 'upsmon.conf:3:14', 'neither yes/no nor a number', 'take it as yes');
});

test('SHUTDOWNCMD, NOTIFYCMD, POWERDOWNFLAG: one word; without quotes the rest would be lost', () => {
  const c = parse(`${MON}SHUTDOWNCMD "/sbin/shutdown -h +0"\nNOTIFYCMD /usr/sbin/upssched\nPOWERDOWNFLAG /run/nut/killpower\n`).conf;
  assert.equal([c.shutdownCmd, c.notifyCmd, c.powerDownFlag], ['/sbin/shutdown -h +0', '/usr/sbin/upssched', '/run/nut/killpower']);
  assert.equal(c.positions.SHUTDOWNCMD, { file: 'upsmon.conf', line: 2, column: 13 });
  assertError(fail(`${MON}SHUTDOWNCMD /sbin/shutdown -h +0\n`), 'upsmon.conf:2:28', 'upsmon would keep only "/sbin/shutdown"',
    'put it in quotes: SHUTDOWNCMD "/sbin/shutdown -h +0"');
  assertError(failAfter('NOTIFYCMD /path/to/script --foo --bar\n'), 'upsmon.conf:3:27', 'NOTIFYCMD "/path/to/script --foo --bar"');
  assertError(failAfter('POWERDOWNFLAG /etc/kill power\n'), 'upsmon.conf:3:25', 'POWERDOWNFLAG "/etc/kill power"');
  assertError(failAfter('NOTIFYCMD /bin/notify --level=high\n'), 'upsmon.conf:3:23', 'NOTIFYCMD "/bin/notify --level=high"');
  assertError(failAfter('NOTIFYCMD ""\n'), 'upsmon.conf:3:11', 'NOTIFYCMD is empty');
});

test('an empty SHUTDOWNCMD is accepted with a warning; none at all is a warning (upsmon warns too)', () => {
  const empty = parse(`${MON}SHUTDOWNCMD ""\n`);
  assert.is(empty.conf.shutdownCmd, '');
  assert.equal(empty.warnings.map((w) => [w.line, w.column]), [[2, 13]]);
  assert.ok(empty.warnings[0]?.message.includes('will not be shut down'));
  const none = parse(MON);
  assert.is(none.conf.shutdownCmd, undefined);
  assert.ok(none.warnings[0]?.message.includes('no shutdown command defined'));
});

test('NOTIFYMSG: type in any case, one quoted word, %s checks', () => {
  const c = conf('NOTIFYMSG ONLINE "UPS %s is getting line power"\nNOTIFYMSG onbatt "Someone pulled the plug on %s"\n' +
    'NOTIFYMSG ALARM "%s: [%s]"\nNOTIFYMSG LOWBATT "battery below 20%%"\n');
  assert.equal(c.notifyMessages, {
    ONLINE: 'UPS %s is getting line power', ONBATT: 'Someone pulled the plug on %s', ALARM: '%s: [%s]', LOWBATT: 'battery below 20%%',
  });
  assert.equal(c.positions['NOTIFYMSG ONBATT'], { file: 'upsmon.conf', line: 4, column: 18 });
  assertError(failAfter('NOTIFYMSG ONBATT Someone pulled the plug on %s\n'), 'upsmon.conf:3:26', 'would keep only "Someone"',
    'NOTIFYMSG ONBATT "Someone pulled the plug on %s"');
  assertError(failAfter('NOTIFYMSG ONBAT "x"\n'), 'upsmon.conf:3:11', 'unknown notify type "ONBAT"', 'accepted: ONLINE, ONBATT, LOWBATT');
  assertError(failAfter('NOTIFYMSG ONBATT "%s and %s"\n'), 'upsmon.conf:3:18', 'has 2 %s', 'only one (the UPS)');
  assertError(failAfter('NOTIFYMSG ALARM "%s %s %s"\n'), 'upsmon.conf:3:17', 'two (the UPS, then the details)');
  assertError(failAfter('NOTIFYMSG ONBATT "%d on battery"\n'), 'upsmon.conf:3:18', '"%d" in the message', 'printf', '%% for a literal %');
  assertError(failAfter('NOTIFYMSG ONBATT "100%"\n'), 'upsmon.conf:3:18', '"%" in the message');
  assertError(failAfter('NOTIFYMSG ONBATT "a"\nNOTIFYMSG onbatt "b"\n'), 'upsmon.conf:4:11', 'NOTIFYMSG ONBATT is already set at line 3');
  assertError(failAfter('NOTIFYMSG ONBATT\n'), 'upsmon.conf:3:1', 'incomplete', 'NOTIFYMSG <type> "<message>"');
});

test('NOTIFYMSG with %s for a system-wide event is a warning: upsmon fills it with nothing', () => {
  const r = parse(`${MON}${CMD}NOTIFYMSG SHUTDOWN "%s going down"\n`);
  assert.is(r.conf.notifyMessages.SHUTDOWN, '%s going down');
  assert.equal(r.warnings.map((w) => [w.line, w.column]), [[3, 20]]);
  assert.ok(r.warnings[0]?.message.includes('empty text'));
});

test('NOTIFYFLAG: flags joined by +, type in any case; only the types written are stored', () => {
  const c = conf('NOTIFYCMD /usr/sbin/upssched\nNOTIFYFLAG ONBATT SYSLOG+WALL+EXEC\nNOTIFYFLAG online EXEC\nNOTIFYFLAG CAL IGNORE\n' +
    'NOTIFYFLAG REPLBATT WALL+WALL\n');
  assert.equal(c.notifyFlags, {
    ONBATT: { syslog: true, wall: true, exec: true, ignore: false },
    ONLINE: { syslog: false, wall: false, exec: true, ignore: false },
    CAL: { syslog: false, wall: false, exec: false, ignore: true },
    REPLBATT: { syslog: false, wall: true, exec: false, ignore: false },
  });
  assert.is(c.notifyFlags.LOWBATT, undefined);
  assert.equal(defaultNotifyFlags('LOWBATT'), { syslog: true, wall: true, exec: false, ignore: false });
});

test('NOTIFYFLAG refusals: unknown or lower-case flags, stray +, IGNORE with others, repeats, unknown type', () => {
  const accepted = 'accepted: SYSLOG, WALL, EXEC joined by +';
  assertError(failAfter('NOTIFYFLAG ONBATT syslog+exec\n'), 'upsmon.conf:3:19', 'unknown flag "syslog"', 'case-sensitive: write SYSLOG', accepted);
  assertError(failAfter('NOTIFYFLAG ONBATT SYSLOG+\n'), 'upsmon.conf:3:19', 'a stray "+"');
  assertError(failAfter('NOTIFYFLAG ONBATT SYSLOG,EXEC\n'), 'upsmon.conf:3:19', 'join flags with +');
  assertError(failAfter('NOTIFYFLAG ONBATT MAIL\n'), 'upsmon.conf:3:19', 'unknown flag "MAIL"', 'Invalid notify flag');
  assertError(failAfter('NOTIFYFLAG ONBATT IGNORE+SYSLOG\n'), 'upsmon.conf:3:19', 'IGNORE means do nothing', 'cannot be combined');
  assertError(failAfter('NOTIFYFLAG ONBATT SYSLOG\nNOTIFYFLAG ONBATT EXEC\n'), 'upsmon.conf:4:12', 'already set at line 3',
    'NOTIFYFLAG ONBATT SYSLOG+WALL+EXEC');
  assertError(failAfter('NOTIFYFLAG BATTERY SYSLOG\n'), 'upsmon.conf:3:12', 'unknown notify type "BATTERY"', 'SUSPEND_FINISHED');
  assertError(failAfter('NOTIFYFLAG ONBATT SYSLOG WALL\n'), 'upsmon.conf:3:26', 'takes 2 value(s)');
});

test('EXEC without NOTIFYCMD is a warning: nothing would be run', () => {
  const r = parse(`${MON}${CMD}NOTIFYFLAG ONBATT SYSLOG+EXEC\n`);
  assert.equal(r.warnings.map((w) => [w.line, w.column]), [[3, 19]]);
  assert.ok(r.warnings[0]?.message.includes('no NOTIFYCMD'));
});

test('the 2.8.1-2.8.5 directives are accepted', () => {
  const c = conf('OFFDURATION 60\nOBLBDURATION 10\nOVERDURATION 30\nALARMCRITICAL 0\nPOLLFAIL_LOG_THROTTLE_MAX 0\nSHUTDOWNEXIT no\n');
  assert.equal([c.offDuration, c.oblbDuration, c.overDuration, c.alarmCritical, c.pollFailLogThrottleMax, c.shutdownExitSeconds],
    [60, 10, 30, false, 0, undefined]);
});

test('TLS and debugging directives: CERTPATH, CERTIDENT, CERTHOST, CERTVERIFY, FORCESSL, DEBUG_MIN', () => {
  const c = conf('CERTPATH /etc/nut/cert\nCERTIDENT "my client" dbpass\nCERTHOST ups.lan "upsd cert" 1 0\n' +
    'CERTHOST [::1] local 0 1\nCERTVERIFY 1\nFORCESSL 0\nDEBUG_MIN 0\n');
  assert.is(c.certPath, '/etc/nut/cert');
  assert.equal(c.certIdent, { name: 'my client', password: 'dbpass', pos: { file: 'upsmon.conf', line: 4, column: 11 } });
  assert.equal(c.certHosts.map((h) => [h.host, h.certName, h.certVerify, h.forceSsl, h.pos.line]), [
    ['ups.lan', 'upsd cert', true, false, 5],
    ['[::1]', 'local', false, true, 6],
  ]);
  assert.equal([c.certVerify, c.forceSsl, c.debugMin], [true, false, 0]);
  assertError(failAfter('CERTHOST ups.lan cert 1\n'), 'upsmon.conf:3:1', 'incomplete', 'CERTHOST <host> <certificate name>');
  assertError(failAfter('CERTHOST ups.lan cert yes 0\n'), 'upsmon.conf:3:23', 'CERTHOST certverify "yes" is not 0 or 1');
  assertError(failAfter('CERTIDENT name\n'), 'upsmon.conf:3:1', 'incomplete');
});

test('RUN_AS_USER is accepted with a warning that the gateway does not switch users', () => {
  const r = parse(`${MON}${CMD}RUN_AS_USER nutmon\n`);
  assert.is(r.conf.runAsUser, 'nutmon');
  assert.equal(r.warnings.map((w) => [w.line, w.column]), [[3, 1]]);
  assert.ok(r.warnings[0]?.message.includes('does not drop to another user'));
});

test('DEADTIME below the poll interval and POLLFREQALERT above POLLFREQ are warnings', () => {
  const dead = parse(`${MON}${CMD}POLLFREQ 10\nPOLLFREQALERT 5\nDEADTIME 8\n`);
  assert.equal(dead.warnings.map((w) => [w.line, w.column]), [[5, 10]]);
  assert.ok(dead.warnings[0]?.message.includes('three times the larger of POLLFREQ and POLLFREQALERT (DEADTIME 30)'));
  const unwritten = parse(`${MON}${CMD}POLLFREQ 30\nPOLLFREQALERT 5\n`);
  assert.equal(unwritten.warnings.map((w) => [w.line, w.column]), [[3, 10]], 'DEADTIME 15 by default, shorter than 30');
  const alert = parse(`${MON}${CMD}POLLFREQ 2\n`);
  assert.equal(alert.warnings.map((w) => [w.line, w.column]), [[3, 10]]);
  assert.ok(alert.warnings[0]?.message.includes('POLLFREQALERT 5 is longer than POLLFREQ 2'));
  assert.equal(parse(`${MON}${CMD}POLLFREQ 5\nPOLLFREQALERT 5\nDEADTIME 5\n`).warnings, []);
});

test('keywords are case-sensitive; DEBUG_MIN in any case', () => {
  assertError(fail('monitor ups@localhost 1 upsmon secret primary\n'), 'upsmon.conf:1:1', 'unknown directive "monitor"',
    'keywords are case-sensitive: write MONITOR', 'accepted: MONITOR, MINSUPPLIES');
  assertError(failAfter('PollFreq 5\n'), 'upsmon.conf:3:1', 'write POLLFREQ');
});

test('unknown directives list the accepted ones; "=" is refused with the right hint', () => {
  assertError(failAfter('\nMAXAGE 15\n'), 'upsmon.conf:4:1', 'unknown directive "MAXAGE"', 'invalid directive', 'DEBUG_MIN');
  assertError(failAfter('pollinterval = 5\n'), 'upsmon.conf:3:1', 'has no "="');
  assertError(failAfter('POLLFREQ = 5\n'), 'upsmon.conf:3:10', 'takes no "="', 'write "POLLFREQ 5"');
  assertError(failAfter('SHUTDOWNCMD = "/sbin/poweroff"\n'), 'upsmon.conf:3:13', 'write "SHUTDOWNCMD /sbin/poweroff"');
  assertError(fail('MONITOR ups 1 upsmon pass=word primary\n'), 'upsmon.conf:1:26', 'must be quoted: write "pass=word"');
});

test('write then parse gives the same configuration', () => {
  const text =
    'MONITOR ups@[::1]:3494 1 upsmon "pa ss\\#1" master\nMONITOR other@nas.lan 0 mon "x=y" slave\nMINSUPPLIES 1\n' +
    'POLLFREQ 10\nPOLLFREQALERT 2\nDEADTIME 30\nHOSTSYNC 20\nFINALDELAY 0\nNOCOMMWARNTIME 60\nRBWARNTIME 3600\n' +
    'OFFDURATION -1\nOBLBDURATION 5\nOVERDURATION 10\nALARMCRITICAL 0\nPOLLFAIL_LOG_THROTTLE_MAX 3\n' +
    'SHUTDOWNCMD "/sbin/shutdown -h +0"\nSHUTDOWNEXIT 30\nPOWERDOWNFLAG /run/killpower\nNOTIFYCMD "/usr/bin/notify \\"all\\""\n' +
    'NOTIFYMSG ONBATT "UPS %s on \\"battery\\""\nNOTIFYMSG SHUTDOWN "bye"\nNOTIFYFLAG ONBATT SYSLOG+WALL+EXEC\n' +
    'NOTIFYFLAG CAL IGNORE\nNOTIFYFLAG online EXEC\nRUN_AS_USER nut\nCERTPATH /etc/nut/certs\nCERTIDENT "c n" pw\n' +
    'CERTHOST nas.lan "nas cert" 1 1\nCERTVERIFY 1\nFORCESSL 1\nDEBUG_MIN 3\n';
  const c = parse(text).conf;
  const again = parse(writeUpsmonConf(c)).conf;
  assert.equal(plain(again), plain(c));
  for (const exit of ['no', 'yes']) {
    const e = conf(`SHUTDOWNEXIT ${exit}\n`);
    assert.equal(plain(parse(writeUpsmonConf(e)).conf), plain(e));
  }
});

test('the written text is canonical: MONITOR lines, settings that differ from the defaults, notifications, TLS', () => {
  const c = parse('MONITOR ups 1 u p master\nPOLLFREQ 5\nNOTIFYFLAG onbatt EXEC\nNOTIFYCMD upssched\nSHUTDOWNCMD "/sbin/poweroff"\nHOSTSYNC 30\n').conf;
  assert.is(writeUpsmonConf(c), 'MONITOR ups 1 u p primary\n\nHOSTSYNC 30\nSHUTDOWNCMD /sbin/poweroff\n\n' +
    'NOTIFYCMD upssched\nNOTIFYFLAG ONBATT EXEC\n');
  const none = { ...c, notifyFlags: { ONBATT: { syslog: false, wall: false, exec: false, ignore: false } } };
  assert.ok(writeUpsmonConf(none).includes('NOTIFYFLAG ONBATT IGNORE\n'), 'no flags at all is written as IGNORE');
});

test('real world: upsmon.conf(5) examples, a Debian-style file, Suffield\'s central server', () => {
  const manual = parse('MONITOR myups@bigserver 1 observer abcd secondary\nNOTIFYCMD "/path/to/script --foo --bar"\n' +
    'NOTIFYMSG ONLINE "UPS %s is getting line power"\nNOTIFYMSG ONBATT "Someone pulled the plug on %s"\n' +
    'NOTIFYMSG NOCOMM "Someone stole UPS %s"\nSHUTDOWNCMD "/sbin/shutdown -h +0"\nSHUTDOWNEXIT yes\n');
  assert.equal(manual.warnings, []);
  assert.is(manual.conf.monitors[0]?.role, 'secondary');

  const debian = parse('# upsmon.conf\nRUN_AS_USER nut\n\nMONITOR myups@localhost 1 upsmon pass primary\t# (or secondary)\n' +
    'MINSUPPLIES 1\nSHUTDOWNCMD "/sbin/shutdown -h +0"\n# NOTIFYCMD /usr/local/ups/bin/notifyme\nPOLLFREQ 5\nPOLLFREQALERT 5\n' +
    'HOSTSYNC 15\nDEADTIME 15\nPOWERDOWNFLAG /etc/killpower\n# NOTIFYMSG ONLINE\t"UPS %s on line power"\n' +
    'RBWARNTIME 43200\nNOCOMMWARNTIME 300\nFINALDELAY 5\n');
  assert.equal(debian.warnings.map((w) => w.line), [2], 'only RUN_AS_USER');
  assert.equal([debian.conf.powerDownFlag, debian.conf.monitors[0]?.password], ['/etc/killpower', 'pass']);

  const suffield = parse('MONITOR nicole@localhost 1 masteruser secret master\nMONITOR paris@localhost 1 masteruser secret master\n' +
    'MINSUPPLIES 1\nSHUTDOWNCMD "/sbin/shutdown -h +0"\nNOTIFYCMD /sbin/upssched\n' +
    ['ONLINE', 'ONBATT', 'LOWBATT', 'FSD', 'COMMOK', 'COMMBAD', 'SHUTDOWN', 'REPLBATT', 'NOCOMM']
      .map((t) => `NOTIFYFLAG ${t} SYSLOG+EXEC\n`).join(''));
  assert.equal(suffield.warnings, []);
  assert.equal(suffield.conf.monitors.map((m) => [m.upsName, m.role]), [['nicole', 'primary'], ['paris', 'primary']]);
  assert.equal(Object.keys(suffield.conf.notifyFlags).length, 9);
});

test('real world: a TrueNAS-generated upsmon.conf (user name with \\# escaped by the generator)', () => {
  const truenas = parse('MONITOR ups@192.168.1.2:3493 1 up\\#mon s3cr3t slave\nNOTIFYCMD /usr/sbin/upssched\n' +
    ['ONBATT', 'LOWBATT', 'ONLINE', 'COMMBAD', 'COMMOK', 'REPLBATT', 'NOCOMM', 'FSD', 'SHUTDOWN']
      .map((t) => `NOTIFYFLAG ${t} SYSLOG+EXEC\n`).join('') +
    'SHUTDOWNCMD "/sbin/shutdown -P now"\nPOWERDOWNFLAG /etc/killpower\nHOSTSYNC 15\nNOCOMMWARNTIME 300\n');
  assert.equal(truenas.warnings, []);
  const m = truenas.conf.monitors[0];
  assert.equal([m?.system, m?.host, m?.port, m?.username, m?.role], ['ups@192.168.1.2:3493', '192.168.1.2', 3493, 'up#mon', 'secondary']);
  assert.is(truenas.conf.notifyFlags.SHUTDOWN?.exec, true);
  // Some TrueNAS models write an empty command on purpose.
  const xseries = parse('MONITOR ups@localhost:3493 1 upsmon pw master\nSHUTDOWNCMD ""\n');
  assert.is(xseries.conf.shutdownCmd, '');
});

test('loadUpsmonConf reads the file and warns when others can read the passwords', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsmon-conf-'));
  const file = path.join(dir, 'upsmon.conf');
  await writeFile(file, MON + CMD);
  await chmod(file, 0o640);
  assert.equal((await loadUpsmonConf(file)).warnings, []);
  await chmod(file, 0o644);
  const loose = await loadUpsmonConf(file);
  assert.equal(loose.warnings.map((w) => [w.file, w.line]), [[file, 1]]);
  assert.ok(loose.warnings[0]?.message.includes('world readable (mode 0644) and holds the MONITOR passwords: '));
  assert.not.ok(loose.warnings[0]?.message.includes('upsd warns'));
  assertError(await confErrorAsync(() => loadUpsmonConf(path.join(dir, 'missing.conf'))), `${path.join(dir, 'missing.conf')}:1:1`, 'no such file');
});

test('config soup never crashes: each input fails with a ConfError, or reads and round-trips', () => {
  let read = 0;
  const lines = [
    'MONITOR ups@localhost 1 upsmon secret primary', 'MONITOR b@[::1]:3494 0 u "p w" slave', 'MINSUPPLIES 0',
    'POLLFREQ 3', 'DEADTIME 20', 'SHUTDOWNCMD "/sbin/shutdown -h now"', 'SHUTDOWNEXIT no', 'NOTIFYCMD upssched',
    'NOTIFYFLAG ONBATT SYSLOG+EXEC', 'NOTIFYFLAG lowbatt IGNORE', 'NOTIFYMSG ONLINE "%s back"', 'CERTHOST h c 1 0',
    'OFFDURATION -1', 'OBLBDURATION -3', 'DEBUG_MIN 2', '# comment', '',
  ];
  for (const text of soup(4000, 7, lines)) {
    let c: UpsmonConf;
    try {
      c = parse(text).conf;
    } catch (e) {
      assert.instance(e, ConfError);
      continue;
    }
    read++;
    assert.equal(plain(parse(writeUpsmonConf(c)).conf), plain(c), JSON.stringify(text));
  }
  assert.ok(read >= 300, `only ${read} inputs were readable`);
});

test.run();
