// The simulated Smart-UPS (apcsmart-sim-ups.ts) on a real pseudo-terminal pair:
//   socat -d -d pty,raw,echo=0,link=<dir>/ttyUPS pty,raw,echo=0,link=<dir>/ttySIM
// The driver under test (upsgate's, or Debian's /lib/nut/apcsmart) opens `port` (ttyUPS); the
// simulator holds ttySIM through serialport. We start socat and stop it by its PID only.
// `unplug()` ends socat, which removes both links, as a USB serial adapter pulled out does;
// `replug()` starts a new pair on the same paths.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { SimUps, type SimVariant } from './apcsmart-sim-ups.js';
import { Daemon, NUT_BINARIES, requirePeers, sleep } from './nut-sandbox.js';

export class ApcSmartSimulator {
  readonly sim: SimUps;
  readonly dir: string;
  private socat: Daemon | undefined;
  private port: SerialPort | undefined;

  private constructor(dir: string, variant: SimVariant) {
    this.dir = dir;
    this.sim = new SimUps((text) => this.port?.write(Buffer.from(text, 'latin1')), undefined, variant);
  }

  /** The path a ups.conf `port =` line names. */
  get device(): string {
    return join(this.dir, 'ttyUPS');
  }

  get socatPid(): number | undefined {
    return this.socat?.pid;
  }

  static async start(variant: SimVariant = 'smart-ups'): Promise<ApcSmartSimulator> {
    requirePeers('socat');
    const s = new ApcSmartSimulator(mkdtempSync(join(tmpdir(), 'upsgate-apc-')), variant);
    await s.replug();
    return s;
  }

  /** A new pty pair on the same paths, with the simulator on its end. */
  async replug(): Promise<void> {
    const sim = join(this.dir, 'ttySIM');
    this.socat = Daemon.spawn('socat', NUT_BINARIES.socat.path, [
      '-d', '-d', `pty,raw,echo=0,link=${this.device}`, `pty,raw,echo=0,link=${sim}`,
    ], { PATH: process.env.PATH ?? '/usr/bin:/bin' });
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.device) && existsSync(sim) && /starting data transfer loop/.test(this.socat.log))) {
      if (!this.socat.running) throw new Error(`socat exited:\n${this.socat.log}`);
      if (Date.now() > deadline) throw new Error(`socat did not make the pty pair:\n${this.socat.log}`);
      await sleep(20);
    }
    const port = new SerialPort({ path: sim, baudRate: 2400, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('data', (b: Buffer) => this.sim.receive(b));
    port.on('error', () => undefined);
    this.port = port;
  }

  /** The adapter is pulled out: socat ends (by its PID) and both links go. */
  async unplug(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    await this.socat?.stop(2000);
    this.socat = undefined;
  }

  async stop(): Promise<void> {
    await this.unplug();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
