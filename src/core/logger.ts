/**
 * Logging: one line per event, `level room: message`, no secrets. Rooms get a child logger; the
 * sink is injected so tests can capture lines and the gateway can route them to stderr/journald.
 */
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

export function createLogger(room: string, sink: LogSink = stderrSink, minLevel: Level = 'info'): Logger {
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
