/**
 * A configuration problem, located: `file:line:column: what was found; what is accepted`.
 * Thrown by every reader; the gateway prints `message` and stops.
 */
export class ConfError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = 'ConfError';
  }
}

/** Something NUT accepts but that deserves a look (obsolete directive, loose permissions …). */
export interface ConfWarning {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatWarning(w: ConfWarning): string {
  return `${w.file}:${w.line}:${w.column}: ${w.message}`;
}
