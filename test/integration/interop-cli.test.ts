// Debian's real NUT command-line clients (upsc, upscmd, upsrw 2.8.0) against upsgate. Every
// invocation also runs against real upsd serving the same folder; stdout, stderr and the exit
// code must be the same, after the normalisations of test/helpers/allowed-differences.ts (and the
// two ports, which are the harness's own difference). A few NIT-style facts are asserted outright.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { normaliseCliOutput } from '../helpers/allowed-differences.js';
import { failure } from '../helpers/fail.js';
import { LineClient } from '../helpers/line-client.js';
import { NUT_BINARIES, requirePeers, runCommand, sleep, type CommandResult } from '../helpers/nut-sandbox.js';
import { startPair, type NutServer } from '../helpers/targets.js';
import { setUp } from '../helpers/suite-setup.js';

const cli = suite('interop: upsc / upscmd / upsrw');

const need = setUp(
  cli,
  async () => {
    requirePeers('upsc', 'upscmd', 'upsrw');
    return startPair({ fixture: 'nut-conf' });
  },
  (pair) => pair.stop(),
);

type Tool = 'upsc' | 'upscmd' | 'upsrw';
/** Arguments for one invocation; `at` is `127.0.0.1:PORT` of the server being asked. */
type Args = (at: string, port: number) => string[];

function run(tool: Tool, args: string[]): Promise<CommandResult> {
  return runCommand(NUT_BINARIES[tool].path, args, { timeoutMs: 30000 });
}

function show(r: CommandResult): string {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}`;
}

/**
 * Runs the same invocation against both servers (at the same time) and fails on any difference.
 * Returns the target's result for further assertions.
 */
async function same(tool: Tool, args: Args, host = '127.0.0.1'): Promise<{ ref: CommandResult; got: CommandResult }> {
  const { reference, target } = need();
  const at = (s: NutServer | typeof reference): string => (host.includes(':') ? `[${host}]:${s.port}` : `${host}:${s.port}`);
  const [ref, got] = await Promise.all([run(tool, args(at(reference), reference.port)), run(tool, args(at(target), target.port))]);
  const ports = [reference.port, target.port];
  const norm = (r: CommandResult): string => normaliseCliOutput(show(r), ports);
  if (norm(ref) !== norm(got)) {
    throw failure(
      `${tool} ${args('HOST:PORT', 0).join(' ')} differs:\n` +
        `  upsd:\n    ${norm(ref).split('\n').join('\n    ')}\n` +
        `  ${target.kind === 'upsd' ? 'upsd#2' : 'upsgate'}:\n    ${norm(got).split('\n').join('\n    ')}`,
    );
  }
  return { ref, got };
}

cli('upsc -l and -L list the UPSes in ups.conf order, descriptions unescaped', async () => {
  const { got } = await same('upsc', (at) => ['-l', at]);
  assert.is(got.code, 0);
  assert.is(got.stdout, 'dummy\nflip\nNoDesc\nfsdups\n');
  const long = await same('upsc', (at) => ['-L', at]);
  assert.is(long.got.stdout.split('\n')[0], 'dummy: Crash "Dummy" #1 back\\slash');
});

cli('upsc <ups> lists every variable; upsc <ups> <var> prints one value', async () => {
  const all = await same('upsc', (at) => [`dummy@${at}`]);
  assert.is(all.got.code, 0);
  assert.ok(all.got.stdout.includes('ups.status: OL CHRG\n'), all.got.stdout);
  await same('upsc', (at) => [`NoDesc@${at}`]);
  await same('upsc', (at) => [`nodesc@${at}`]);
  const one = await same('upsc', (at) => [`dummy@${at}`, 'ups.model']);
  assert.is(one.got.stdout, 'Back\\Office 500\n');
  await same('upsc', (at) => [`dummy@${at}`, 'device.mfr']);
  await same('upsc', (at) => [`DUMMY@${at}`, 'UPS.STATUS']);
});

cli('upsc: a bogus variable is "Error: Variable not supported by UPS", exit 1', async () => {
  const { got } = await same('upsc', (at) => [`dummy@${at}`, 'ups.bogus.value']);
  assert.is(got.code, 1);
  assert.ok(got.stderr.includes('Error: Variable not supported by UPS'), got.stderr);
});

cli('upsc: an unknown UPS, and a bad -c', async () => {
  const { got } = await same('upsc', (at) => [`nosuch@${at}`]);
  assert.is(got.code, 1);
  assert.ok(got.stderr.includes('Error: Unknown UPS'), got.stderr);
  await same('upsc', (at) => [`nosuch@${at}`, 'ups.status']);
  await same('upsc', (at) => ['-c', `nosuch@${at}`]);
});

cli('upsc -c lists the clients logged in to a UPS', async () => {
  await same('upsc', (at) => ['-c', `dummy@${at}`]);
  const { reference, target } = need();
  const sessions: LineClient[] = [];
  try {
    for (const s of [reference, target]) {
      for (const host of ['127.0.0.1', '::1']) {
        const c = await LineClient.connect(s.port, { host });
        sessions.push(c);
        for (const line of ['USERNAME monsl', 'PASSWORD msl', 'LOGIN flip']) {
          const r = await c.request(line);
          if (r !== 'OK') throw failure(`${s.kind}: ${line} -> ${r}`);
        }
      }
    }
    const { got } = await same('upsc', (at) => ['-c', `flip@${at}`]);
    assert.is(got.stdout.split('\n').filter(Boolean).sort().join(' '), '127.0.0.1 ::1');
  } finally {
    await Promise.all(sessions.map((c) => c.close()));
  }
});

cli('upsc over IPv6 ([::1]:port)', async () => {
  const { got } = await same('upsc', (at) => ['-l', at], '::1');
  assert.is(got.stdout, 'dummy\nflip\nNoDesc\nfsdups\n');
  await same('upsc', (at) => [`NoDesc@${at}`], '::1');
  await same('upsc', (at) => [`dummy@${at}`, 'ups.id'], '::1');
});

cli('upscmd -l lists commands with descriptions', async () => {
  const { got } = await same('upscmd', (at) => ['-l', `dummy@${at}`]);
  assert.ok(got.stdout.includes('load.off - Turn off the load immediately'), got.stdout);
  await same('upscmd', (at) => ['-l', `NoDesc@${at}`]);
  await same('upscmd', (at) => ['-l', `nosuch@${at}`]);
});

cli('upscmd runs commands (dummy-ups refuses them all; -w shows the driver result)', async () => {
  const ok = await same('upscmd', (at) => ['-u', 'admin', '-p', 'adminpass', `dummy@${at}`, 'load.off']);
  assert.is(ok.got.code, 0);
  await same('upscmd', (at) => ['-u', 'admin', '-p', 'adminpass', `dummy@${at}`, 'load.off', '10']);
  const waited = await same('upscmd', (at) => ['-u', 'admin', '-p', 'adminpass', '-w', `dummy@${at}`, 'load.off']);
  assert.ok(waited.got.stdout.length > 0 || waited.got.stderr.length > 0);
  await same('upscmd', (at) => ['-u', 'tester', '-p', 'pass words', '-w', `dummy@${at}`, 'load.off']);
  await same('upscmd', (at) => ['-u', 'admin', '-p', 'adminpass', `dummy@${at}`, 'load.on']);
  await same('upscmd', (at) => ['-u', 'reader', '-p', 'readpw', `dummy@${at}`, 'load.off']);
  await same('upscmd', (at) => ['-u', 'admin', '-p', 'wrong', `dummy@${at}`, 'load.off']);
  await same('upscmd', (at) => ['-u', 'admin', '-p', 'adminpass', `nosuch@${at}`, 'load.off']);
});

cli('upsrw lists writable variables with types and STRING lengths', async () => {
  const { got } = await same('upsrw', (at) => [`dummy@${at}`]);
  assert.ok(got.stdout.includes('[ups.id]\nUPS system identifier\nType: STRING\nMaximum length: 16\n'), got.stdout);
  await same('upsrw', (at) => ['-l', `NoDesc@${at}`]);
  await same('upsrw', (at) => [`nosuch@${at}`]);
});

/** Waits until `upsc <ups>@… <var>` prints `want` on both servers; returns both last outputs. */
async function waitValue(ups: string, variable: string, want: string): Promise<void> {
  const { reference, target } = need();
  for (const s of [reference, target]) {
    const deadline = Date.now() + 10000;
    let last: CommandResult | undefined;
    while (Date.now() < deadline) {
      last = await run('upsc', [`${ups}@127.0.0.1:${s.port}`, variable]);
      if (last.stdout === `${want}\n`) break;
      await sleep(200);
    }
    assert.is(last?.stdout, `${want}\n`, `${s.kind}: ${variable} never became ${JSON.stringify(want)}: ${last && show(last)}`);
  }
}

cli('upsrw -s sets a value that reads back; errors match', async () => {
  const set = await same('upsrw', (at) => ['-s', 'ups.id=cli-set', '-u', 'admin', '-p', 'adminpass', `dummy@${at}`]);
  assert.is(set.got.code, 0);
  await waitValue('dummy', 'ups.id', 'cli-set');
  await same('upsc', (at) => [`dummy@${at}`, 'ups.id']);
  const waited = await same('upsrw', (at) => ['-s', 'ups.id=cli-waited', '-u', 'admin', '-p', 'adminpass', '-w', `dummy@${at}`]);
  assert.is(waited.got.code, 0);
  await waitValue('dummy', 'ups.id', 'cli-waited');
  await same('upsrw', (at) => ['-s', 'ups.model=with spaces', '-u', 'admin', '-p', 'adminpass', `dummy@${at}`]);
  await waitValue('dummy', 'ups.model', 'with spaces');
  const long = await same('upsrw', (at) => ['-s', 'ups.id=0123456789abcdefX', '-u', 'admin', '-p', 'adminpass', `dummy@${at}`]);
  assert.is(long.got.code, 1);
  await same('upsrw', (at) => ['-s', 'driver.name=x', '-u', 'admin', '-p', 'adminpass', `dummy@${at}`]);
  await same('upsrw', (at) => ['-s', 'bogus.var=x', '-u', 'admin', '-p', 'adminpass', `dummy@${at}`]);
  await same('upsrw', (at) => ['-s', 'ups.id=x', '-u', 'admin', '-p', 'wrong', `dummy@${at}`]);
  await same('upsrw', (at) => ['-s', 'ups.id=x', '-u', 'tester', '-p', 'pass words', `dummy@${at}`]);
  await same('upsrw', (at) => [`dummy@${at}`]);
});

cli.run();
