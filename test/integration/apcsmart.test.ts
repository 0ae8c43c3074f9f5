// apcsmart end to end over real pseudo-terminals (socat), against the simulated Smart-UPS of
// test/helpers/apcsmart-simulator.ts, and side by side with Debian's real /lib/nut/apcsmart + upsd
// on an identical simulator: Debian's upsc must show the same variables and values from both
// (driver.* excepted), in every power state; alerts must change ups.status before the next poll;
// shutdown commands must reach the UPS the way APC requires.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SimVariant } from '../helpers/apcsmart-sim-ups.js';
import { ApcSmartSimulator } from '../helpers/apcsmart-simulator.js';
import { Daemon, NUT_BINARIES, NutConfDir, nutEnv, requirePeers, RUN_AS, runCommand, sleep, waitUntilServing } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { runUpsgate, UpsgateProcess } from '../helpers/upsgate-process.js';

const test = suite('apcsmart over a pty: upsgate and Debian\'s apcsmart against the same simulated Smart-UPS');

const USERS = '[admin]\n\tpassword = apcpass\n\tactions = SET\n\tinstcmds = ALL\n';
const upsConf = (device: string, extra = '') => `[apc]\n\tdriver = apcsmart\n\tport = ${device}\n${extra}`;

/**
 * Where upsgate differs from NUT 2.8.0 on purpose, by variable. Nothing else may differ.
 * (none so far: every variable and value is NUT's)
 */
const ALLOWED: Record<string, string> = {};

/** Real upsd + real apcsmart on a config folder. */
class RealApcNut {
  private constructor(readonly conf: NutConfDir, readonly driver: Daemon, readonly upsd: Daemon) {}

  static async start(conf: NutConfDir): Promise<RealApcNut> {
    requirePeers('upsd', 'apcsmart', 'upsc');
    const env = nutEnv(conf.dir);
    const driver = Daemon.spawn('apcsmart', NUT_BINARIES.apcsmart.path, ['-a', 'apc', '-F', ...RUN_AS], env);
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(conf.dir, 'apcsmart-apc'))) {
      if (!driver.running || Date.now() > deadline) throw new Error(`apcsmart did not come up:\n${driver.log}`);
      await sleep(50);
    }
    const upsd = Daemon.spawn('upsd', NUT_BINARIES.upsd.path, ['-F', ...RUN_AS], env);
    await waitUntilServing(conf.port, ['apc'], { alive: () => (upsd.running ? undefined : upsd.log) });
    return new RealApcNut(conf, driver, upsd);
  }

  async stop(): Promise<void> {
    await this.upsd.stop();
    await this.driver.stop();
    await this.conf.remove();
  }
}

async function upsc(port: number): Promise<Map<string, string>> {
  const r = await runCommand('upsc', [`apc@127.0.0.1:${port}`]);
  if (r.code !== 0) throw new Error(`upsc failed: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^([^:]+): (.*)$/.exec(line);
    if (m && !m[1]!.startsWith('driver.')) out.set(m[1]!, m[2]!);
  }
  return out;
}

async function status(port: number): Promise<string> {
  const r = await runCommand('upsc', [`apc@127.0.0.1:${port}`, 'ups.status']);
  return r.stdout.trim() || r.stderr.trim();
}

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The variables that differ between the two servers, as "name: nut | upsgate". */
function differences(nut: Map<string, string>, gw: Map<string, string>): string[] {
  const names = [...new Set([...nut.keys(), ...gw.keys()])].sort();
  return names
    .filter((n) => nut.get(n) !== gw.get(n) && !(n in ALLOWED))
    .map((n) => `${n}: ${nut.get(n) ?? '(absent)'} | ${gw.get(n) ?? '(absent)'}`);
}

test('side by side with Debian\'s apcsmart: the same variables and values in every power state', async () => {
  const nutSim = await ApcSmartSimulator.start();
  const gwSim = await ApcSmartSimulator.start();
  const nutConf = await NutConfDir.create({ files: { 'ups.conf': upsConf(nutSim.device), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const gwConf = await NutConfDir.create({ files: { 'ups.conf': upsConf(gwSim.device), 'upsd.users': USERS }, port: await freeDualStackPort() });
  let nut: RealApcNut | undefined;
  let gw: UpsgateProcess | undefined;
  try {
    nut = await RealApcNut.start(nutConf);
    gw = await UpsgateProcess.start({ conf: gwConf });
    const compare = async (state: string, expectStatus: string) => {
      await until(`${state} on both`, async () => (await status(nutConf.port)) === expectStatus && (await status(gwConf.port)) === expectStatus);
      await sleep(2500); // one more poll each, so every variable is of the new state
      const [a, b] = [await upsc(nutConf.port), await upsc(gwConf.port)];
      assert.equal(differences(a, b), [], `${state}: variables differ (NUT | upsgate)`);
      assert.ok(a.size > 30, `${state}: NUT showed ${a.size} variables`);
    };
    await compare('on line', 'OL');
    for (const s of [nutSim, gwSim]) s.sim.mainsLost();
    await compare('on battery', 'OB');
    for (const s of [nutSim, gwSim]) s.sim.lowBattery();
    await compare('low battery', 'OB LB');
    for (const s of [nutSim, gwSim]) s.sim.mainsBack();
    await compare('mains back', 'OL');
    for (const s of [nutSim, gwSim]) s.sim.replaceBattery();
    await compare('replace battery', 'OL RB');
    const cmds = async (port: number) => (await runCommand('upscmd', ['-l', `apc@127.0.0.1:${port}`])).stdout;
    assert.is(await cmds(gwConf.port), await cmds(nutConf.port), 'the same instant commands');
    const rw = async (port: number) => (await runCommand('upsrw', [`apc@127.0.0.1:${port}`])).stdout;
    assert.is(await rw(gwConf.port), await rw(nutConf.port), 'the same writable variables, types and enums');
  } finally {
    await gw?.stop();
    await nut?.stop().catch(() => undefined);
    await gwConf.remove();
    await nutSim.stop();
    await gwSim.stop();
  }
});

for (const variant of ['measure', 'table', 'old'] as SimVariant[]) {
  test(`side by side, other models (${variant}): the same variables, commands and writable variables`, async () => {
    const nutSim = await ApcSmartSimulator.start(variant);
    const gwSim = await ApcSmartSimulator.start(variant);
    const nutConf = await NutConfDir.create({ files: { 'ups.conf': upsConf(nutSim.device), 'upsd.users': USERS }, port: await freeDualStackPort() });
    const gwConf = await NutConfDir.create({ files: { 'ups.conf': upsConf(gwSim.device), 'upsd.users': USERS }, port: await freeDualStackPort() });
    let nut: RealApcNut | undefined;
    let gw: UpsgateProcess | undefined;
    try {
      nut = await RealApcNut.start(nutConf);
      gw = await UpsgateProcess.start({ conf: gwConf });
      await sleep(2500);
      const [a, b] = [await upsc(nutConf.port), await upsc(gwConf.port)];
      assert.equal(differences(a, b), [], 'variables differ (NUT | upsgate)');
      assert.ok(a.size >= 10, `NUT showed ${a.size} variables`);
      const cmds = async (port: number) => (await runCommand('upscmd', ['-l', `apc@127.0.0.1:${port}`])).stdout;
      assert.is(await cmds(gwConf.port), await cmds(nutConf.port));
      const rw = async (port: number) => (await runCommand('upsrw', [`apc@127.0.0.1:${port}`])).stdout;
      assert.is(await rw(gwConf.port), await rw(nutConf.port));
    } finally {
      await gw?.stop();
      await nut?.stop().catch(() => undefined);
      await gwConf.remove();
      await nutSim.stop();
      await gwSim.stop();
    }
  });
}

/** upsgate alone on a simulator, with extra ups.conf lines. */
async function gateway(extra = ''): Promise<{ sim: ApcSmartSimulator; conf: NutConfDir; gw: UpsgateProcess; done: () => Promise<void> }> {
  const sim = await ApcSmartSimulator.start();
  const conf = await NutConfDir.create({ files: { 'ups.conf': upsConf(sim.device, extra), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const gw = await UpsgateProcess.start({ conf });
  return { sim, conf, gw, done: async () => { await gw.stop(); await conf.remove(); await sim.stop(); } };
}

const upscmd = (port: number, ...args: string[]) =>
  runCommand('upscmd', ['-u', 'admin', '-p', 'apcpass', `apc@127.0.0.1:${port}`, ...args]);

test('alerts change ups.status at once: with pollinterval 30 upsc shows OB, LB, OL within a second, no Q in between', async () => {
  const { sim, conf, done } = await gateway('\tpollinterval = 30\n');
  try {
    await sleep(500);
    const polls = sim.sim.received.filter((r) => r.cmd === 'Q').length;
    sim.sim.mainsLost();
    await until('OB', async () => (await status(conf.port)) === 'OB', 1000);
    sim.sim.lowBattery();
    await until('OB LB', async () => (await status(conf.port)) === 'OB LB', 1000);
    sim.sim.mainsBack();
    await until('OL', async () => (await status(conf.port)).startsWith('OL'), 1000);
    sim.sim.replaceBattery();
    await until('RB', async () => (await status(conf.port)).endsWith('RB'), 1000);
    assert.is(sim.sim.received.filter((r) => r.cmd === 'Q').length, polls, 'no status poll was needed');
  } finally {
    await done();
  }
});

test('shutdown as APC requires, side by side with apcsmart -k: S on battery; K twice >= 1.3 s apart (sdtype 3); on line upsgate sends @000', async () => {
  const nutK = async (ob: boolean, extra = '') => {
    const sim = await ApcSmartSimulator.start();
    if (ob) sim.sim.mainsLost();
    const conf = await NutConfDir.create({ files: { 'ups.conf': upsConf(sim.device, extra) }, port: await freeDualStackPort() });
    try {
      const r = await runCommand(NUT_BINARIES.apcsmart.path, ['-a', 'apc', '-k', ...RUN_AS], { env: nutEnv(conf.dir), timeoutMs: 30_000 });
      assert.is(r.code, 0, r.stderr);
      return { shutdowns: sim.sim.shutdowns, received: sim.sim.received.map((x) => ({ ...x })) };
    } finally {
      await conf.remove();
      await sim.stop();
    }
  };
  // Ours: the late-shutdown hook, `upsgate killpower`, with the POWERDOWNFLAG written (it sends driver.killpower).
  const ours = async (ob: boolean, extra = '') => {
    const sim = await ApcSmartSimulator.start();
    if (ob) sim.sim.mainsLost();
    const conf = await NutConfDir.create({ files: { 'ups.conf': upsConf(sim.device, extra) }, port: await freeDualStackPort() });
    try {
      await conf.writeFile('upsmon.conf', `MONITOR apc@localhost 1 monp mp primary\nSHUTDOWNCMD "/bin/true"\nPOWERDOWNFLAG ${conf.dir}/killpower\n`);
      await conf.writeFile('killpower', 'upsmon-shutdown-file');
      const r = await runUpsgate(['killpower', '--nut-conf', conf.dir], { timeoutMs: 30_000 });
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stderr, /killpower: UPS apc \(sdorder 0\) accepted driver\.killpower/);
      return { shutdowns: sim.sim.shutdowns, received: sim.sim.received.map((x) => ({ ...x })) };
    } finally {
      await conf.remove();
      await sim.stop();
    }
  };
  const kGap = (rec: Array<{ cmd: string; atMs: number }>) => {
    const ks = rec.filter((x) => x.cmd === 'K');
    assert.is(ks.length, 2, 'K sent twice');
    return ks[1]!.atMs - ks[0]!.atMs;
  };
  // On battery, sdtype 0: both send S, which the UPS accepts.
  assert.equal((await nutK(true)).shutdowns, ['S']);
  assert.equal((await ours(true)).shutdowns, ['S']);
  // sdtype 3: K, 1.3 s, K — both.
  const nk = await nutK(false, '\tsdtype = 3\n');
  const gk = await ours(false, '\tsdtype = 3\n');
  assert.equal(nk.shutdowns, ['K']);
  assert.equal(gk.shutdowns, ['K']);
  assert.ok(kGap(nk.received) >= 1300 && kGap(gk.received) >= 1300, `gaps ${kGap(nk.received)} / ${kGap(gk.received)} ms`);
  // On line, sdtype 0. A DIFFERENCE, on purpose: NUT 2.8.0 takes Q's two-character reply for a
  // failed read (it wants length 1), assumes OB+LB and sends S, which a UPS on line refuses — the
  // load stays on and the halted hosts never come back. upsgate reads the status and sends @000.
  const nl = await nutK(false);
  assert.equal(nl.shutdowns, [], 'NUT: S refused on line, nothing happens');
  assert.ok(nl.received.some((x) => x.cmd === 'S'));
  assert.equal((await ours(false)).shutdowns, ['@000']);
});

test('dangerous instant commands: the first upscmd only arms it, the same again 3-15 s later sends K K', async () => {
  const { sim, conf, done } = await gateway();
  try {
    assert.is((await upscmd(conf.port, 'shutdown.stayoff')).code, 0);
    await sleep(1500);
    assert.ok(!sim.sim.received.some((x) => x.cmd === 'K'), 'not sent yet');
    await sleep(2000);
    assert.is((await upscmd(conf.port, 'shutdown.stayoff')).code, 0);
    await until('K K', async () => sim.sim.shutdowns.includes('K'), 10_000);
    assert.is(sim.sim.received.filter((x) => x.cmd === 'K').length, 2);
  } finally {
    await done();
  }
});

test('SET with upsrw: the EEPROM - cycle and an 8-character string, the same on both', async () => {
  const nutSim = await ApcSmartSimulator.start();
  const nutConf = await NutConfDir.create({ files: { 'ups.conf': upsConf(nutSim.device), 'upsd.users': USERS }, port: await freeDualStackPort() });
  const g = await gateway();
  let nut: RealApcNut | undefined;
  try {
    nut = await RealApcNut.start(nutConf);
    for (const port of [nutConf.port, g.conf.port]) {
      for (const set of ['input.transfer.high=136', 'battery.runtime.low=300', 'ups.id=RACK3']) {
        const r = await runCommand('upsrw', ['-s', set, '-u', 'admin', '-p', 'apcpass', `apc@127.0.0.1:${port}`]);
        assert.is(r.code, 0, r.stderr);
      }
    }
    for (const s of [nutSim, g.sim]) {
      await until('the values in the UPS', async () => s.sim.values.u === '136' && s.sim.values.q === '05' && s.sim.values.c === 'RACK3', 15_000);
    }
    await sleep(2500);
    assert.equal(differences(await upsc(nutConf.port), await upsc(g.conf.port)), []);
    assert.is((await upsc(g.conf.port)).get('ups.id'), 'RACK3');
  } finally {
    await nut?.stop().catch(() => undefined);
    await g.done();
    await nutSim.stop();
  }
});

test('noise on the line (between and inside replies): at most one update is lost, then the values are right again', async () => {
  const { sim, conf, done } = await gateway();
  try {
    for (let i = 0; i < 5; i++) {
      sim.sim.noise('\x00\xffNOISE\r\n~~');
      await sleep(300);
    }
    await until('fresh and right', async () => (await status(conf.port)) === 'OL' && (await upsc(conf.port)).get('input.voltage') === '118.3', 10_000);
  } finally {
    await done();
  }
});

test('the adapter vanishes (socat ends): ERR DATA-STALE, never old values; a new pty on the same path: fresh again', async () => {
  const { sim, conf, gw, done } = await gateway();
  try {
    await sim.unplug();
    await until('stale', async () => /Data stale/.test(await status(conf.port)), 10_000); // upsc's words for ERR DATA-STALE
    await sim.replug();
    await until('fresh again', async () => (await status(conf.port)) === 'OL', 30_000);
    assert.match(gw.stderr, /open again/);
  } finally {
    await done();
  }
});

test.run();
