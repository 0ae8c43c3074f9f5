/**
 * What NUT's command-line tools do with the terminal: stdout for results, stderr for NUT's
 * `fatalx` messages (then exit 1), prompts read from stdin one line at a time — synchronously and
 * byte by byte, so that a script piping "user\npass\nvalue\n" feeds each prompt its own line —
 * and a password read without echo when stdin is a terminal, as getpass does.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isatty } from 'node:tty';
import type { NutClient } from '../../nut-client/client.js';
import { NutConnectionError, NutError, upscliText } from '../../nut-client/errors.js';

/** Thrown to end a tool with an exit code; everything before it has been written. */
export class ToolExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface ToolIo {
  out(text: string): void;
  /** Writes out what `out` buffered (stdio's fflush). */
  flush(): void;
  err(text: string): void;
  /** One line from stdin with its "\n" if one was read (as fgets gives it); undefined at end of input. */
  readLine(): string | undefined;
  /** getpass: prompt, then a line without echo on a terminal; '' at end of input. */
  readPassword(prompt: string): string;
  /** The login name of the user running the tool (getpwuid), if known. */
  loginName(): string | undefined;
}

const MAX_INPUT_LINE = 511; // fgets into NUT's 512-byte buffers

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readStdinLine(): string | undefined {
  const byte = Buffer.alloc(1);
  const bytes: number[] = [];
  for (;;) {
    let n: number;
    try {
      n = readSync(0, byte, 0, 1, null);
    } catch (e) {
      // A terminal or pipe that Node made non-blocking: wait for the user.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        sleepSync(20);
        continue;
      }
      n = 0;
    }
    if (n === 0) return bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : undefined;
    if (byte[0] === 0x0a) return `${Buffer.from(bytes).toString('utf8')}\n`;
    if (bytes.length < MAX_INPUT_LINE) bytes.push(byte[0]!);
  }
}

/** Writes a prompt where getpass writes it: the terminal, else stderr. */
function promptOnTerminal(prompt: string): void {
  try {
    const fd = openSync('/dev/tty', 'w');
    writeSync(fd, prompt);
    closeSync(fd);
  } catch {
    process.stderr.write(prompt);
  }
}

/**
 * stdout as C's stdio keeps it: written at once on a terminal, else in 4 KiB blocks and at exit.
 * It decides what `upsc … | head` sees and how stdout and stderr interleave in one file.
 */
const STDIO_BUFFER = 4096;
let pendingOut = Buffer.alloc(0);
const stdoutIsTerminal = isatty(1);

export const processIo: ToolIo = {
  out(text) {
    if (stdoutIsTerminal) {
      process.stdout.write(text);
      return;
    }
    pendingOut = Buffer.concat([pendingOut, Buffer.from(text)]);
    while (pendingOut.length >= STDIO_BUFFER) {
      process.stdout.write(pendingOut.subarray(0, STDIO_BUFFER));
      pendingOut = pendingOut.subarray(STDIO_BUFFER);
    }
  },
  flush() {
    if (pendingOut.length > 0) process.stdout.write(pendingOut);
    pendingOut = Buffer.alloc(0);
  },
  err: (text) => void process.stderr.write(text),
  readLine: readStdinLine,
  readPassword(prompt) {
    const terminal = isatty(0);
    promptOnTerminal(prompt);
    if (terminal) spawnSync('stty', ['-echo'], { stdio: ['inherit', 'ignore', 'ignore'] });
    try {
      return (readStdinLine() ?? '').replace(/\n$/, '');
    } finally {
      if (terminal) {
        spawnSync('stty', ['echo'], { stdio: ['inherit', 'ignore', 'ignore'] });
        promptOnTerminal('\n');
      }
    }
  },
  loginName() {
    try {
      return userInfo().username;
    } catch {
      return undefined;
    }
  },
};

/**
 * `upsc … | head` closes the pipe early: NUT's tools die of SIGPIPE there, silently. Node ignores
 * SIGPIPE and reports EPIPE instead; end the same quiet way, with the shell's code for SIGPIPE.
 */
function quitOnClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(128 + 13);
    throw e;
  });
}

/** NUT's `fatalx`: the message on stderr, then exit with `code`. */
export function fatal(io: ToolIo, message: string, code = 1): never {
  io.err(`${message}\n`);
  throw new ToolExit(code);
}

/** A message naming what libupsclient would name: "Unknown UPS", "Connection failure: …". */
export function clientErrorText(e: unknown): string {
  if (e instanceof NutError || e instanceof NutConnectionError) return upscliText(e);
  if (e instanceof RangeError) return `Invalid argument (${e.message})`;
  return upscliText(e);
}

/** True if the server did not know the request (libupsclient's "old upsd" test). */
export function isUnknownCommand(e: unknown): boolean {
  return e instanceof NutError && e.code === 'UNKNOWN-COMMAND';
}

/**
 * Runs a tool body: a ToolExit ends it with its code; the connection, if any, is logged out on
 * every way out (upscli_disconnect at exit). Anything unexpected is reported, never thrown.
 */
export async function runTool(io: ToolIo, body: (keep: (c: NutClient) => void) => Promise<number>): Promise<number> {
  if (io === processIo) quitOnClosedStdout();
  let client: NutClient | undefined;
  let code: number;
  try {
    code = await body((c) => (client = c));
  } catch (e) {
    if (e instanceof ToolExit) code = e.code;
    else {
      io.err(`Error: ${clientErrorText(e)}\n`);
      code = 1;
    }
  }
  if (client) await client.logout();
  io.flush();
  return code;
}
