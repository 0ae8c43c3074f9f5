/**
 * Splits what a server sends into reply lines and tokenizes each with NUT's own tokenizer, as
 * libupsclient does with `pconf_line`: quotes and escapes are decoded, bytes outside 0x20..0x7F
 * vanish. A line is bounded: a peer that sends more without a newline is not a NUT server.
 */
import { Tokenizer } from '../conf/parseconf.js';

export const MAX_REPLY_LINE = 64 * 1024;

export interface ReplyLine {
  /** The line as received (latin1, without "\n" or a trailing "\r"). */
  raw: string;
  words: string[];
}

export class ReplyFormatError extends Error {}

export class ReplyReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  // Words may be as long as a line: a value is never cut short here (upsd cuts its own at 256).
  private readonly tokenizer = new Tokenizer({ maxWords: 64, maxWordLength: MAX_REPLY_LINE });

  constructor(private readonly maxLine = MAX_REPLY_LINE) {}

  /**
   * Feeds received bytes; returns the complete lines in them. Throws ReplyFormatError when a line
   * grows past the limit or does not parse — the caller drops the connection.
   */
  push(chunk: Buffer): ReplyLine[] {
    const lines: ReplyLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      if (this.pendingLength + piece.length > this.maxLine) throw this.tooLong();
      const line = this.pendingLength === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingLength = 0;
      lines.push(this.parse(line));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.pendingLength + rest.length > this.maxLine) throw this.tooLong();
      // Copy: the socket may reuse its buffer.
      this.pending.push(Buffer.from(rest));
      this.pendingLength += rest.length;
    }
    return lines;
  }

  private tooLong(): ReplyFormatError {
    return new ReplyFormatError(`a reply line is longer than ${this.maxLine} bytes`);
  }

  private parse(line: Buffer): ReplyLine {
    const t = this.tokenizer;
    t.reset();
    let result: string = 'more';
    for (const b of line) {
      result = t.feed(b);
      if (result === 'error') throw new ReplyFormatError(`reply does not parse: ${t.errorMessage}`);
    }
    result = t.feed(0x0a);
    if (result === 'error') throw new ReplyFormatError(`reply does not parse: ${t.errorMessage}`);
    if (result !== 'line') throw new ReplyFormatError('reply does not parse: a quote or an escape is left open at the end of the line');
    const raw = line.toString('latin1');
    return { raw: raw.endsWith('\r') ? raw.slice(0, -1) : raw, words: t.words.map((w) => w.text) };
  }
}
