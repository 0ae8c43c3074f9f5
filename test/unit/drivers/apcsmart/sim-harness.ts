import { Device } from '../../../../src/core/device.js';
import { createLogger } from '../../../../src/core/logger.js';
import { ApcSmart } from '../../../../src/drivers/apcsmart/apcsmart.js';
import type { SerialChannel } from '../../../../src/drivers/serial-channel.js';
import { SimUps } from '../../../helpers/apcsmart-sim-ups.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { sectionOf, type Lines } from '../helpers.js';

/** A serial channel in memory: bytes reach the other side on a later event-loop turn, as on a tty. */
export class MemoryChannel implements SerialChannel {
  private dataListeners: Array<(b: Buffer) => void> = [];
  private closeListeners: Array<(r: string) => void> = [];
  lines: Array<{ dtr?: boolean; rts?: boolean }> = [];
  closed = false;
  constructor(private readonly toUps: (b: Buffer) => void) {}
  write(data: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new Error('EIO'));
    setImmediate(() => this.toUps(data));
    return Promise.resolve();
  }
  fromUps(text: string): void {
    if (this.closed) return;
    const b = Buffer.from(text, 'latin1');
    setImmediate(() => this.dataListeners.forEach((l) => l(b)));
  }
  onData(l: (b: Buffer) => void): void {
    this.dataListeners.push(l);
  }
  onClose(l: (r: string) => void): void {
    this.closeListeners.push(l);
  }
  setLines(lines: { dtr?: boolean; rts?: boolean }): Promise<void> {
    this.lines.push(lines);
    return Promise.resolve();
  }
  /** The adapter vanished. */
  unplug(): void {
    this.closed = true;
    this.closeListeners.forEach((l) => l('device disconnected'));
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const turn = () => new Promise<void>((r) => setImmediate(r));

/** apcsmart against the simulated UPS, on a FakeClock; `unplugged` makes opening fail. */
export class SimHarness {
  readonly clock = new FakeClock();
  readonly device: Device;
  readonly driver: ApcSmart;
  readonly sim: SimUps;
  readonly logs: string[] = [];
  channel!: MemoryChannel;
  unplugged = false;
  opens = 0;

  constructor(lines: Lines = [], sim?: (out: (t: string) => void, now: () => number) => SimUps) {
    const section = sectionOf([['driver', 'apcsmart'], ['port', '/dev/ttyS0'], ...lines]);
    this.device = new Device(section.name, this.clock);
    const out = (t: string) => this.channel?.fromUps(t);
    this.sim = sim ? sim(out, () => this.clock.now()) : new SimUps(out, () => this.clock.now());
    this.driver = new ApcSmart(
      {
        section,
        pollIntervalSeconds: 2,
        confDir: '/etc/nut',
        device: this.device,
        clock: this.clock,
        log: createLogger('test', (level, _room, message) => this.logs.push(`${level}: ${message}`), 'debug'),
      },
      async () => {
        if (this.unplugged) throw new Error('ENOENT: no such file or directory');
        this.opens++;
        this.channel = new MemoryChannel((b) => this.sim.receive(b));
        return this.channel;
      },
    );
  }

  /** Runs `p` to the end, moving the fake clock 10 ms at a time whenever everything is idle. */
  async drive<T>(p: Promise<T>, limitMs = 120_000): Promise<T> {
    let done = false;
    p.then(() => (done = true), () => (done = true));
    const end = this.clock.now() + limitMs;
    while (!done && this.clock.now() < end) {
      for (let i = 0; i < 4 && !done; i++) await turn();
      if (!done) await this.clock.advance(10);
    }
    return p;
  }

  start(): Promise<void> {
    return this.drive(this.driver.start());
  }

  /** Lets `ms` of fake time pass, with the serial traffic it brings. */
  async run(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    while (this.clock.now() < end) {
      for (let i = 0; i < 4; i++) await turn();
      await this.clock.advance(Math.min(10, end - this.clock.now()));
    }
    for (let i = 0; i < 4; i++) await turn();
  }

  /** A few event-loop turns without moving time (alerts need no timer). */
  async turns(n = 6): Promise<void> {
    for (let i = 0; i < n; i++) await turn();
  }

  get(name: string): string | undefined {
    return this.device.getInfo(name);
  }

  stop(): Promise<void> {
    return this.drive(this.driver.stop());
  }
}
