/**
 * One NUT conversation over a socket: requests go out as they come (pipelining), replies are
 * matched to them in order, a LIST consumes its whole block. Anything a server sends that does
 * not fit — a reply nobody asked for, a reply that does not echo its request, an over-long line
 * or list — ends the connection: after that, no later reply could be trusted to be the right one.
 * Nothing here throws: every failure rejects the promise of the caller it concerns.
 */
import type { Socket } from 'node:net';
import { encodeWord } from '../conf/parseconf.js';
import type { Clock, Timer } from '../core/clock.js';
import { NutConnectionError, NutError, type ConnectionFailure } from './errors.js';
import { ReplyFormatError, ReplyReader, type ReplyLine } from './reply-reader.js';

export const DEFAULT_MAX_LIST_LINES = 100_000;

export interface ConnectionLimits {
  clock: Clock;
  requestTimeoutMs: number;
  maxListLines: number;
}

interface LineWaiter {
  kind: 'line';
  request: string;
  /** Words the reply must start with (case-insensitive), as libupsclient checks a GET. */
  echo: readonly string[];
  /** 'resolve': an `ERR` line is a reply like any other (tracking results, raw tools). */
  errors: 'reject' | 'resolve';
  resolve(line: ReplyLine): void;
  reject(e: Error): void;
}

interface ListWaiter {
  kind: 'list';
  request: string;
  query: readonly string[];
  begun: boolean;
  rows: string[][];
  resolve(rows: string[][]): void;
  reject(e: Error): void;
}

type Waiter = LineWaiter | ListWaiter;

function echoes(words: readonly string[], offset: number, expected: readonly string[]): boolean {
  if (words.length < offset + expected.length) return false;
  return expected.every((w, i) => words[offset + i]!.toLowerCase() === w.toLowerCase());
}

export class NutConnection {
  private socket: Socket;
  private reader = new ReplyReader();
  private readonly queue: Waiter[] = [];
  private timer: Timer | undefined;
  private ended: Error | undefined | null = null; // null while open
  private quietEnd = false;
  private isTls = false;
  private resolveClosed!: (reason: Error | undefined) => void;
  readonly closed: Promise<Error | undefined>;

  protected constructor(
    socket: Socket,
    /** `host:port`, for messages. */
    readonly where: string,
    private readonly limits: ConnectionLimits,
  ) {
    this.socket = socket;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.attach(socket);
  }

  /** True once the conversation runs inside TLS. */
  get tls(): boolean {
    return this.isTls;
  }

  /** True once the connection has ended (for whatever reason). */
  get isClosed(): boolean {
    return this.ended !== null;
  }

  /**
   * Sends one request line and resolves with the one reply line as received; rejects NutError
   * on `ERR …`. LIST (use `list`) and STARTTLS (negotiated by connect) are refused here.
   */
  request(line: string): Promise<string> {
    const word = /^\s*"?([A-Za-z]+)/.exec(line)?.[1]?.toUpperCase();
    if (word === 'LIST') return Promise.reject(new RangeError('a LIST request spans many lines: use list(words)'));
    if (word === 'STARTTLS') return Promise.reject(new RangeError('STARTTLS is negotiated by NutClient.connect (option tls)'));
    return this.sendLine(line, [], 'reject').then((r) => r.raw);
  }

  /** Like `request`, but an `ERR …` reply resolves too (for tools that print it as is). */
  requestRaw(line: string): Promise<string> {
    return this.sendLine(line, [], 'resolve').then((r) => r.raw);
  }

  /**
   * Sends `LIST <words>`, checks that BEGIN LIST and END LIST echo the query and that every line
   * starts with it, and resolves with the body lines tokenized.
   */
  list(words: readonly string[]): Promise<string[][]> {
    const line = this.encode(['LIST', ...words]);
    if (typeof line !== 'string') return Promise.reject(line);
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'list', request: line, query: words, begun: false, rows: [], resolve, reject }, line);
    });
  }

  /** Drops the connection; requests still waiting reject NutConnectionError. */
  close(): void {
    this.finish(new NutConnectionError(this.where, 'local', 'the connection was closed by this client'), true);
  }

  /** Sends LOGOUT, waits for its reply (or the server's close), then closes. Never rejects. */
  async logout(): Promise<void> {
    if (this.isClosed) return;
    this.quietEnd = true;
    await this.sendLine('LOGOUT', [], 'resolve').catch(() => undefined);
    this.close();
  }

  /** Sends `words` (encoded as NUT words) and returns the tokenized reply, checked to echo `echo`. */
  protected call(words: readonly string[], echo: readonly string[] = [], errors: 'reject' | 'resolve' = 'reject'): Promise<ReplyLine> {
    const line = this.encode(words);
    if (typeof line !== 'string') return Promise.reject(line);
    return this.sendLine(line, echo, errors);
  }

  /** Ends the connection because the server said something a NUT server would not. */
  protected protocolError(why: string): NutConnectionError {
    const err = new NutConnectionError(this.where, 'protocol', `protocol error: ${why}`);
    this.finish(err, false);
    return err;
  }

  /** Swaps the socket after a STARTTLS handshake (the reader must be empty: nothing follows OK STARTTLS). */
  protected detach(): Socket {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('end');
    this.socket.removeAllListeners('close');
    this.socket.removeAllListeners('error');
    // A late error on the handed-over socket must not crash the process.
    this.socket.on('error', () => {});
    return this.socket;
  }

  protected reattach(socket: Socket, tls: boolean): void {
    this.socket = socket;
    this.isTls = tls;
    this.reader = new ReplyReader();
    this.attach(socket);
  }

  protected fail(kind: ConnectionFailure, why: string, errno?: string): NutConnectionError {
    const err = new NutConnectionError(this.where, kind, why, errno);
    this.finish(err, false);
    return err;
  }

  private encode(words: readonly string[]): string | Error {
    try {
      return words.map((w, i) => (i === 0 ? w : encodeArgument(w))).join(' ');
    } catch (e) {
      return e as Error;
    }
  }

  private sendLine(line: string, echo: readonly string[], errors: 'reject' | 'resolve'): Promise<ReplyLine> {
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'line', request: line, echo, errors, resolve, reject }, line);
    });
  }

  private enqueue(w: Waiter, line: string): void {
    if (this.ended !== null) {
      w.reject(this.ended ?? new NutConnectionError(this.where, 'local', 'the connection is closed'));
      return;
    }
    if (/[\n\r\0]/.test(line)) {
      w.reject(new RangeError(`a NUT request is one line: ${JSON.stringify(line)} holds a line break or NUL`));
      return;
    }
    this.queue.push(w);
    if (this.queue.length === 1) this.armTimer();
    this.socket.write(`${line}\n`, 'utf8');
  }

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.fail('closed', 'the server closed the connection'));
    socket.on('close', () => this.fail('closed', 'the connection closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail('io', `connection error: ${e.code ?? e.message}`, e.code));
  }

  private armTimer(): void {
    this.timer?.cancel();
    const ms = this.limits.requestTimeoutMs;
    this.timer = this.limits.clock.setTimeout(() => this.fail('timeout', `no reply within ${ms} ms`), ms);
  }

  private onData(chunk: Buffer): void {
    if (this.ended !== null) return;
    let lines: ReplyLine[];
    try {
      lines = this.reader.push(chunk);
    } catch (e) {
      if (e instanceof ReplyFormatError) this.fail(e.message.startsWith('reply does not parse') ? 'parse' : 'protocol', e.message);
      else this.fail('protocol', String(e));
      return;
    }
    for (const line of lines) {
      if (this.ended !== null) return;
      this.onLine(line);
    }
    if (this.ended !== null) return;
    if (this.queue.length > 0) this.armTimer();
    else this.clearTimer();
  }

  private onLine(line: ReplyLine): void {
    const w = this.queue[0];
    if (!w) {
      this.protocolError(`unexpected line ${JSON.stringify(line.raw)} when no request was waiting`);
      return;
    }
    const { words } = line;
    if (w.kind === 'line') {
      if (words[0] === 'ERR' && w.errors === 'reject') {
        this.queue.shift();
        w.reject(new NutError(words[1] ?? '', line.raw));
      } else if (words[0] !== 'ERR' && !echoes(words, 0, w.echo)) {
        this.protocolError(`reply ${JSON.stringify(line.raw)} does not answer ${JSON.stringify(w.request)}`);
      } else {
        this.queue.shift();
        w.resolve(line);
      }
      return;
    }
    if (!w.begun) {
      if (words[0] === 'ERR') {
        this.queue.shift();
        w.reject(new NutError(words[1] ?? '', line.raw));
      } else if (!echoes(words, 0, ['BEGIN', 'LIST', ...w.query])) {
        this.protocolError(`reply ${JSON.stringify(line.raw)} does not begin the list ${JSON.stringify(w.request)}`);
      } else {
        w.begun = true;
      }
      return;
    }
    if (words[0] === 'END' && words[1] === 'LIST') {
      if (!echoes(words, 2, w.query)) {
        this.protocolError(`${JSON.stringify(line.raw)} does not end the list ${JSON.stringify(w.request)}`);
        return;
      }
      this.queue.shift();
      w.resolve(w.rows);
      return;
    }
    if (!echoes(words, 0, w.query)) {
      this.protocolError(`list line ${JSON.stringify(line.raw)} does not belong to ${JSON.stringify(w.request)}`);
      return;
    }
    if (w.rows.length >= this.limits.maxListLines) {
      this.protocolError(`${JSON.stringify(w.request)} sent more than ${this.limits.maxListLines} lines`);
      return;
    }
    w.rows.push(words);
  }

  private clearTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private finish(err: NutConnectionError, local: boolean): void {
    if (this.ended !== null) return;
    const quiet = local || (this.quietEnd && err.kind === 'closed');
    this.ended = err;
    this.clearTimer();
    this.socket.destroy();
    for (const w of this.queue.splice(0)) w.reject(err);
    this.resolveClosed(quiet ? undefined : err);
  }
}

/** A request argument, written so that NUT's tokenizer reads it back unchanged. */
function encodeArgument(word: string): string {
  try {
    return encodeWord(word);
  } catch {
    throw new RangeError(`request argument ${JSON.stringify(word)} holds a character outside printable ASCII (0x20..0x7E), which NUT requests cannot carry`);
  }
}
