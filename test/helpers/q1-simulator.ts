// A Megatec/Q1 UPS on a pseudo-terminal, for tests of upsgate's and NUT's Q1 drivers.
//
// socat makes a pty pair; the simulator holds one end (`simPath`) and a driver opens the other
// (`port`). The simulator reads commands ended by CR, answers as HARDWARE.md §4.1 describes a
// Megatec unit (Q1 status, F ratings, I info; T/TL/Q/S…/C/CT acted on silently; unknown
// commands echoed back) and keeps a state that tests change. `garbage()` sends noise,
// `drop()` stops socat so the port vanishes (as an unplugged USB adapter does) and `restore()`
// brings it back on the same path. Only the socat process we started is ever stopped, by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface Q1State {
  inputVoltage: number;
  inputFaultVoltage: number;
  outputVoltage: number;
  load: number;
  frequency: number;
  /** As the UPS reports it: per cell (2.27) for on-line units, pack voltage (13.6) for standby. */
  batteryVoltage: number;
  temperature: number;
  utilityFail: boolean;
  batteryLow: boolean;
  bypassActive: boolean;
  upsFailed: boolean;
  standby: boolean;
  testing: boolean;
  shutdownActive: boolean;
  beeper: boolean;
  /** F reply fields. */
  ratedVoltage: number;
  ratedCurrent: number;
  ratedBatteryVoltage: number;
  ratedFrequency: number;
  /** I reply, or undefined for a unit that does not know I (it echoes it). */
  info?: { mfr: string; model: string; firmware: string };
}

export const DEFAULT_Q1_STATE: Q1State = {
  inputVoltage: 229.4, inputFaultVoltage: 229.4, outputVoltage: 229.4, load: 13, frequency: 49.9,
  batteryVoltage: 13.1, temperature: 25.0, utilityFail: false, batteryLow: false, bypassActive: false,
  upsFailed: false, standby: true, testing: false, shutdownActive: false, beeper: true,
  ratedVoltage: 230.0, ratedCurrent: 2, ratedBatteryVoltage: 12.0, ratedFrequency: 50.0,
  info: { mfr: 'SIMULATED', model: 'Q1 SIM', firmware: 'V1.0' },
};

const num = (v: number, width: number, decimals: number) => v.toFixed(decimals).padStart(width, '0');
const bit = (b: boolean) => (b ? '1' : '0');

export function q1Reply(s: Q1State): string {
  const battery = s.batteryVoltage < 10 ? s.batteryVoltage.toFixed(2) : num(s.batteryVoltage, 4, 1);
  return (
    `(${num(s.inputVoltage, 5, 1)} ${num(s.inputFaultVoltage, 5, 1)} ${num(s.outputVoltage, 5, 1)} ` +
    `${String(Math.round(s.load)).padStart(3, '0')} ${num(s.frequency, 4, 1)} ${battery} ${num(s.temperature, 4, 1)} ` +
    [s.utilityFail, s.batteryLow, s.bypassActive, s.upsFailed, s.standby, s.testing, s.shutdownActive, s.beeper].map(bit).join('')
  );
}

export function fReply(s: Q1State): string {
  return `#${num(s.ratedVoltage, 5, 1)} ${String(s.ratedCurrent).padStart(3, '0')} ${num(s.ratedBatteryVoltage, 5, 2)} ${num(s.ratedFrequency, 4, 1)}`;
}

export function iReply(info: NonNullable<Q1State['info']>): string {
  return `#${info.mfr.padEnd(15).slice(0, 15)} ${info.model.padEnd(10).slice(0, 10)} ${info.firmware.padEnd(10).slice(0, 10)}`;
}

export class Q1Simulator {
  state: Q1State;
  /** Every command received, without its CR, in order. */
  readonly received: string[] = [];
  /** When true, the UPS stays silent (a wedged unit). */
  mute = false;
  private socat: ChildProcess | undefined;
  private fh: FileHandle | undefined;
  private reading = false;
  private buffer = '';

  private constructor(
    readonly dir: string,
    state: Partial<Q1State>,
  ) {
    this.state = { ...DEFAULT_Q1_STATE, ...state };
  }

  /** The path a driver opens (ups.conf `port`). */
  get port(): string {
    return join(this.dir, 'ttyUPS');
  }

  get simPath(): string {
    return join(this.dir, 'ttySIM');
  }

  static async start(dir: string, state: Partial<Q1State> = {}): Promise<Q1Simulator> {
    const sim = new Q1Simulator(dir, state);
    await sim.restore();
    return sim;
  }

  /** Starts socat (if stopped) and opens our end. */
  async restore(): Promise<void> {
    if (this.socat) return;
    const socat = spawn('/usr/bin/socat', ['-d', '-d', `pty,raw,echo=0,link=${this.port}`, `pty,raw,echo=0,link=${this.simPath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    socat.stderr?.resume();
    this.socat = socat;
    const until = Date.now() + 5000;
    while (!(existsSync(this.port) && existsSync(this.simPath))) {
      if (Date.now() > until || socat.exitCode !== null) throw new Error('socat did not create the pty pair');
      await delay(20);
    }
    this.fh = await open(this.simPath, 'r+');
    void this.readLoop(this.fh);
  }

  /** The adapter vanishes: socat ends, both pty links go away. */
  async drop(): Promise<void> {
    const socat = this.socat;
    this.socat = undefined;
    const fh = this.fh;
    this.fh = undefined;
    this.reading = false;
    if (socat && socat.exitCode === null && socat.pid !== undefined) {
      const exited = new Promise((r) => socat.once('exit', r));
      process.kill(socat.pid, 'SIGTERM');
      await exited;
    }
    await fh?.close().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.drop();
  }

  /** Sends bytes the driver did not ask for. */
  async garbage(text: string): Promise<void> {
    await this.fh?.write(text);
  }

  private async readLoop(fh: FileHandle): Promise<void> {
    this.reading = true;
    const buf = Buffer.alloc(256);
    while (this.reading && this.fh === fh) {
      let n = 0;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch {
        return;
      }
      if (n === 0) {
        await delay(10);
        continue;
      }
      this.buffer += buf.subarray(0, n).toString('latin1');
      let cr: number;
      while ((cr = this.buffer.indexOf('\r')) >= 0) {
        const command = this.buffer.slice(0, cr).replace(/^\n+/, '');
        this.buffer = this.buffer.slice(cr + 1);
        this.received.push(command);
        const reply = answerQ1(this.state, command);
        if (reply !== undefined && !this.mute) await fh.write(`${reply}\r`).catch(() => undefined);
      }
    }
  }
}

/** The reply of a Megatec unit in state `s` to one command, or undefined when the UPS says nothing. */
export function answerQ1(s: Q1State, command: string): string | undefined {
  if (command === 'Q1') return q1Reply(s);
  if (command === 'F') return fReply(s);
  if (command === 'I') return s.info ? iReply(s.info) : command;
  if (command === 'Q') {
    s.beeper = !s.beeper;
    return undefined;
  }
  if (command === 'T' || command === 'TL' || /^T\d\d$/.test(command)) {
    s.testing = true;
    return undefined;
  }
  if (command === 'CT') {
    s.testing = false;
    return undefined;
  }
  if (command === 'C') {
    s.shutdownActive = false;
    return undefined;
  }
  if (/^S(\.[2-9]|0[1-9]|10|00)(R\d{4})?$/.test(command)) {
    s.shutdownActive = true;
    return undefined;
  }
  return command; // what Megatec units do with a command they do not know
}
