// Debian's real serial drivers (nutdrv_qx, blazer_ser …) with upsd on a NutConfDir, the way
// RealNut runs dummy-ups: every daemon in the foreground, started and stopped by PID.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, NUT_BINARIES, NutConfDir, nutEnv, requirePeers, RUN_AS, sleep, waitUntilServing, type NutBinary } from './nut-sandbox.js';

export class RealSerialNut {
  private constructor(
    readonly conf: NutConfDir,
    readonly driver: Daemon,
    readonly upsd: Daemon,
  ) {}

  /** Starts `driver` for the one UPS of the folder, then upsd; waits until upsd serves it. */
  static async start(conf: NutConfDir, driver: NutBinary & ('nutdrv_qx' | 'blazer_ser' | 'apcsmart')): Promise<RealSerialNut> {
    requirePeers('upsd', driver);
    const env = nutEnv(conf.dir);
    const [ups] = conf.upsNames();
    if (ups === undefined) throw new Error('no UPS section');
    const d = Daemon.spawn(`${driver} ${ups}`, NUT_BINARIES[driver].path, ['-a', ups, '-F', ...RUN_AS], env);
    const deadline = Date.now() + 20000;
    while (!existsSync(join(conf.dir, `${driver}-${ups}`))) {
      if (!d.running) throw new Error(`${driver} exited:\n${d.log}`);
      if (Date.now() > deadline) throw new Error(`${driver} did not come up:\n${d.log}`);
      await sleep(50);
    }
    const upsd = Daemon.spawn('upsd', NUT_BINARIES.upsd.path, ['-F', ...RUN_AS], env);
    const nut = new RealSerialNut(conf, d, upsd);
    try {
      await waitUntilServing(conf.port, [ups], {
        timeoutMs: 20000,
        alive: () => (!upsd.running ? `upsd exited:\n${upsd.log}` : !d.running ? `${driver} exited:\n${d.log}` : undefined),
      });
    } catch (e) {
      await nut.stop();
      throw e;
    }
    return nut;
  }

  async stop(): Promise<void> {
    await this.upsd.stop();
    await this.driver.stop();
  }
}
