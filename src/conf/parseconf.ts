/**
 * NUT's configuration grammar ("parseconf"): one byte-driven state machine shared by every config
 * file, by `.dev`/`.seq` device dumps and by the network protocol on TCP 3493.
 *
 * It reproduces NUT 2.8.0's tokenizer byte for byte, because real clients and real config files
 * depend on its corners:
 * - words split on C `isspace`; `#` outside quotes starts a comment;
 * - `"…"` groups a word, but only when the quote opens a word (`ab"c"` is the literal `ab"c"`);
 * - `\` makes the next byte literal, both inside and outside quotes; `\` + newline continues the line;
 * - a quote left open keeps collecting across newlines (the newlines themselves are dropped);
 * - `=` is always a word of its own unless quoted or escaped;
 * - `#` inside quotes is a parse error (NUT: "Unbalanced word due to unescaped # in quotes");
 * - only bytes 0x20..0x7F are stored (CVE-2012-2944 hardening); others vanish, yet still open a word;
 * - at most 32 words per line (extra words dropped) and 512 bytes per word (extra bytes dropped).
 *
 * One deliberate difference, in file mode only: a last line without a newline keeps its last word
 * even when it is the only word (NUT loses a lone word there, e.g. a final `[ups]` or flag).
 */

export const DEFAULT_MAX_WORDS = 32;
export const DEFAULT_MAX_WORD_LENGTH = 512;

const enum State {
  FindWordStart,
  FindEol,
  QuoteCollect,
  QuoteLiteral,
  Collect,
  CollectLiteral,
  EndOfLine,
  ParseError,
}

export interface Word {
  text: string;
  /** 1-based physical line where the word began. */
  line: number;
  /** 1-based byte column where the word began (its opening quote, if quoted). */
  column: number;
}

export interface TokenizerLimits {
  maxWords?: number;
  maxWordLength?: number;
}

/** The outcome of feeding one byte. */
export type FeedResult = 'more' | 'line' | 'error';

const NEWLINE = 0x0a;
const HASH = 0x23;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

function isCSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function isStorable(b: number): boolean {
  return b >= 0x20 && b <= 0x7f;
}

/**
 * A streaming tokenizer: feed bytes one at a time; `'line'` means `words` holds a complete line,
 * `'error'` means the line was abandoned (see `errorMessage`). Position tracking is cheap enough
 * to keep on for the network too.
 */
export class Tokenizer {
  readonly maxWords: number;
  readonly maxWordLength: number;

  words: Word[] = [];
  errorMessage = '';
  errorLine = 0;
  errorColumn = 0;

  private state: State = State.FindWordStart;
  private word: number[] = [];
  private wordStartLine = 0;
  private wordStartColumn = 0;
  private line = 1;
  private column = 0;

  constructor(limits: TokenizerLimits = {}) {
    this.maxWords = limits.maxWords ?? DEFAULT_MAX_WORDS;
    this.maxWordLength = limits.maxWordLength ?? DEFAULT_MAX_WORD_LENGTH;
  }

  /** True while a word, a quote or a continuation is open (the line is not complete). */
  get midLine(): boolean {
    return this.state !== State.FindWordStart || this.words.length > 0;
  }

  /** Bytes of the word being collected (bounded by maxWordLength). */
  get pendingWordLength(): number {
    return this.word.length;
  }

  feed(b: number): FeedResult {
    if (this.state === State.EndOfLine || this.state === State.ParseError) {
      this.words = [];
      this.state = State.FindWordStart;
    }
    this.column++;
    this.state = this.step(b);
    if (b === NEWLINE) {
      this.line++;
      this.column = 0;
    }
    if (this.state === State.EndOfLine) return 'line';
    if (this.state === State.ParseError) return 'error';
    return 'more';
  }

  /** End of input (file mode): completes a pending line, if any. */
  finish(): boolean {
    if (this.state === State.EndOfLine || this.state === State.ParseError) {
      this.words = [];
      this.state = State.FindWordStart;
    }
    const wordOpen = this.state === State.Collect || this.state === State.CollectLiteral ||
      this.state === State.QuoteCollect || this.state === State.QuoteLiteral;
    if (wordOpen && this.word.length > 0) this.endOfWord();
    this.state = State.FindWordStart;
    return this.words.length > 0;
  }

  /** Forget any partial line, e.g. after a parse error when the rest of a read is discarded. */
  reset(): void {
    this.words = [];
    this.word = [];
    this.state = State.FindWordStart;
  }

  private step(b: number): State {
    switch (this.state) {
      case State.FindWordStart:
        return this.findWordStart(b);
      case State.FindEol:
        return b === NEWLINE ? State.EndOfLine : State.FindEol;
      case State.QuoteCollect:
        return this.quoteCollect(b);
      case State.QuoteLiteral:
        if (b !== NEWLINE) this.addByte(b);
        return State.QuoteCollect;
      case State.Collect:
        return this.collect(b);
      case State.CollectLiteral:
        if (b !== NEWLINE) this.addByte(b);
        return State.Collect;
      default:
        return this.state;
    }
  }

  private findWordStart(b: number): State {
    if (b === NEWLINE) return State.EndOfLine;
    if (b === HASH) return State.FindEol;
    if (isCSpace(b)) return State.FindWordStart;
    this.markWordStart();
    if (b === BACKSLASH) return State.CollectLiteral;
    if (b === QUOTE) return State.QuoteCollect;
    this.addByte(b);
    if (b === EQUALS) {
      this.endOfWord();
      return State.FindWordStart;
    }
    return State.Collect;
  }

  private quoteCollect(b: number): State {
    if (b === HASH) {
      this.errorMessage = 'Unbalanced word due to unescaped # in quotes';
      this.errorLine = this.line;
      this.errorColumn = this.column;
      this.endOfWord();
      return State.ParseError;
    }
    if (b === QUOTE) {
      this.endOfWord();
      return State.FindWordStart;
    }
    if (b === BACKSLASH) return State.QuoteLiteral;
    this.addByte(b);
    return State.QuoteCollect;
  }

  private collect(b: number): State {
    if (b === HASH) {
      this.endOfWord();
      return State.FindEol;
    }
    if (b === NEWLINE) {
      this.endOfWord();
      return State.EndOfLine;
    }
    if (isCSpace(b)) {
      this.endOfWord();
      return State.FindWordStart;
    }
    if (b === EQUALS) {
      this.endOfWord();
      return this.findWordStart(b);
    }
    if (b === BACKSLASH) return State.CollectLiteral;
    this.addByte(b);
    return State.Collect;
  }

  private markWordStart(): void {
    this.wordStartLine = this.line;
    this.wordStartColumn = this.column;
  }

  private addByte(b: number): void {
    if (!isStorable(b)) return;
    if (this.word.length >= this.maxWordLength) return;
    this.word.push(b);
  }

  private endOfWord(): void {
    if (this.words.length < this.maxWords) {
      this.words.push({
        text: String.fromCharCode(...this.word),
        line: this.wordStartLine,
        column: this.wordStartColumn,
      });
    }
    this.word = [];
  }
}

export interface ParsedLine {
  words: Word[];
  /** Set when the line was cut short by a parse error; `words` holds what came before it. */
  error?: { message: string; line: number; column: number };
}

/** Tokenizes a whole file (or any text) into logical lines, as NUT's file parser does. */
export function tokenize(input: Uint8Array | string, limits: TokenizerLimits = {}): ParsedLine[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const t = new Tokenizer(limits);
  const lines: ParsedLine[] = [];
  for (const b of bytes) {
    const r = t.feed(b);
    if (r === 'line') {
      if (t.words.length > 0) lines.push({ words: t.words });
    } else if (r === 'error') {
      lines.push({
        words: t.words,
        error: { message: t.errorMessage, line: t.errorLine, column: t.errorColumn },
      });
    }
  }
  if (t.finish()) lines.push({ words: t.words });
  return lines;
}

const NEEDS_QUOTES = /[\s"\\#=]/;

/**
 * Writes a value as one word that `tokenize` reads back unchanged. Refuses what the grammar
 * cannot carry (bytes outside 0x20..0x7E), rather than writing something that reads back different.
 */
export function encodeWord(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new RangeError(
        `cannot write character 0x${c.toString(16).padStart(2, '0')} at position ${i + 1} of ${JSON.stringify(value)}: ` +
          'NUT configuration files carry printable ASCII only (0x20..0x7E)',
      );
    }
  }
  if (value !== '' && !NEEDS_QUOTES.test(value)) return value;
  return `"${pconfEncode(value)}"`;
}

/**
 * NUT's `pconf_encode` into a buffer of `max + 1` bytes: a backslash before `\`, `"` and `#`,
 * stopping when the buffer is full without splitting an escape pair. upsd escapes every quoted
 * value it sends this way; a driver's dstate does too.
 */
export function pconfEncode(value: string, max = Number.POSITIVE_INFINITY): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' || ch === '"' || ch === '#') {
      if (out.length >= max - 1) break;
      out += '\\';
    }
    if (out.length >= max) break;
    out += ch;
  }
  return out;
}
