// `upsgate upsc`, `upsgate upscmd`, `upsgate upsrw` against Debian's NUT 2.8.0 tools: every
// invocation of the matrix runs Debian's tool and ours against the same server, one after the
// other, and stdout, stderr and the exit code must be identical. The servers: real upsd +
// dummy-ups and upsgate, serving test/fixtures/nut-conf; and real upsd with a stand-in driver
// on its driver socket (test/helpers/fake-driver.ts), because only a driver can make ENUM and
// RANGE variables and tracked commands that succeed — dummy-ups has neither, and upsgate serves
// no driver but its own. Debian's upsc also prints "Init SSL without certificate database"
// (NSS start-up chatter) on stderr; ours does not, and that line alone is forgiven.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeDriver } from '../helpers/fake-driver.js';
import { failure } from '../helpers/fail.js';
import { NutClient } from '../../src/nut-client/client.js';
import { Daemon, FIXTURES, NUT_BINARIES, NutConfDir, RUN_AS, nutEnv, requirePeers, runCommand, waitUntilServing, type CommandResult } from '../helpers/nut-sandbox.js';
import { freeDualStackPort, freePort } from '../helpers/ports.js';
import { setUp } from '../helpers/suite-setup.js';
import { startPair, type Pair } from '../helpers/targets.js';
import { UPSGATE_ENTRY } from '../helpers/upsgate-process.js';

type Tool = 'upsc' | 'upscmd' | 'upsrw';
type ServerName = 'upsd' | 'upsgate' | 'rich';

const RICH_DUMP = [
  'DATAOK',
  'SETINFO ups.status "OL"',
  'SETINFO battery.charge "95"',
  'SETINFO input.transfer.low "103"',
  'SETFLAGS input.transfer.low RW NUMBER',
  'ADDENUM input.transfer.low "100"',
  'ADDENUM input.transfer.low "103"',
  'ADDENUM input.transfer.low "106"',
  'SETINFO input.transfer.high "130"',
  'SETFLAGS input.transfer.high RW NUMBER',
  'ADDRANGE input.transfer.high 125 135',
  'ADDRANGE input.transfer.high 140 145',
  'SETINFO outlet.1.delay.start "141.9"',
  'SETFLAGS outlet.1.delay.start RW',
  'ADDRANGE outlet.1.delay.start 0 60',
  'ADDRANGE outlet.1.delay.start 140 150',
  'SETINFO ups.beeper.status "muted"',
  'SETFLAGS ups.beeper.status RW STRING',
  'SETAUX ups.beeper.status 10',
  'ADDENUM ups.beeper.status "enabled"',
  'ADDENUM ups.beeper.status "disabled"',
  'ADDENUM ups.beeper.status "muted"',
  'SETINFO ups.id "abc \\"x\\""',
  'SETFLAGS ups.id RW STRING',
  'SETAUX ups.id 8',
  'SETINFO ups.delay.shutdown "20"',
  'SETFLAGS ups.delay.shutdown RW',
  'SETINFO vendor.knob "on"',
  'SETFLAGS vendor.knob RW STRING',
  'SETAUX vendor.knob 4',
  'ADDCMD beeper.toggle',
  'ADDCMD load.off.delay',
  'ADDCMD test.battery.start',
  'ADDCMD vendor.special',
];

interface Rich {
  conf: NutConfDir;
  driver: FakeDriver;
  upsd: Daemon;
}

/** Real upsd serving one UPS whose "driver" is a FakeDriver. */
async function startRich(): Promise<Rich> {
  const conf = await NutConfDir.create({
    files: {
      'ups.conf': '[rich]\n\tdriver = fakedrv\n\tport = none\n\tdesc = "Rich \\"UPS\\""\n',
      'upsd.conf': 'MAXAGE 15\n',
      'upsd.users': await readFile(join(FIXTURES, 'nut-conf', 'upsd.users'), 'latin1'),
    },
    port: await freeDualStackPort(),
  });
  const driver = await FakeDriver.start(join(conf.dir, 'fakedrv-rich'), {
    dump: RICH_DUMP,
    instcmdResults: { 'beeper.toggle': 0, 'load.off.delay': 2, 'test.battery.start': 3 },
  });
  const upsd = Daemon.spawn('upsd (rich)', NUT_BINARIES.upsd.path, ['-F', ...RUN_AS], nutEnv(conf.dir));
  try {
    await waitUntilServing(conf.port, ['rich'], { alive: () => (upsd.running ? undefined : `upsd exited:\n${upsd.log}`) });
  } catch (e) {
    await upsd.stop();
    await driver.stop();
    await conf.remove();
    throw e;
  }
  return { conf, driver, upsd };
}

const tools = suite('upsgate upsc / upscmd / upsrw = Debian NUT 2.8.0 tools');
const need = setUp(
  tools,
  async (): Promise<{ pair: Pair; rich: Rich }> => {
    requirePeers('upsc', 'upscmd', 'upsrw', 'upsd', 'dummy-ups');
    const pair = await startPair({ fixture: 'nut-conf' });
    try {
      return { pair, rich: await startRich() };
    } catch (e) {
      await pair.stop();
      throw e;
    }
  },
  async ({ pair, rich }) => {
    await pair.stop();
    await rich.upsd.stop();
    await rich.driver.stop();
    await rich.conf.remove();
  },
);

function portOf(server: ServerName): number {
  const { pair, rich } = need();
  return server === 'upsd' ? pair.reference.port : server === 'upsgate' ? pair.target.port : rich.conf.port;
}

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
const NSS_CHATTER = /^Init SSL without certificate database\n/gm;

function runNut(tool: Tool, args: string[], input?: string): Promise<CommandResult> {
  return runCommand(NUT_BINARIES[tool].path, args, { env: ENV, timeoutMs: 30000, input });
}

function runOurs(tool: Tool, args: string[], input?: string): Promise<CommandResult> {
  return runCommand(process.execPath, [UPSGATE_ENTRY, tool, ...args], { env: ENV, timeoutMs: 30000, input });
}

function show(r: CommandResult): string {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}`;
}

interface Case {
  /** Arguments; `at` is 127.0.0.1:<port> of the server asked. */
  args: (at: string, port: number) => string[];
  servers?: ServerName[];
  input?: string;
  /** Compare the exit code only (help texts are ours, in our words). */
  codeOnly?: boolean;
  host?: string;
}

/** Runs Debian's tool, then ours, on each server; any difference fails with both outputs. */
async function same(tool: Tool, c: Case): Promise<Map<ServerName, CommandResult>> {
  const results = new Map<ServerName, CommandResult>();
  for (const server of c.servers ?? ['upsd', 'upsgate']) {
    const port = portOf(server);
    const host = c.host ?? '127.0.0.1';
    const args = c.args(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`, port);
    const ref = await runNut(tool, args, c.input);
    const got = await runOurs(tool, args, c.input);
    const norm = (r: CommandResult): string =>
      c.codeOnly ? `exit ${r.code}` : show({ ...r, stderr: r.stderr.replace(NSS_CHATTER, '') });
    if (norm(ref) !== norm(got)) {
      throw failure(
        `${tool} ${args.join(' ')} (on ${server}) differs:\n  Debian ${tool}:\n    ${norm(ref).split('\n').join('\n    ')}\n` +
          `  upsgate ${tool}:\n    ${norm(got).split('\n').join('\n    ')}`,
      );
    }
    results.set(server, got);
  }
  return results;
}

const admin = ['-u', 'admin', '-p', 'adminpass'];

tools('upsc: UPS lists, variables, one variable, errors', async () => {
  const l = await same('upsc', { args: (at) => ['-l', at] });
  assert.is(l.get('upsgate')!.stdout, 'dummy\nflip\nNoDesc\nfsdups\n');
  const L = await same('upsc', { args: (at) => ['-L', at], servers: ['upsd', 'upsgate', 'rich'] });
  assert.is(L.get('rich')!.stdout, 'rich: Rich "UPS"\n');
  const all = await same('upsc', { args: (at) => [`dummy@${at}`] });
  assert.match(all.get('upsd')!.stdout, /^ups\.status: OL CHRG$/m);
  await same('upsc', { args: (at) => [`NoDesc@${at}`] });
  await same('upsc', { args: (at) => [`rich@${at}`], servers: ['rich'] });
  const one = await same('upsc', { args: (at) => [`dummy@${at}`, 'ups.model'] });
  assert.is(one.get('upsgate')!.stdout, 'Back\\Office 500\n');
  await same('upsc', { args: (at) => [`DUMMY@${at}`, 'UPS.STATUS'] });
  await same('upsc', { args: (at) => [`dummy@${at}`, 'ups.status', 'extra'] });
  const missing = await same('upsc', { args: (at) => [`dummy@${at}`, 'ups.bogus'] });
  assert.is(missing.get('upsgate')!.code, 1);
  assert.is(missing.get('upsgate')!.stderr, 'Error: Variable not supported by UPS\n');
  const unknown = await same('upsc', { args: (at) => [`nosuch@${at}`] });
  assert.is(unknown.get('upsgate')!.stderr, 'Error: Unknown UPS\n');
  await same('upsc', { args: (at) => [`nosuch@${at}`, 'ups.status'] });
  await same('upsc', { args: (at) => [`dummy@${at}`, 'nodot'] });
  await same('upsc', { args: (at) => [`dummy@${at}`, 'has space.x'] });
});

tools('upsc -c lists logged-in clients; IPv6 addresses', async () => {
  await same('upsc', { args: (at) => ['-c', `dummy@${at}`] });
  await same('upsc', { args: (at) => ['-c', `nosuch@${at}`] });
  const sessions: NutClient[] = [];
  try {
    for (const server of ['upsd', 'upsgate'] as const) {
      const c = await NutClient.connect({ host: '127.0.0.1', port: portOf(server) });
      sessions.push(c);
      await c.authenticate('monsl', 'msl');
      await c.login('flip');
    }
    const r = await same('upsc', { args: (at) => ['-c', `flip@${at}`] });
    assert.is(r.get('upsgate')!.stdout, '127.0.0.1\n');
  } finally {
    for (const c of sessions) await c.logout();
  }
  const v6 = await same('upsc', { args: (at) => ['-l', at], host: '::1' });
  assert.is(v6.get('upsgate')!.stdout, 'dummy\nflip\nNoDesc\nfsdups\n');
  await same('upsc', { args: (at) => [`dummy@${at}`, 'ups.mfr'], host: '::1' });
});

tools('upsc: bad addresses, refused connections, usage', async () => {
  const port = await freePort();
  const local = (args: string[]): Case => ({ args: () => args, servers: ['upsd'] });
  for (const args of [
    [],
    ['dummy@127.0.0.1:'],
    ['dummy@[::1'],
    ['dummy@[::1]'],
    ['-l', '127.0.0.1:0'],
    ['-l', '127.0.0.1:99999'],
    ['ups@'],
    [`dummy@127.0.0.1:${port}`],
    [`dummy@127.0.0.1:${port}x`, 'ups.status'],
    ['dummy@no-such-host.invalid'],
    ['-c'],
  ]) {
    await same('upsc', local(args));
  }
  for (const args of [['-h'], ['-x'], ['-lx']]) await same('upsc', { ...local(args), codeOnly: true });
  const bad = await runOurs('upsc', ['-x']);
  assert.match(bad.stderr, /^upsc: invalid option -- 'x'\n$/);
});

tools('upscmd -l lists commands with their descriptions', async () => {
  const r = await same('upscmd', { args: (at) => ['-l', `dummy@${at}`] });
  assert.is(r.get('upsgate')!.stdout, 'Instant commands supported on UPS [dummy]:\n\nload.off - Turn off the load immediately\n');
  await same('upscmd', { args: (at) => ['-l', `NoDesc@${at}`] });
  await same('upscmd', { args: (at) => ['-l', `nosuch@${at}`] });
  const rich = await same('upscmd', { args: (at) => ['-l', `rich@${at}`], servers: ['rich'] });
  assert.match(rich.get('rich')!.stdout, /^vendor\.special - Description unavailable$/m);
});

tools('upscmd runs commands: OK, access denied, unknown command, tracking with -w', async () => {
  const ok = await same('upscmd', { args: (at) => [...admin, `dummy@${at}`, 'load.off'] });
  assert.is(ok.get('upsgate')!.stderr, 'OK\n');
  assert.is(ok.get('upsgate')!.code, 0);
  await same('upscmd', { args: (at) => [...admin, `dummy@${at}`, 'load.off', '10'] });
  const waited = await same('upscmd', { args: (at) => [...admin, '-w', `dummy@${at}`, 'load.off'] });
  assert.is(waited.get('upsgate')!.stderr, 'ERR UNKNOWN\n', 'dummy-ups refuses every command');
  await same('upscmd', { args: (at) => [...admin, '-w', '-t', '0', `dummy@${at}`, 'load.off'] });
  const denied = await same('upscmd', { args: (at) => ['-u', 'admin', '-p', 'wrong', `dummy@${at}`, 'load.off'] });
  assert.is(denied.get('upsgate')!.stderr, 'Unexpected response from upsd: ERR ACCESS-DENIED\n');
  assert.is(denied.get('upsgate')!.code, 1);
  await same('upscmd', { args: (at) => ['-u', 'reader', '-p', 'readpw', `dummy@${at}`, 'load.off'] });
  await same('upscmd', { args: (at) => ['-u', 'tester', '-p', 'pass words', '-w', `dummy@${at}`, 'load.off'] });
  await same('upscmd', { args: (at) => [...admin, `dummy@${at}`, 'load.on'] });
  await same('upscmd', { args: (at) => [...admin, `nosuch@${at}`, 'load.off'] });
  await same('upscmd', { args: (at) => [...admin, `dummy@${at}`, 'nodot'] });
  for (const [cmd, want] of [['beeper.toggle', 'SUCCESS'], ['load.off.delay', 'ERR INVALID-ARGUMENT'], ['test.battery.start', 'ERR FAILED']] as const) {
    const r = await same('upscmd', { args: (at) => [...admin, '-w', `rich@${at}`, cmd, ...(cmd === 'load.off.delay' ? ['30'] : [])], servers: ['rich'] });
    assert.is(r.get('rich')!.stderr, `${want}\n`);
  }
});

tools('upscmd asks for what -u/-p did not give, reading stdin as NUT does', async () => {
  const piped = await same('upscmd', { args: (at) => [`dummy@${at}`, 'load.off'], input: 'admin\nadminpass\n' });
  assert.match(piped.get('upsgate')!.stdout, /^Username \(\S+\): $/);
  await same('upscmd', { args: (at) => ['-u', 'admin', `dummy@${at}`, 'load.off'], input: 'wrong\n' });
  await same('upscmd', { args: (at) => [`dummy@${at}`, 'load.off'] }); // stdin closed: "Error reading from stdin!"
  await same('upscmd', { args: (at) => [`dummy@${at}`, 'load.off'], input: '\nadminpass\n' }); // empty: the login name
});

tools('upscmd: options and usage', async () => {
  const local = (args: string[], codeOnly = false): Case => ({ args: () => args, servers: ['upsd'], codeOnly });
  await same('upscmd', local(['-t', 'abc', 'dummy@localhost', 'x.y']));
  await same('upscmd', local(['-t', '-1', 'dummy@localhost', 'x.y']));
  await same('upscmd', local(['-t', '99999999999', 'dummy@localhost', 'x.y']));
  await same('upscmd', local(['dummy@127.0.0.1:']));
  for (const args of [[], ['-h'], ['-u'], ['-q']]) await same('upscmd', local(args, true));
  await same('upscmd', { args: (at) => [`dummy@${at}`], codeOnly: true });
});

tools('upsrw lists writable variables: NUMBER and STRING (dummy-ups), ENUM and RANGE (a real driver socket)', async () => {
  const r = await same('upsrw', { args: (at) => [`dummy@${at}`] });
  assert.match(r.get('upsgate')!.stdout, /\[ups\.id\]\nUPS system identifier\nType: STRING\nMaximum length: 16\n/);
  await same('upsrw', { args: (at) => ['-l', `NoDesc@${at}`] });
  await same('upsrw', { args: (at) => [`nosuch@${at}`] });
  const rich = await same('upsrw', { args: (at) => [`rich@${at}`], servers: ['rich'] });
  const out = rich.get('rich')!.stdout;
  assert.match(out, /\[input\.transfer\.low\]\n.*\nType: ENUM NUMBER\nOption: "100"\nOption: "103" SELECTED\nOption: "106"\n/);
  assert.match(out, /\[input\.transfer\.high\]\n.*\nType: RANGE NUMBER\nOption: "125-135" SELECTED\nOption: "140-145"\n/);
  assert.match(out, /\[outlet\.1\.delay\.start\]\n.*\nType: RANGE NUMBER\nOption: "0-60"\nOption: "140-150" SELECTED\n/);
  assert.match(out, /\[ups\.beeper\.status\]\n.*\nType: ENUM STRING\nMaximum length: 10\nOption: "enabled"\nOption: "disabled"\nOption: "muted" SELECTED\n/);
  assert.match(out, /\[ups\.id\]\n.*\nType: STRING\nMaximum length: 8\nValue: abc "x"\n/);
  assert.match(out, /\[ups\.delay\.shutdown\]\n.*\nType: NUMBER\nValue: 20\n/);
  assert.match(out, /\[vendor\.knob\]\nDescription unavailable\n/);
});

tools('upsrw -s: set, wait, and every refusal', async () => {
  const set = await same('upsrw', { args: (at) => ['-s', 'ups.id=tools-a', ...admin, `dummy@${at}`] });
  assert.is(set.get('upsgate')!.stderr, 'OK\n');
  const waited = await same('upsrw', { args: (at) => ['-s', 'ups.id=tools-b', ...admin, '-w', `dummy@${at}`] });
  assert.is(waited.get('upsgate')!.stderr, 'SUCCESS\n');
  await same('upsrw', { args: (at) => ['-s', 'ups.model=with spaces', ...admin, `dummy@${at}`] });
  const long = await same('upsrw', { args: (at) => ['-s', 'ups.id=0123456789abcdefX', ...admin, `dummy@${at}`] });
  assert.is(long.get('upsgate')!.stderr, 'Unexpected response from upsd: ERR TOO-LONG\n');
  await same('upsrw', { args: (at) => ['-s', 'driver.name=x', ...admin, `dummy@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'bogus.var=x', ...admin, `dummy@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'ups.id=x', '-u', 'admin', '-p', 'wrong', `dummy@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'ups.id=x', '-u', 'tester', '-p', 'pass words', `dummy@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'nodot=x', ...admin, `dummy@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'ups.id=x', ...admin, `nosuch@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'ups.id', ...admin, `dummy@${at}`], input: 'tools-c\n' });
  await same('upsrw', { args: (at) => ['-s', 'ups.id=x', '-l', `NoDesc@${at}`] });
  await same('upsrw', { args: (at) => ['-s', 'ups.id=tools-d', `dummy@${at}`], input: 'admin\nadminpass\n' });
  const rich: Case['servers'] = ['rich'];
  await same('upsrw', { args: (at) => ['-s', 'input.transfer.low=101', ...admin, `rich@${at}`], servers: rich });
  await same('upsrw', { args: (at) => ['-s', 'input.transfer.low=106', ...admin, '-w', `rich@${at}`], servers: rich });
  await same('upsrw', { args: (at) => ['-s', 'input.transfer.high=137', ...admin, `rich@${at}`], servers: rich });
  await same('upsrw', { args: (at) => ['-s', 'ups.beeper.status=enabled', ...admin, '-w', `rich@${at}`], servers: rich });
  await same('upsrw', { args: (at) => [`rich@${at}`], servers: rich });
});

tools('upsrw: options and usage', async () => {
  const local = (args: string[], codeOnly = false): Case => ({ args: () => args, servers: ['upsd'], codeOnly });
  await same('upsrw', local(['-t', 'x', 'dummy@localhost']));
  await same('upsrw', local(['dummy@[::1']));
  for (const args of [[], ['-h'], ['-s'], ['-z'], ['-V']]) await same('upsrw', local(args, true));
});

tools.run();
