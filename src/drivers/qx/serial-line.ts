import type { Clock } from '../../core/clock.js';
import { openSerialPort as openSerialChannel } from '../serial-channel.js';

/**
 * A byte stream to the UPS: the serial port in production, anything in tests. `open` rejects
 * when the device node is missing; `onClose` fires when the adapter goes away while open.
 */
export interface ByteLink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  onData(fn: (chunk: Buffer) => void): void;
  onClose(fn: (reason: string) => void): void;
}

export type LinkOpener = (path: string) => Promise<ByteLink>;

/** Longest reply kept while waiting for a CR: a Q1 reply is 47 bytes, so noise beyond is dropped. */
const MAX_PENDING = 512;

/**
 * Request/response over CR-terminated lines, as NUT's qx serial code does it: input is flushed
 * before each command (late replies and noise never answer the next one), the reply is the next
 * line ended by CR within the timeout, and a reply expected to start with `(` or `#` is cut to
 * its last such character, so garbage glued in front of it does not lose the reply.
 * All waiting is on the injected clock.
 */
export class SerialLine {
  private pending = '';
  private waiter: ((line: string) => void) | undefined;
  private closed = false;
  /** The request under way: an instant command waits for a poll's reply to finish, and back. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly link: ByteLink,
    private readonly clock: Clock,
  ) {
    link.onData((chunk) => this.receive(chunk));
    link.onClose(() => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private receive(chunk: Buffer): void {
    this.pending += chunk.toString('latin1');
    let cr: number;
    while ((cr = this.pending.indexOf('\r')) >= 0) {
      const line = this.pending.slice(0, cr);
      this.pending = this.pending.slice(cr + 1);
      const w = this.waiter;
      if (w) {
        this.waiter = undefined;
        w(line);
      }
      // A line nobody asked for is noise: dropped.
    }
    if (this.pending.length > MAX_PENDING) this.pending = this.pending.slice(-MAX_PENDING);
  }

  /**
   * Sends `command` + CR and resolves the reply line (without CR), or undefined when nothing
   * ended by CR came within `timeoutMs`. `start` is the character a valid reply begins with.
   */
  request(command: string, timeoutMs: number, start?: '(' | '#'): Promise<string | undefined> {
    const run = this.queue.then(() => this.exchange(command, timeoutMs, start));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async exchange(command: string, timeoutMs: number, start?: '(' | '#'): Promise<string | undefined> {
    if (this.closed) throw new Error('the serial port is closed');
    this.pending = '';
    this.waiter = undefined;
    const reply = new Promise<string | undefined>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.waiter = (line) => {
        timer.cancel();
        resolve(line);
      };
    });
    await this.link.write(`${command}\r`);
    const line = await reply;
    if (line === undefined || start === undefined) return line;
    const at = line.lastIndexOf(start);
    return at >= 0 ? line.slice(at) : line;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiter = undefined;
    await this.link.close();
  }
}

/** The shared serial port with NUT's default cable power for Q1 units: DTR on, RTS off. */
export const openSerialPort: LinkOpener = async (path) => {
  const channel = await openSerialChannel(path);
  // A port without modem lines (a pseudo-terminal, some adapters) refuses this; the UPS still talks.
  await channel.setLines({ dtr: true, rts: false }).catch(() => undefined);
  return {
    write: (text) => channel.write(Buffer.from(text, 'latin1')),
    close: () => channel.close(),
    onData: (fn) => channel.onData(fn),
    onClose: (fn) => channel.onClose(fn),
  };
};
