// apcsmart end to end over real pseudo-terminals (socat), against the simulated Smart-UPS of
// test/helpers/apcsmart-simulator.ts, and side by side with Debian's real /lib/nut/apcsmart + upsd
// on an identical simulator: Debian's upsc must show the same variables and values from both
// (driver.* excepted), in every power state; alerts must change ups.status before the next poll;
// shutdown commands must reach the UPS the way APC requires.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApcSmartSimulator } from '../helpers/apcsmart-simulator.js';
import { Daemon, NUT_BINARIES, NutConfDir, nutEnv, requirePeers, RUN_AS, runCommand, sleep, waitUntilServing } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';

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

test.run();
