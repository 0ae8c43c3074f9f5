import type { Socket } from 'node:net';
import { Tokenizer } from '../conf/parseconf.js';
import type { ServerContext } from './context.js';
import { dispatch } from './dispatch.js';
import { Session } from './session.js';
import { splitSimpleLines } from './simple-lines.js';
import { withDirectReads } from './direct-reads.js';
import type { TlsUpgrade } from './tls.js';

/** upsd reads 512 bytes at a time and, on a parse error, drops the rest of that read. */
const READ_SIZE = 512;

export interface ConnectionLimits {
  /** Bytes a client may send without completing a line before it is dropped. */
  maxPendingLineBytes: number;
  /** Reply bytes waiting for a client that does not read, before it is dropped. */
  maxQueuedOutputBytes: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxPendingLineBytes: 64 * 1024,
  maxQueuedOutputBytes: 256 * 1024,
};

/**
 * One client of the NUT server: bytes in, through NUT's tokenizer, one reply per request, written
 * in one piece per read. Everything a peer can do wrong ends here, with this connection.
 */
export class Connection {
  readonly session: Session;
  /** Whether reads bypass Node's stream layer (see direct-reads.ts); false means the portable path. */
  readonly readsDirectly: boolean;
  /** Monotonic time of the last complete request line (upsd's last_heard). */
  lastHeard: number;

  private socket: Socket;
  private readonly tokenizer = new Tokenizer();
  private pendingLineBytes = 0;
  private closing = false;
  private closed = false;

  constructor(
    socket: Socket,
    id: number,
    address: string,
    private readonly ctx: ServerContext,
    private readonly limits: ConnectionLimits,
    private readonly tls: TlsUpgrade | undefined,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.session = new Session(id, address);
    this.lastHeard = ctx.clock.now();
    const direct = withDirectReads(socket, (buf, length) => this.receive(buf, length));
    this.readsDirectly = direct !== undefined;
    this.socket = direct ?? socket;
    this.attach(this.socket, direct === undefined);
    if (!direct) socket.resume();
  }

  /** Ends the connection now (idle, over a limit, server stopping). */
  drop(reason: string): void {
    if (this.closed) return;
    this.ctx.log.debug(() => `dropping ${this.session.address}: ${reason}`);
    this.socket.destroy();
    this.finish();
  }

  private attach(socket: Socket, dataEvents: boolean): void {
    if (dataEvents) socket.on('data', (chunk: Buffer) => this.receive(chunk, chunk.length));
    socket.on('error', (e) => this.ctx.log.debug(() => `connection ${this.session.address}: ${e.message}`));
    socket.on('close', () => this.finish());
    socket.on('end', () => socket.end());
  }

  /** Handles `length` bytes at the start of `chunk` (which may be reused once this returns). */
  private receive(chunk: Buffer, length: number): void {
    const now = this.ctx.clock.now();
    let out = '';
    for (let start = 0; start < length && !this.closing; start += READ_SIZE) {
      const end = Math.min(start + READ_SIZE, length);
      const simple = this.tokenizer.midLine ? undefined : splitSimpleLines(chunk, start, end);
      // STARTTLS hands the bytes after its line to TLS: only the byte-wise path below knows them.
      if (simple && !simple.some(isStartTls)) {
        for (const words of simple) {
          this.lastHeard = now;
          out += dispatch(this.ctx, this.session, words);
        }
        if (this.session.next === 'close') this.closing = true;
        continue;
      }
      for (let i = start; i < end; i++) {
        const result = this.tokenizer.feed(chunk[i]!);
        if (result === 'more') {
          if (++this.pendingLineBytes > this.limits.maxPendingLineBytes) {
            this.flush(out);
            this.drop('request line too long');
            return;
          }
          continue;
        }
        this.pendingLineBytes = 0;
        if (result === 'error') {
          // upsd logs the parse error, answers nothing and discards the rest of this read.
          this.ctx.log.debug(() => `parse error from ${this.session.address}: ${this.tokenizer.errorMessage}`);
          break;
        }
        this.lastHeard = now;
        out += dispatch(this.ctx, this.session, this.tokenizer.words.map((w) => w.text));
        if (this.session.next === 'starttls') {
          this.session.next = undefined;
          this.flush(out);
          this.startTls();
          return;
        }
        if (this.session.next === 'close') this.closing = true;
      }
    }
    this.flush(out);
    if (this.closing) {
      this.socket.end();
      this.finish();
    }
  }

  private flush(text: string): void {
    if (text === '' || this.closed) return;
    this.socket.write(text, 'latin1');
    if (this.socket.writableLength > this.limits.maxQueuedOutputBytes) {
      this.drop('client does not read its replies');
    }
  }

  /**
   * Hands the socket to TLS after `OK STARTTLS`. A client starts its handshake only once it has
   * read that reply (NUT's clients do), so anything it sent after STARTTLS in the same packet is not
   * TLS and is dropped with the rest of that read.
   */
  private startTls(): void {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('end');
    const secure = this.tls!.upgrade(plain);
    this.socket = secure;
    this.session.tls = true;
    secure.on('secure', () => this.ctx.log.debug(() => `TLS established with ${this.session.address}`));
    this.attach(secure, true);
    plain.on('close', () => this.finish());
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.session.loginDevice?.removeLogin(this.session.id);
    this.onClose(this);
  }
}

function isStartTls(words: string[]): boolean {
  const first = words[0];
  return first !== undefined && first.length === 8 && first.toUpperCase() === 'STARTTLS';
}
