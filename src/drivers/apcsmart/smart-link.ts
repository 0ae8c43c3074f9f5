import type { Clock, Timer } from '../../core/clock.js';
import { ALERT_CHARS, IGNORED_CHARS } from './protocol.js';
import type { SerialChannel } from '../serial-channel.js';

/**
 * How a reply is read, NUT's read flags: which characters are data and how long to wait.
 * - `alert`: alerts are acted on, `\r|&` dropped (SER_AA) — polls and commands;
 * - `plain`: alerts and `#` are not data (IGN_CHARS) — start-up reads;
 * - `caps`: `#` is data (the `^Z` string), the other alerts dropped (SER_CC, 6 s);
 * - `cmdset`: everything but CR is data (the `a` reply lists the alert characters; SER_CS, 6 s).
 */
export type ReadMode = 'alert' | 'plain' | 'caps' | 'cmdset';

export interface ReadOptions {
  mode?: ReadMode;
  timeoutMs?: number;
  /** `*` ends the reply and counts as `OK` (old models answer shutdown commands so: SER_HA). */
  asteriskIsOk?: boolean;
}

/** NUT's SER_D3 (default), SER_D1, SER_DX and the 6 s of capability reads. */
export const READ_DEFAULT_MS = 3000;
export const READ_SHORT_MS = 1500;
export const READ_PEEK_MS = 200;
export const READ_LONG_MS = 6000;
/** APC_LBUF: a reply longer than this is garbage; the read fails and the next one starts clean. */
const MAX_REPLY = 511;

/** A reply line (without CR LF), or undefined when nothing came in time. */
export type Reply = string | undefined;

interface Pending {
  mode: ReadMode;
  asteriskIsOk: boolean;
  text: string;
  timer: Timer;
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

/**
 * One APC Smart conversation over a serial channel. The UPS speaks only when asked, except for
 * alert characters, which may come at any moment: between replies they are handed to `onAlert`
 * at once (NUT notices them only at its next poll), inside a reply as the read mode says.
 * Bytes that arrive while nobody is reading are late or garbage and are dropped, which is how
 * the conversation gets back in step after noise. Exchanges are serialised by `exclusive`.
 */
export class SmartLink {
  private pending: Pending | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private closedReason: string | undefined;
  /** Bytes that were neither a reply nor an alert (for driver.* counters and logs). */
  garbage = 0;

  constructor(
    private readonly channel: SerialChannel,
    private readonly clock: Clock,
    private readonly onAlert: (ch: string) => void,
  ) {
    channel.onData((chunk) => this.receive(chunk));
    channel.onClose((reason) => this.closed(reason));
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Runs `fn` when no other exchange is under way (a poll and a command never interleave). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Sends bytes as they are (one command character, or a character and its argument). */
  async send(data: string): Promise<void> {
    if (this.closedReason !== undefined) throw new Error(this.closedReason);
    await this.channel.write(Buffer.from(data, 'latin1'));
  }

  /** Sends characters one by one with a pause between them, as APC wants for `@nnn` and `-` strings. */
  async sendPaced(data: string, gapMs: number): Promise<void> {
    for (let i = 0; i < data.length; i++) {
      if (i > 0) await this.wait(gapMs);
      await this.send(data.charAt(i));
    }
  }

  /** Reads one reply; resolves undefined on timeout, rejects when the port is gone or the line overflows. */
  read(opts: ReadOptions = {}): Promise<Reply> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(this.closedReason));
    if (this.pending) return Promise.reject(new Error('a read is already under way'));
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => this.finish(undefined), opts.timeoutMs ?? READ_DEFAULT_MS);
      this.pending = { mode: opts.mode ?? 'alert', asteriskIsOk: opts.asteriskIsOk ?? false, text: '', timer, resolve, reject };
    });
  }

  /** Sends a command and reads its reply. */
  ask(cmd: string, opts: ReadOptions = {}): Promise<Reply> {
    const reply = this.read(opts);
    const mine = this.pending;
    // Not awaited before the reply: a write into a hung-up tty may never complete, and the read's
    // timeout must still end the exchange. A late failure only ends this exchange's read.
    this.send(cmd).catch((e: Error) => {
      if (this.pending === mine) this.fail(e);
    });
    return reply;
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  private receive(chunk: Buffer): void {
    for (const byte of chunk) this.byte(String.fromCharCode(byte));
  }

  private byte(ch: string): void {
    const p = this.pending;
    if (!p) {
      if (ALERT_CHARS.includes(ch) || ch === '*') this.onAlert(ch);
      else if (!IGNORED_CHARS.includes(ch) && ch !== '\n') this.garbage++;
      return;
    }
    if (ch === '\n') return this.finish(p.text);
    if (ch === '\r') return;
    if (ch === '*' && p.asteriskIsOk) return this.finish('OK');
    switch (p.mode) {
      case 'alert':
        if (IGNORED_CHARS.includes(ch) || ch === '*') return;
        if (ALERT_CHARS.includes(ch)) return this.onAlert(ch);
        break;
      case 'plain':
        // NUT drops these unread here; acting on them loses nothing and keeps the status right.
        if (IGNORED_CHARS.includes(ch) || ch === '*') return;
        if (ALERT_CHARS.includes(ch)) return this.onAlert(ch);
        break;
      case 'caps':
        if (ch === '*' || (IGNORED_CHARS + ALERT_CHARS).replace('#', '').includes(ch)) return;
        break;
      case 'cmdset':
        if (ch === '*') return;
        break;
    }
    if (p.text.length >= MAX_REPLY) {
      this.garbage += p.text.length;
      return this.fail(new Error(`reply longer than ${MAX_REPLY} characters (line noise?)`));
    }
    p.text += ch;
  }

  private finish(reply: Reply): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    p.timer.cancel();
    // A timeout after part of a line (NUT's "partial timeout") is a garbled reply: nothing usable.
    p.resolve(reply === undefined && p.text !== '' ? undefined : reply);
  }

  /** Ends the read under way with an error (a send that failed after the read was armed). */
  abort(err: Error): void {
    this.fail(err);
  }

  private fail(err: Error): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    p.timer.cancel();
    p.reject(err);
  }

  private closed(reason: string): void {
    this.closedReason ??= `serial port lost: ${reason}`;
    this.fail(new Error(this.closedReason));
  }

  async close(): Promise<void> {
    this.closedReason ??= 'closed';
    this.fail(new Error(this.closedReason));
    await this.channel.close().catch(() => undefined);
  }
}
