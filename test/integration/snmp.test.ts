// snmp-ups end to end: Debian's snmpsimd serves the recorded APC AP9631 on 127.0.0.1; upsgate's
// driver and Debian's real /lib/nut/snmp-ups (under a real upsd) read the same agent, and Debian's
// upsc, upsrw and upscmd -l must show the same thing through both, apart from driver.* and the
// differences listed below with the reason for each. Then: a command's SET reaches the agent
// (snmpsim's writecache), and a wrong community, a port nobody answers on and an SNMPv3
// authentication failure are each one clear error and stale data, never a crash.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, NUT_BINARIES, NutConfDir, nutEnv, requirePeers, RUN_AS, runCommand, sleep, waitUntilServing } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { apcRecording, makeWritable, silentUdpPort, Snmpsim } from '../helpers/snmpsim.js';
import { UPSGATE_ENTRY, UpsgateProcess } from '../helpers/upsgate-process.js';

const UPS = '1.3.6.1.4.1.318.1.1.1';
/** upsBasicControl, upsAdvControl, upsAdvTest, upsAdvConfig: writable, as on a real card. */
const WRITABLE = [`${UPS}.6`, `${UPS}.7.2.2.0`, `${UPS}.7.2.5.0`, `${UPS}.5.2`];

/**
 * Where upsgate and NUT 2.8.0 differ on this card, per table, and why. Nothing else may differ.
 */
const DIFFERENCES: Record<string, Record<string, { nut: string | undefined; ours: string | undefined }>> = {
  apcc: {
    // upsAdvConfigShutoffDelay is TimeTicks 9000 = 90 s. NUT's apcc row has a "length" of 3 that
    // its numeric path uses as a multiplier, so NUT shows 270. 90 is right.
    'ups.delay.shutdown': { nut: '270', ours: '90' },
  },
  ietf: {
    // upsTestId names the last test started (the quick test, .7.7.4), upsTestResultsSummary says
    // donePass: no test runs. NUT reduces upsTestId to its last arc (4) and shows TEST for ever.
    // (OFF: this card's upsOutputSource is none(2), both agree; PowerNet says onLine — the card's quirk.)
    'ups.status': { nut: 'OFF TEST', ours: 'OFF' },
    // upsBypassNumLines is 1: single-phase bypass rows only. NUT's phase filter takes
    // "input.bypass" for "input" (prefix compare), so it also publishes the three-phase L1 rows.
    'input.bypass.L1-N.voltage': { nut: '0', ours: undefined },
    'input.bypass.L1.current': { nut: '3.90', ours: undefined },
    'input.bypass.L1.realpower': { nut: '0', ours: undefined },
  },
};

const USERS = '[admin]\n\tpassword = adminpass\n\tactions = SET\n\tinstcmds = ALL\n';

function section(name: string, port: number, extra = ''): string {
  // extra: further ups.conf lines, e.g. a mibs line
  return `[${name}]\n\tdriver = snmp-ups\n\tport = 127.0.0.1:${port}\n\tcommunity = apc\n\tsnmp_version = v2c\n${extra}`;
}

const upscLines = (out: string) => out.split('\n').filter((l) => l !== '' && !l.startsWith('driver.'));

/** Real snmp-ups + upsd on a NutConfDir (drivers first, as upsdrvctl starts them). */
async function startRealNut(conf: NutConfDir): Promise<{ stop(): Promise<void>; logs(): string }> {
  requirePeers('snmp-ups', 'upsd');
  const env = nutEnv(conf.dir);
  const driver = Daemon.spawn('snmp-ups', NUT_BINARIES['snmp-ups'].path, ['-a', 'apc', '-F', ...RUN_AS], env);
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(conf.dir, 'snmp-ups-apc'))) {
    if (!driver.running || Date.now() > deadline) throw new Error(`snmp-ups did not start:\n${driver.log}`);
    await sleep(100);
  }
  const upsd = Daemon.spawn('upsd', NUT_BINARIES.upsd.path, ['-F', ...RUN_AS], env);
  const logs = () => `[snmp-ups]\n${driver.log}\n[upsd]\n${upsd.log}`;
  try {
    await waitUntilServing(conf.port, ['apc'], { alive: () => (upsd.running && driver.running ? undefined : logs()) });
  } catch (e) {
    await upsd.stop();
    await driver.stop();
    throw new Error(`${(e as Error).message}\n${logs()}`);
  }
  return {
    logs,
    async stop() {
      await upsd.stop();
      await driver.stop();
    },
  };
}

const test = suite('snmp-ups against snmpsim, side by side with Debian snmp-ups');

let sim: Snmpsim;

test.before(async () => {
  requirePeers('snmpsimd', 'upsc', 'upscmd', 'upsrw');
  sim = await Snmpsim.start({ files: { apc: makeWritable(await apcRecording(), WRITABLE) } });
});

test.after(async () => {
  await sim?.stop();
});

for (const mibs of ['apcc', 'ietf']) {
test(`mibs = ${mibs === 'apcc' ? 'auto (apcc chosen)' : mibs}: upsc, upsrw and upscmd -l show the same through upsgate and through NUT's snmp-ups`, async () => {
  const extra = mibs === 'ietf' ? '\tmibs = ietf\n' : '';
  const realConf = await NutConfDir.create({ files: { 'ups.conf': section('apc', sim.port, extra), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const oursConf = await NutConfDir.create({ files: { 'ups.conf': section('apc', sim.port, extra), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const real = await startRealNut(realConf);
  const ours = await UpsgateProcess.start({ conf: oursConf });
  try {
    const view = async (port: number) => ({
      upsc: upscLines((await runCommand('upsc', [`apc@127.0.0.1:${port}`])).stdout),
      rw: (await runCommand('upsrw', [`apc@127.0.0.1:${port}`])).stdout,
      cmds: (await runCommand('upscmd', ['-l', `apc@127.0.0.1:${port}`])).stdout,
    });
    const nut = await view(realConf.port);
    const gw = await view(oursConf.port);
    assert.ok(nut.upsc.some((l) => l.startsWith('ups.status: ')), nut.upsc.join('\n'));
    const asMap = (lines: string[]) => new Map(lines.map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
    const n = asMap(nut.upsc);
    const g = asMap(gw.upsc);
    const differences = DIFFERENCES[mibs]!;
    for (const name of new Set([...n.keys(), ...g.keys()])) {
      const d = differences[name];
      if (d) {
        assert.is(n.get(name), d.nut, `NUT's ${name}`);
        assert.is(g.get(name), d.ours, `our ${name}`);
      } else {
        assert.is(g.get(name), n.get(name), name);
      }
    }
    const order = (m: Map<string, string>) => [...m.keys()].filter((k) => !(k in differences) || m.get(k) !== undefined);
    assert.equal(order(g).filter((k) => n.has(k)), order(n).filter((k) => g.has(k)), 'upsc order');
    const fixRw = (s: string) => s.replace(/(\[ups\.delay\.shutdown\][^[]*Value: )\d+/, '$1<delay>');
    assert.is(fixRw(gw.rw), fixRw(nut.rw));
    assert.is(gw.cmds, nut.cmds);
    assert.match(gw.cmds, mibs === 'apcc' ? /shutdown\.return - Turn off the load and return when power is back/ : /test\.battery\.start\.quick/);
  } finally {
    await ours.stop();
    await real.stop();
    await realConf.remove();
    await oursConf.remove();
  }
});
}

test('upscmd shutdown.return and upsrw input.transfer.low reach the card as SNMP SETs', async () => {
  const conf = await NutConfDir.create({ files: { 'ups.conf': section('apc', sim.port), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const gw = await UpsgateProcess.start({ conf });
  try {
    const before = await sim.snmpget('apc', `${UPS}.6.1.1.0`);
    assert.match(before.stdout, /INTEGER: 1/);
    const r = await runCommand('upscmd', ['-u', 'admin', '-p', 'adminpass', `apc@127.0.0.1:${conf.port}`, 'shutdown.return']);
    assert.is(r.code, 0, r.stderr);
    assert.match((await sim.snmpget('apc', `${UPS}.6.1.1.0`)).stdout, /INTEGER: 2/);
    const w = await runCommand('upsrw', ['-s', 'input.transfer.low=103', '-u', 'admin', '-p', 'adminpass', `apc@127.0.0.1:${conf.port}`]);
    assert.is(w.code, 0, w.stderr);
    assert.match((await sim.snmpget('apc', `${UPS}.5.2.3.0`)).stdout, /INTEGER: 103/);
    // NUT's apcc table gives input.sensitivity a maximum length of 1 (upsrw shows it), so upsd —
    // NUT's and ours — refuses every value as too long; kept so that upsrw shows what NUT shows.
    const sens = await runCommand('upsrw', ['-s', 'input.sensitivity=high', '-u', 'admin', '-p', 'adminpass', `apc@127.0.0.1:${conf.port}`]);
    assert.match(sens.stdout + sens.stderr, /TOO-LONG/);
    // A read-only OID (snmpsim answers noSuchInstance to the SET): upsd 2.8.0 answers OK before the
    // driver is done (no TRACKING), so the refusal shows in the log; nothing else breaks.
    await runCommand('upscmd', ['-u', 'admin', '-p', 'adminpass', `apc@127.0.0.1:${conf.port}`, 'reset.input.minmax']);
    await gw.waitForStderr(/the card refused instcmd reset\.input\.minmax/);
    assert.ok(gw.running);
  } finally {
    // Put the card back for the other tests.
    await runCommand('snmpset', ['-v2c', '-c', 'apc', `127.0.0.1:${sim.port}`, `${UPS}.6.1.1.0`, 'i', '1', `${UPS}.5.2.3.0`, 'i', '106']);
    await gw.stop();
    await conf.remove();
  }
});

test('SNMPv1, NUT\'s default when snmp_version is not set: the same values as v2c', async () => {
  const v1 = `[apc]\n\tdriver = snmp-ups\n\tport = 127.0.0.1:${sim.port}\n\tcommunity = apc\n`;
  const confs = [
    await NutConfDir.create({ files: { 'ups.conf': v1, 'upsd.users': USERS }, port: await freeDualStackPort() }),
    await NutConfDir.create({ files: { 'ups.conf': section('apc', sim.port), 'upsd.users': USERS }, port: await freeDualStackPort() }),
  ];
  const gws = [await UpsgateProcess.start({ conf: confs[0]! }), await UpsgateProcess.start({ conf: confs[1]! })];
  try {
    const [a, b] = await Promise.all(confs.map(async (c) => upscLines((await runCommand('upsc', [`apc@127.0.0.1:${c.port}`])).stdout)));
    assert.ok(a!.includes('battery.runtime: 2400'), a!.join('\n'));
    assert.equal(a, b);
  } finally {
    for (const g of gws) await g.stop();
    for (const c of confs) await c.remove();
  }
});

/** upsgate with sections whose card never answers: it runs, says why once, serves DATA-STALE. */
async function staleGateway(ups: string, text: string, files: Record<string, string> = {}) {
  const conf = await NutConfDir.create({ files: { 'ups.conf': text, 'upsd.users': USERS, ...files }, port: await freeDualStackPort() });
  const gw = Daemon.spawn('upsgate', process.execPath, [UPSGATE_ENTRY, 'run', '--nut-conf', conf.dir], { ...process.env });
  return {
    conf,
    gw,
    async waitForLog(re: RegExp, ms = 15_000) {
      const end = Date.now() + ms;
      while (!re.test(gw.log)) {
        if (!gw.running) throw new Error(`upsgate exited:\n${gw.log}`);
        if (Date.now() > end) throw new Error(`upsgate log never matched ${re}:\n${gw.log}`);
        await sleep(100);
      }
    },
    async upsc() {
      return runCommand('upsc', [`${ups}@127.0.0.1:${conf.port}`, 'ups.status']);
    },
    async stop() {
      await gw.stop();
      await conf.remove();
    },
  };
}

test('a wrong community: one error naming the ups.conf line and the community, DATA-STALE, no crash', async () => {
  const g = await staleGateway('wrong', `[wrong]\n\tdriver = snmp-ups\n\tport = 127.0.0.1:${sim.port}\n\tcommunity = nosuch\n\tsnmp_version = v2c\n\tsnmp_retries = 0\n\tsnmp_timeout = 1\n`);
  try {
    await g.waitForLog(/ups\.conf:3:\d+: \[wrong\] snmp-ups on 127\.0\.0\.1:\d+: no answer .*community/);
    assert.not.match(g.gw.log, /nosuch/, 'the community is never logged');
    const r = await g.upsc();
    assert.match(r.stderr, /Data stale/);
    await sleep(3000);
    assert.ok(g.gw.running);
    assert.is((g.gw.log.match(/no answer from/g) ?? []).length, 1, 'logged once per outage');
  } finally {
    await g.stop();
  }
});

test('a port nobody answers on: timeout, DATA-STALE, the gateway serves on', async () => {
  const silent = await silentUdpPort();
  const g = await staleGateway('dead', `[dead]\n\tdriver = snmp-ups\n\tport = 127.0.0.1:${silent.port}\n\tcommunity = apc\n\tsnmp_retries = 1\n\tsnmp_timeout = 1\n`);
  try {
    await g.waitForLog(/\[dead\] snmp-ups on 127\.0\.0\.1:\d+: no answer .* after 2 tries of 1 s/);
    assert.match((await g.upsc()).stderr, /Data stale/);
    assert.ok(g.gw.running);
  } finally {
    await g.stop();
    await silent.close();
  }
});

test('SNMPv3 against snmpsim\'s v3 user: a wrong authPassword is an authentication error, data stale', async () => {
  const v3 = await Snmpsim.start({
    files: { apc: await apcRecording() },
    v3: { user: 'nutuser', authKey: 'authpass123', authProto: 'SHA', privKey: 'privpass123', privProto: 'AES' },
  });
  const g = await staleGateway('v3', [
    '[v3]', '\tdriver = snmp-ups', `\tport = 127.0.0.1:${v3.port}`, '\tsnmp_version = v3', '\tsecLevel = authPriv',
    '\tsecName = nutuser', '\tauthProtocol = SHA', '\tauthPassword = wrongpass123', '\tprivProtocol = AES', '\tprivPassword = privpass123',
    '\tsnmp_retries = 0', '\tsnmp_timeout = 1', '',
  ].join('\n'));
  try {
    await g.waitForLog(/\[v3\] snmp-ups on .*: SNMPv3 authentication with .* failed/);
    assert.not.match(g.gw.log, /wrongpass123|privpass123/, 'secrets are never logged');
    assert.match((await g.upsc()).stderr, /Data stale/);
    assert.ok(g.gw.running);
  } finally {
    await g.stop();
    await v3.stop();
  }
});

test.run();
