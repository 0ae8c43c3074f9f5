/**
 * Logging: one line per event, `level room: message`, no secrets. Rooms get a child logger; the
 * sink is injected so tests can capture lines and the gateway can route them to stderr/journald.
 */
import { fstatSync } from 'node:fs';

export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export type LogSink = (level: Level, room: string, message: string) => void;

export type Message = string | (() => string);

export interface Logger {
  readonly room: string;
  debug(message: Message): void;
  info(message: Message): void;
  warn(message: Message): void;
  error(message: Message): void;
  child(room: string): Logger;
}

export const stderrSink: LogSink = (level, room, message) => {
  process.stderr.write(`${level} ${room}: ${message}\n`);
};

const SYSLOG_PRIORITY: Record<Level, number> = { debug: 7, info: 6, warn: 4, error: 3 };

/**
 * Under systemd, stderr is a journald stream: journald stamps the time itself and reads a `<N>`
 * prefix as the syslog priority, so `journalctl -p warning` finds our warnings. A newline would
 * split one event into two entries, so it is folded.
 */
export const journaldSink: LogSink = (level, room, message) => {
  process.stderr.write(`<${SYSLOG_PRIORITY[level]}>${level} ${room}: ${message.replace(/\r?\n/g, ' \u23ce ')}\n`);
};

/** journald's sink when stderr is the stream systemd named in $JOURNAL_STREAM (device:inode), else plain lines. */
export function sinkForStderr(env: NodeJS.ProcessEnv = process.env, stderrIdentity: () => string | undefined = fdIdentity): LogSink {
  const stream = env.JOURNAL_STREAM;
  return stream !== undefined && stream === stderrIdentity() ? journaldSink : stderrSink;
}

function fdIdentity(): string | undefined {
  try {
    const st = fstatSync(2);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

export function createLogger(room: string, sink: LogSink = sinkForStderr(), minLevel: Level = 'info'): Logger {
  const min = LEVELS.indexOf(minLevel);
  const emit = (level: Level, message: Message): void => {
    if (LEVELS.indexOf(level) < min) return;
    sink(level, room, typeof message === 'function' ? message() : message);
  };
  return {
    room,
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    child: (child) => createLogger(child, sink, minLevel),
  };
}

/** A logger that drops everything (library defaults, tests that do not look at logs). */
export const silentLogger: Logger = createLogger('silent', () => {}, 'error');
