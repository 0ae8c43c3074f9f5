import { DEFAULT_MAX_WORDS, DEFAULT_MAX_WORD_LENGTH } from '../conf/parseconf.js';

/**
 * A shortcut past the byte-by-byte tokenizer for the requests clients actually send: plain words
 * separated by spaces, one or more complete lines. When every byte of the read is printable ASCII
 * other than `"`, `\`, `#` and `=` (or space, tab, CR, LF) and it ends with a newline, NUT's
 * tokenizer would split it on whitespace and nothing else — so that is done directly, and
 * `undefined` sends anything else through the real tokenizer.
 */
export function splitSimpleLines(buf: Buffer, start: number, end: number): string[][] | undefined {
  if (end <= start || buf[end - 1] !== 0x0a) return undefined;
  const text = buf.toString('latin1', start, end);
  const lines: string[][] = [];
  let words: string[] = [];
  let wordStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) {
      if (wordStart >= 0) {
        if (i - wordStart > DEFAULT_MAX_WORD_LENGTH) return undefined;
        words.push(text.slice(wordStart, i));
        wordStart = -1;
      }
      if (c === 0x0a) {
        if (words.length > DEFAULT_MAX_WORDS) return undefined;
        lines.push(words);
        words = [];
      }
    } else if (c < 0x21 || c > 0x7e || c === 0x22 || c === 0x5c || c === 0x23 || c === 0x3d) {
      return undefined;
    } else if (wordStart < 0) {
      wordStart = i;
    }
  }
  return lines;
}
