import { spawn } from 'node:child_process';

/** How a shell command ended. `code` is undefined when it could not be started or was killed. */
export interface ShellResult {
  code: number | undefined;
  signal: string | undefined;
  /** The last few KiB of what it printed (stdout and stderr), for the log. */
  output: string;
  /** Set when it could not be started at all. */
  error?: string;
}

/** Runs NUT-style commands (SHUTDOWNCMD, NOTIFYCMD, CMDSCRIPT, wall): `/bin/sh -c <line>`. */
export type ShellRunner = (commandLine: string, env?: Record<string, string>) => Promise<ShellResult>;

const MAX_OUTPUT = 4096;

/**
 * The real runner: like NUT's `system()`, through /bin/sh, with the gateway's environment plus
 * `env`. Never rejects; the output kept is bounded, so a chatty script cannot grow memory.
 */
export const runShell: ShellRunner = (commandLine, env = {}) =>
  new Promise((resolve) => {
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
    };
    let child;
    try {
      child = spawn('/bin/sh', ['-c', commandLine], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: undefined, signal: undefined, output: '', error: (e as Error).message });
      return;
    }
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (e) => resolve({ code: undefined, signal: undefined, output, error: e.message }));
    child.once('close', (code, signal) => resolve({ code: code ?? undefined, signal: signal ?? undefined, output: output.trim() }));
  });

/** "exit status 3", "killed by SIGTERM", "could not start (ENOENT)". */
export function describeResult(r: ShellResult): string {
  if (r.error !== undefined) return `could not start (${r.error})`;
  if (r.signal !== undefined) return `killed by ${r.signal}`;
  return `exit status ${r.code ?? '?'}`;
}

/** Quotes one argument for /bin/sh (NOTIFYCMD gets the message as one argument). */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
