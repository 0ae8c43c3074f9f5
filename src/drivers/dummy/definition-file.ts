import { stat } from 'node:fs/promises';
import { MAX_CONF_BYTES, NotASmallFile, readSmallFile } from '../../conf/small-file.js';
import { Tokenizer } from '../../conf/parseconf.js';

/** The most of a definition file read into memory; larger files are refused. */
export const MAX_DEFINITION_BYTES = MAX_CONF_BYTES;

/** One logical line of a .dev/.seq file, in NUT's configuration grammar. */
export interface DefinitionLine {
  words: string[];
  /** 1-based physical line where it began (for logs). */
  line: number;
  /** The line was cut short by a parse error: dummy-ups skips it. */
  error: boolean;
}

export class DefinitionFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot read dummy-ups definition file ${path}: ${reason}`);
    this.name = 'DefinitionFileError';
  }
}

/**
 * Splits a definition file into lines exactly as NUT's file parser hands them to dummy-ups,
 * including one corner the shared tokenizer deliberately smooths over: at the end of a file
 * without a final newline, a line still holding only its first, unfinished word is lost.
 */
export function parseDefinition(bytes: Uint8Array): DefinitionLine[] {
  const t = new Tokenizer();
  const lines: DefinitionLine[] = [];
  let last: 'more' | 'line' | 'error' = 'more';
  const push = (error: boolean) => {
    if (t.words.length === 0 && !error) return;
    lines.push({ words: t.words.map((w) => w.text), line: t.words[0]?.line ?? t.errorLine, error });
  };
  for (const b of bytes) {
    last = t.feed(b);
    if (last === 'line') push(false);
    else if (last === 'error') push(true);
  }
  // NUT completes an unterminated last line only when it already holds a finished word.
  if (last === 'more' && t.words.length > 0 && t.finish()) push(false);
  return lines;
}

/** Reads and parses a definition file; refuses files over MAX_DEFINITION_BYTES. */
export async function loadDefinition(path: string): Promise<DefinitionLine[]> {
  try {
    return parseDefinition(await readSmallFile(path, MAX_DEFINITION_BYTES));
  } catch (e) {
    throw new DefinitionFileError(path, e instanceof NotASmallFile ? e.message : reasonOf(e));
  }
}

/** Modification time in whole seconds (dummy-ups compares st_mtime seconds), or undefined. */
export async function mtimeSeconds(path: string): Promise<number | undefined> {
  try {
    return Math.floor((await stat(path)).mtimeMs / 1000);
  } catch {
    return undefined;
  }
}

function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(e);
}
