// A raw NUT protocol client for tests. It speaks bytes, not a parsed protocol: what the server
// sent is returned as it came (latin1, so every byte maps to one character and nothing is
// re-encoded), which is what a byte-for-byte comparison between two servers needs.
//
// A reply is one of:
//   - one line (without its "\n");
//   - a whole block, from a line starting "BEGIN LIST " up to a line starting "END LIST ",
//     lines joined with "\n";
//   - NO_REPLY when the server stays quiet for `quietMs` (upsd answers nothing to some inputs,
//     e.g. `GET UPSDESC "a#b"`, or while an open quote swallows lines);
//   - CLOSED when the server closed the connection (or it broke) before a reply;
//   - OVERFLOW when the server sent more than `maxBuffer` unread bytes (the client gives up).
// A line without its final "\n" at the end of a quiet period comes back as PARTIAL "<text>".
import { connect, type Socket } from 'node:net';

export const NO_REPLY = 'NO-REPLY';
export const CLOSED = 'CLOSED';
export const OVERFLOW = 'OVERFLOW';

export interface LineClientOptions {
  /** '127.0.0.1' (default) or '::1'. */
  host?: string;
  /** Silence that counts as "no reply", in ms (default 400). */
  quietMs?: number;
  /** Once a block started, how long the rest of it may take, in ms (default 5000). */
  blockTimeoutMs?: number;
  /** Unread bytes kept before the client drops the connection itself (default 4 MiB). */
  maxBuffer?: number;
  /** Connect timeout in ms (default 5000). */
  connectTimeoutMs?: number;
}

const open = new Set<LineClient>();

export class LineClient {
  readonly host: string;
  readonly port: number;
  /** Bytes received over the connection's life (read or not). */
  bytesReceived = 0;
  /** Why the connection ended: 'server' (end/close from the peer), 'error: …', 'overflow', 'local'. */
  endReason: string | undefined;
  /** When the connection was opened and when it ended (Date.now()). */
  readonly openedAt = Date.now();
  endedAt: number | undefined;

  private readonly socket: Socket;
  private readonly quietMs: number;
  private readonly blockTimeoutMs: number;
  private readonly maxBuffer: number;
  private data = '';
  private ended = false;
  private overflowed = false;
  private wake: (() => void)[] = [];
  private readonly closedPromise: Promise<void>;

  private constructor(socket: Socket, host: string, port: number, opts: LineClientOptions) {
    this.socket = socket;
    this.host = host;
    this.port = port;
    this.quietMs = opts.quietMs ?? 400;
    this.blockTimeoutMs = opts.blockTimeoutMs ?? 5000;
    this.maxBuffer = opts.maxBuffer ?? 4 * 1024 * 1024;
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      this.bytesReceived += chunk.length;
      if (this.overflowed) return;
      this.data += chunk;
      if (this.data.length > this.maxBuffer) {
        this.overflowed = true;
        this.markEnded('overflow');
        socket.destroy();
      }
      this.notify();
    });
    socket.on('end', () => {
      this.markEnded('server');
      // We never half-close on purpose: answer the peer's FIN with ours.
      socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.markEnded(`error: ${err.code ?? err.message}`));
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.markEnded('server');
        open.delete(this);
        resolve();
      }),
    );
    open.add(this);
  }

  /** Connects to a NUT server on loopback. Rejects if the connection is refused or times out. */
  static connect(port: number, opts: LineClientOptions = {}): Promise<LineClient> {
    const host = opts.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host} port ${port} timed out`));
      }, opts.connectTimeoutMs ?? 5000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new LineClient(socket, host, port, opts));
      });
    });
  }

  /** Closes every client still open (for a test file's `after` hook). */
  static async closeAll(): Promise<void> {
    await Promise.all([...open].map((c) => c.close()));
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** The local port of this connection (to tell sessions apart in server logs). */
  get localPort(): number | undefined {
    return this.socket.localPort;
  }

  /**
   * Sends one request line (a "\n" is appended) and returns the reply. A Buffer is sent as is
   * (plus the "\n"), a string as latin1, so control and high bytes reach the server unchanged.
   */
  async request(line: string | Buffer, opts: { quietMs?: number } = {}): Promise<string> {
    const bytes = typeof line === 'string' ? Buffer.from(line + '\n', 'latin1') : Buffer.concat([line, Buffer.from('\n')]);
    if (!(await this.write(bytes))) return this.overflowed ? OVERFLOW : CLOSED;
    return this.readReply(opts);
  }

  /**
   * Writes raw bytes (no newline added). Resolves true once the kernel took them, false if the
   * connection is gone or the peer stopped reading for `timeoutMs` (the bytes stay queued).
   */
  write(bytes: string | Buffer, timeoutMs = 15000): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.socket.write(buf, (err) => {
        clearTimeout(timer);
        resolve(!err && !this.ended);
      });
    });
  }

  /** Bytes queued in this process, not yet handed to the kernel. */
  get pendingWrite(): number {
    return this.socket.writableLength;
  }

  /** Stops reading from the socket (the kernel buffers fill up; the server sees a slow reader). */
  pauseReading(): void {
    this.socket.pause();
  }

  /** Reads the next reply (see the file comment for the forms). */
  async readReply(opts: { quietMs?: number } = {}): Promise<string> {
    const first = await this.readLine(opts.quietMs ?? this.quietMs);
    if (first === null) {
      if (this.data.length > 0) {
        const partial = this.data;
        this.data = '';
        return `PARTIAL ${JSON.stringify(partial)}`;
      }
      return NO_REPLY;
    }
    if (first === CLOSED_SIGNAL) return this.overflowed ? OVERFLOW : CLOSED;
    if (!first.startsWith('BEGIN LIST ')) return first;
    const lines = [first];
    const deadline = Date.now() + this.blockTimeoutMs;
    for (;;) {
      const line = await this.readLine(Math.max(1, deadline - Date.now()));
      if (line === null) {
        lines.push(`<block incomplete after ${this.blockTimeoutMs} ms>`);
        break;
      }
      if (line === CLOSED_SIGNAL) {
        lines.push(this.overflowed ? OVERFLOW : CLOSED);
        break;
      }
      lines.push(line);
      if (line.startsWith('END LIST ')) break;
    }
    return lines.join('\n');
  }

  /** Throws away everything received so far and anything arriving within `quietMs`. */
  async drain(quietMs = 100): Promise<number> {
    let n = this.data.length;
    this.data = '';
    while (!this.ended) {
      if (!(await this.waitForEvent(quietMs))) break;
      n += this.data.length;
      this.data = '';
    }
    return n;
  }

  /** Resolves true once the server has closed the connection, false after `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.socket.closed) return true;
    // A paused socket never sees the peer's FIN; resume (discarding data) so we can.
    if (this.socket.isPaused()) this.socket.resume();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.closedPromise.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Closes the connection (FIN, then destroy if the peer does not finish within 1 s). */
  async close(): Promise<void> {
    if (!this.socket.closed) {
      this.endReason ??= 'local';
      this.socket.end();
      const timer = setTimeout(() => this.socket.destroy(), 1000);
      await this.closedPromise;
      clearTimeout(timer);
    }
    open.delete(this);
  }

  /** Drops the connection at once (RST where the OS does that for unread data). */
  destroy(): void {
    this.endReason ??= 'local';
    this.socket.destroy();
    open.delete(this);
  }

  private markEnded(reason: string): void {
    if (!this.ended) {
      this.ended = true;
      this.endedAt = Date.now();
      this.endReason ??= reason;
    }
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  /** Waits for data or close; false on timeout. */
  private waitForEvent(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = this.wake.filter((f) => f !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.wake.push(done);
    });
  }

  /** One line without "\n"; null on timeout; CLOSED_SIGNAL when the connection ended. */
  private async readLine(timeoutMs: number): Promise<string | null | typeof CLOSED_SIGNAL> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.data.indexOf('\n');
      if (nl >= 0) {
        const line = this.data.slice(0, nl);
        this.data = this.data.slice(nl + 1);
        return line;
      }
      if (this.ended) return CLOSED_SIGNAL;
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.waitForEvent(left))) return null;
    }
  }
}

const CLOSED_SIGNAL = Symbol('closed');

/** Connects, sends the lines one by one and closes; returns the replies. */
export async function ask(port: number, lines: (string | Buffer)[], opts: LineClientOptions = {}): Promise<string[]> {
  const c = await LineClient.connect(port, opts);
  try {
    const out: string[] = [];
    for (const line of lines) out.push(await c.request(line));
    return out;
  } finally {
    await c.close();
  }
}
