import type { Clock } from '../../core/clock.js';

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

/**
 * Opens a real serial port with serialport 13, imported only now so a gateway without a serial
 * UPS never loads the native binding. 2400 8N1, DTR on and RTS off: NUT's default cable power.
 */
export const openSerialPort: LinkOpener = async (path) => {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path, baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve) => port.set({ dtr: true, rts: false }, () => resolve()));
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        port.write(Buffer.from(text, 'latin1'), (err) => (err ? reject(err) : resolve()));
      }),
    close: () =>
      new Promise((resolve) => {
        if (!port.isOpen) {
          resolve();
          return;
        }
        port.close(() => resolve());
      }),
    onData: (fn) => port.on('data', fn),
    onClose: (fn) => {
      port.on('close', (err: unknown) => fn(err ? String(err) : 'closed'));
      port.on('error', (err: unknown) => fn(String(err)));
    },
  };
};
