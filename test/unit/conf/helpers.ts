import * as assert from 'uvu/assert';
import { ConfError } from '../../../src/conf/errors.js';

/** Runs `fn`, which must throw a ConfError, and returns it. */
export function confError(fn: () => unknown): ConfError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfError) return e;
    throw e;
  }
  assert.unreachable('expected a ConfError');
  throw new Error('unreachable');
}

export async function confErrorAsync(fn: () => Promise<unknown>): Promise<ConfError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ConfError) return e;
    throw e;
  }
  assert.unreachable('expected a ConfError');
  throw new Error('unreachable');
}

/** Asserts where the error points and that its message says each of `parts`. */
export function assertError(e: ConfError, where: string, ...parts: string[]): void {
  assert.ok(e.message.startsWith(`${where}: `), `expected ${where}, got: ${e.message}`);
  for (const p of parts) assert.ok(e.message.includes(p), `expected message to include ${JSON.stringify(p)}, got: ${e.message}`);
}

/** A deep copy without source positions (`pos`, `allowFromPos`), for round-trip comparisons. */
export function withoutPositions<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'pos' || key === 'allowFromPos' ? undefined : v))) as T;
}

const PIECES = [
  '[', ']', '=', '"', '\\', '#', '\n', '\r\n', ' ', '\t', '\\\n', '\x00', '\u00fc', '\x7f',
  'ups', 'driver', 'port', 'desc', 'nolock', 'sdorder', 'pollinterval', '-1', '0', '3', '99999', 'x.dev', 'dummy-ups',
  'LISTEN', 'MAXAGE', 'ACL', 'ACCEPT', 'REJECT', 'lan', '0.0.0.0/0', '::1/128', '10.0.0.0/255.0.0.0', '::1', '*',
  'password', 'actions', 'instcmds', 'upsmon', 'allowfrom', 'primary', 'SET', 'ALL', '__proto__', 'VARDESC', 'CMDDESC',
  '"a b"', '[ups]', '[u]', 'yes', 'true',
];

/**
 * Deterministic config-like soup: files of up to 8 lines, each line one of `lines` (most of the
 * time) or a random mix of grammar characters, keywords and values.
 */
export function* soup(count: number, seed: number, lines: readonly string[] = []): Generator<string> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < count; i++) {
    let text = '';
    const lineCount = next() % 9;
    for (let l = 0; l < lineCount; l++) {
      if (lines.length > 0 && next() % 100 < 85) {
        text += `${lines[next() % lines.length]}\n`;
        continue;
      }
      const length = next() % 12;
      for (let k = 0; k < length; k++) text += PIECES[next() % PIECES.length];
      text += '\n';
    }
    yield text;
  }
}
