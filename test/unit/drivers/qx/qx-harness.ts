// QxDriver on a FakeClock with an in-memory link that answers as the Q1 simulator does.
import { Device } from '../../../../src/core/device.js';
import { createLogger } from '../../../../src/core/logger.js';
import type { Flavour } from '../../../../src/drivers/qx/battery-guess.js';
import { QxDriver } from '../../../../src/drivers/qx/qx-driver.js';
import type { ByteLink } from '../../../../src/drivers/qx/serial-line.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { answerQ1, DEFAULT_Q1_STATE, type Q1State } from '../../../helpers/q1-simulator.js';
import { sectionOf, settle, type Lines } from '../helpers.js';

export class QxHarness {
  readonly clock = new FakeClock();
  readonly device = new Device('ups1', this.clock);
  readonly driver: QxDriver;
  readonly logs: string[] = [];
  readonly sent: string[] = [];
  state: Q1State = structuredClone(DEFAULT_Q1_STATE);
  /** False: opening fails as for a missing device node. */
  present = true;
  /** Text sent before every reply (noise on the line). */
  noise = '';
  /** True: the UPS stops answering (a wedged unit). */
  silent = false;
  /** Replies come this long after the command (0: at once). */
  replyDelayMs = 0;
  private closeLink: (() => void) | undefined;

  constructor(flavour: Flavour, lines: Lines = []) {
    const section = sectionOf([['driver', flavour], ['port', '/dev/ttyUSB0'], ...lines]);
    this.driver = new QxDriver(
      {
        section,
        pollIntervalSeconds: 2,
        confDir: '/tmp',
        device: this.device,
        clock: this.clock,
        log: createLogger('test', (level, _room, message) => this.logs.push(`${level}: ${message}`), 'debug'),
      },
      flavour,
      async () => this.open(),
    );
  }

  private open(): ByteLink {
    if (!this.present) throw new Error('ENOENT: no such file or directory');
    let data: (b: Buffer) => void = () => undefined;
    let closed: (r: string) => void = () => undefined;
    let open = true;
    this.closeLink = () => {
      open = false;
      closed('unplugged');
    };
    return {
      write: async (text) => {
        if (!open) throw new Error('port is not open');
        const command = text.replace(/\r$/, '');
        this.sent.push(command);
        const reply = answerQ1(this.state, command);
        if (reply === undefined || this.silent) return;
        const deliver = () => open && data(Buffer.from(`${this.noise}${reply}\r`, 'latin1'));
        if (this.replyDelayMs > 0) this.clock.setTimeout(deliver, this.replyDelayMs);
        else queueMicrotask(deliver);
      },
      close: async () => {
        open = false;
      },
      onData: (fn) => (data = fn),
      onClose: (fn) => (closed = fn),
    };
  }

  /** The adapter is pulled out. */
  unplug(): void {
    this.present = false;
    this.closeLink?.();
  }

  async start(): Promise<void> {
    let done = false;
    const p = this.driver.start().finally(() => (done = true));
    while (!done) {
      await settle(() => done || this.clock.pendingTimeouts() > 0);
      if (done) break;
      await this.clock.advance(100);
    }
    await p;
  }

  async run(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    while (this.clock.now() < end) {
      await settle(() => this.clock.pendingTimeouts() > 0);
      await this.clock.advance(Math.min(100, end - this.clock.now()));
    }
    await settle(() => this.clock.pendingTimeouts() > 0);
  }

  /** An instant command, moving the clock while the driver waits for the UPS's (non-)answer. */
  async cmd(name: string, parameter?: string): Promise<string> {
    let done = false;
    const p = this.driver.instcmd(name, parameter).finally(() => (done = true));
    while (!done) {
      await settle(() => done || this.clock.pendingTimeouts() > 0);
      if (!done) await this.clock.advance(100);
    }
    return p;
  }

  get(name: string): string | undefined {
    return this.device.getInfo(name);
  }
}
