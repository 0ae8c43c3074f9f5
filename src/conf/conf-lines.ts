/**
 * The strict front end every config reader shares: NUT's tokenizer, plus a ConfError for each
 * place where NUT would silently read something other than what the file seems to say (a value
 * swallowed by an open quote, bytes it drops, a word or line it truncates, the continuation quirk,
 * a `#` inside quotes). The readers then only deal with well-formed words.
 */
import { ConfError } from './errors.js';
import { DEFAULT_MAX_WORDS, DEFAULT_MAX_WORD_LENGTH, encodeWord, tokenize, type Word } from './parseconf.js';

const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DEL = 0x7f;
/** Stands in for a dropped byte in the copy used to find words that lost bytes. */
const PLACEHOLDER = 0x3f; // '?'

/** NUT stores neither of these, yet (unlike whitespace) they do not separate words. */
function isDroppedByte(b: number): boolean {
  return (b < 0x20 && !(b >= 0x09 && b <= 0x0d)) || b >= 0x80;
}

function toBytes(input: string | Uint8Array): Uint8Array {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  // A UTF-8 byte order mark becomes blanks, so columns still match what an editor shows.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const copy = Uint8Array.from(bytes);
    copy.fill(0x20, 0, 3);
    return copy;
  }
  return bytes;
}

function withPlaceholders(bytes: Uint8Array): Uint8Array | undefined {
  if (!bytes.some(isDroppedByte)) return undefined;
  return bytes.map((b) => (isDroppedByte(b) ? PLACEHOLDER : b));
}

function lineStartOffsets(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) starts.push(i + 1);
  return starts;
}

/** A word as it would be written in the file (quoted only when it must be), cut short when long. */
function asWritten(text: string): string {
  let shown: string;
  try {
    shown = encodeWord(text);
  } catch {
    shown = JSON.stringify(text);
  }
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** A word or value shown in a message, always in double quotes: "My", "My UPS", "B??ro". */
export function show(text: string): string {
  const shown = asWritten(text);
  return shown.startsWith('"') ? shown : `"${shown}"`;
}

/** A value as the user should write it in a "write this" hint: quoted only when it must be. */
export function quoted(text: string): string {
  try {
    return encodeWord(text);
  } catch {
    return show(text);
  }
}

/** A whole line shown in a message, in double quotes. */
export function showLine(words: readonly Word[]): string {
  const text = words.map((w) => (w.text === '=' ? '=' : asWritten(w.text))).join(' ');
  return `"${text.length > 120 ? `${text.slice(0, 117)}...` : text}"`;
}

/** Words joined back the way they were written (`123=123` stays together), for "write this" hints. */
export function joinAsWritten(words: readonly Word[]): string {
  let out = '';
  words.forEach((w, i) => {
    const prev = words[i - 1];
    const adjacent = prev !== undefined && prev.line === w.line && prev.column + prev.text.length === w.column;
    out += (i === 0 || adjacent ? '' : ' ') + w.text;
  });
  return out;
}

/** A `[name]` section header (ups.conf, upsd.users): it must stand alone; returns the name. */
export function sectionHeader(file: string, words: readonly Word[]): string {
  const [first, extra] = words as [Word, Word | undefined];
  const name = first.text.slice(1, -1);
  if (extra) {
    throw errorAt(file, extra, `${showLine(words)}: a section header stands alone on its line (NUT ignores ` +
      `the rest); put ${show(extra.text)} on a line of its own below [${name}]`);
  }
  return name;
}

export function errorAt(file: string, at: { line: number; column: number }, problem: string): ConfError {
  return new ConfError(file, at.line, at.column, problem);
}

class LineChecker {
  private readonly starts: number[];

  constructor(
    private readonly file: string,
    private readonly bytes: Uint8Array,
  ) {
    this.starts = lineStartOffsets(bytes);
  }

  offsetOf(w: { line: number; column: number }): number {
    return (this.starts[w.line - 1] ?? 0) + w.column - 1;
  }

  /** A quote left open at the end of its line makes NUT glue the next lines onto the value. */
  checkQuoteClosedOnItsLine(word: Word): void {
    const start = this.offsetOf(word);
    if (this.bytes[start] !== QUOTE) return;
    for (let i = start + 1; i < this.bytes.length; i++) {
      const b = this.bytes[i];
      if (b === BACKSLASH) {
        i++; // escaped byte; a "\"+newline continues the value deliberately
        continue;
      }
      if (b === QUOTE) return;
      if (b === NEWLINE) {
        throw errorAt(
          this.file,
          word,
          `the quote opened here is still open at the end of line ${word.line}: NUT would go on reading ` +
            `the value from line ${word.line + 1} (dropping the line break) until the next quote; ` +
            'close the quote on this line, or end the line with \\ to continue the value on purpose',
        );
      }
    }
    throw errorAt(
      this.file,
      word,
      'the quote opened here is never closed: NUT would read the rest of the file into this value; close the quote',
    );
  }

  /** The continuation quirk and its relatives: a `\` whose escaped byte is dropped leaves an empty word. */
  checkNoEmptyWordFromBackslash(word: Word): void {
    if (word.text !== '') return;
    const at = this.offsetOf(word);
    if (this.bytes[at] !== BACKSLASH) return;
    const next = this.bytes[at + 1];
    if (next === NEWLINE) {
      throw errorAt(
        this.file,
        word,
        'the "\\" at the end of this line joins the next line, which is empty or starts with blanks, so NUT ' +
          'reads an empty word here (a NUT quirk) and the words after it shift; start the continued line ' +
          'without blanks, or write it all on one line',
      );
    }
    if (next === CR) {
      throw errorAt(
        this.file,
        word,
        'this "\\" escapes the CR of a CR-LF line end, so NUT does not join the next line and reads an empty ' +
          'word here; save the file with LF line ends, or remove the "\\"',
      );
    }
    throw errorAt(
      this.file,
      word,
      'this "\\" escapes a character NUT drops, leaving an empty word here; remove the "\\"',
    );
  }
}

/**
 * Tokenizes a config file and refuses every line NUT would read differently from how it looks.
 * Returns the logical lines (each at least one word), in file order.
 */
export function readConfLines(input: string | Uint8Array, file: string): Word[][] {
  const bytes = toBytes(input);
  // One word and one byte beyond NUT's limits, so we can tell when NUT would have cut something off.
  const limits = { maxWords: DEFAULT_MAX_WORDS + 1, maxWordLength: DEFAULT_MAX_WORD_LENGTH + 1 };
  const lines = tokenize(bytes, limits);
  const placeholders = withPlaceholders(bytes);
  const visible = placeholders ? tokenize(placeholders, limits) : lines;
  const checker = new LineChecker(file, bytes);

  const out: Word[][] = [];
  lines.forEach((line, lineIndex) => {
    line.words.forEach((word, wordIndex) => {
      checker.checkQuoteClosedOnItsLine(word);
      const seen = visible[lineIndex]?.words[wordIndex]?.text ?? word.text;
      if (seen !== word.text) {
        throw errorAt(
          file,
          word,
          `${show(seen)} contains bytes NUT drops (non-ASCII or control characters, shown as ?), so NUT ` +
            `would read ${show(word.text)}; configuration text is printable ASCII: replace those characters`,
        );
      }
      const del = word.text.indexOf(String.fromCharCode(DEL));
      if (del >= 0) {
        throw errorAt(file, word, `${show(word.text)} contains a DEL control character; configuration text is printable ASCII`);
      }
      if (word.text.length > DEFAULT_MAX_WORD_LENGTH) {
        throw errorAt(
          file,
          word,
          `this word is longer than ${DEFAULT_MAX_WORD_LENGTH} bytes: NUT would keep only the first ` +
            `${DEFAULT_MAX_WORD_LENGTH}; accepted: words of at most ${DEFAULT_MAX_WORD_LENGTH} bytes`,
        );
      }
      checker.checkNoEmptyWordFromBackslash(word);
    });
    const extra = line.words[DEFAULT_MAX_WORDS];
    if (extra) {
      throw errorAt(
        file,
        extra,
        `more than ${DEFAULT_MAX_WORDS} words on one line: NUT would ignore this word and every one after it; ` +
          `accepted: at most ${DEFAULT_MAX_WORDS} words per line (split the values over several lines)`,
      );
    }
    if (line.error) {
      throw errorAt(
        file,
        line.error,
        `"#" inside quotes: NUT drops this line ("${line.error.message}") and reads the rest as a new line; ` +
          'write \\# for a literal "#" (e.g. "UPS \\#1"), or close the quote before a comment',
      );
    }
    if (line.words.length > 0) out.push(line.words);
  });
  return out;
}

// ---- values shared by the readers ----------------------------------------------------------------

export interface IntegerRule {
  /** What the number is, for the message: `pollinterval`, `MAXAGE` … */
  label: string;
  min: number;
  max: number;
  /** e.g. "seconds". */
  unit?: string;
}

/** A whole number in range; NUT's `atoi` would take `15s` or `abc` silently, we do not. */
export function parseInteger(file: string, word: Word, rule: IntegerRule): number {
  const unit = rule.unit ? ` ${rule.unit}` : '';
  const accepted = `a whole number from ${rule.min} to ${rule.max}${unit}`;
  if (!/^-?[0-9]+$/.test(word.text)) {
    throw errorAt(file, word, `${rule.label} ${show(word.text)} is not a whole number; accepted: ${accepted}`);
  }
  const n = Number(word.text);
  if (n < rule.min || n > rule.max) {
    throw errorAt(file, word, `${rule.label} ${word.text} is out of range; accepted: ${accepted}`);
  }
  return n;
}

const TRUE_WORDS = ['true', 'on', 'yes', '1'];
const FALSE_WORDS = ['false', 'off', 'no', '0'];
export const BOOLEAN_FORMS = 'true, on, yes, 1 or false, off, no, 0';

/** NUT's upsd booleans, any case. */
export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (TRUE_WORDS.includes(lower)) return true;
  if (FALSE_WORDS.includes(lower)) return false;
  return undefined;
}
