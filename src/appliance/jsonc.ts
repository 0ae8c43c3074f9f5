/**
 * JSON with comments and trailing commas, as people write it by hand in a PC's editor (VS Code
 * calls it JSONC). Comments and trailing commas are overwritten with spaces, keeping every other
 * character where it was, so a JSON.parse error's position is a position in the file as written.
 */

export class JsoncError extends Error {
  constructor(
    readonly problem: string,
    /** Where, when known (V8 does not always say). */
    readonly at?: { line: number; column: number },
  ) {
    super(at ? `line ${at.line}, column ${at.column}: ${problem}` : problem);
    this.name = 'JsoncError';
  }
}

/** 1-based line and column of a character offset (CRLF counts as one line end). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Blanks out `//` and block comments outside strings; line ends stay, so lines keep their numbers. */
export function stripComments(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) {
        throw new JsoncError('this /* comment is never closed: end it with */', lineColumn(text, i));
      }
      for (; i < end + 2; i++) if (text[i] !== '\n' && text[i] !== '\r') out[i] = ' ';
    } else {
      i++;
    }
  }
  return out.join('');
}

/** Blanks out a comma that only whitespace separates from the `}` or `]` after it (comments already gone). */
export function stripTrailingCommas(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
      continue;
    }
    if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '}' || text[j] === ']') out[i] = ' ';
    }
    i++;
  }
  return out.join('');
}

/** The offset just past the string that starts at `start` (a `"`); an unclosed one runs to the end, for JSON.parse to report. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '\n') return i;
    else i++;
  }
  return i;
}

/**
 * Parses JSONC text (a leading byte order mark is allowed). Throws JsoncError with the line and
 * column of the problem where JSON.parse names a position.
 */
export function parseJsonc(source: string): unknown {
  // Notepad writes a BOM; a space in its place keeps the positions.
  const text = source.charCodeAt(0) === 0xfeff ? ` ${source.slice(1)}` : source;
  const json = stripTrailingCommas(stripComments(text));
  try {
    return JSON.parse(json);
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    // V8's "Unexpected token 'x', "…" is not valid JSON" quotes the text, which may hold a password.
    const problem = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    throw new JsoncError(`not valid JSON: ${problem}`, offset === undefined ? undefined : lineColumn(text, offset));
  }
}
