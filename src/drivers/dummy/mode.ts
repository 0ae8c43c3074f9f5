/**
 * How dummy-ups decides what to do with `port` (NUT 2.8.0):
 * - `mode = dummy-loop | dummy-once | dummy | repeater` decides (case-sensitive);
 * - else a port containing `@` is a UPS to repeat (`ups@host[:port]`);
 * - else `*.seq` loops, `*.dev` is read once, and anything else loops.
 *
 * driver.parameter.mode then reports `dummy-loop` or `dummy-once` when the mode was asked for or
 * guessed from the file name, and `dummy` only when nothing said anything (explicit
 * `mode = dummy` reports `dummy-loop`).
 */
export type DummyMode = 'loop' | 'once' | 'repeater';

export const DUMMY_MODES = ['dummy-loop', 'dummy-once', 'dummy', 'repeater'] as const;

export function isDummyModeName(value: string): boolean {
  return (DUMMY_MODES as readonly string[]).includes(value);
}

export interface ModeDecision {
  mode: DummyMode;
  /** What driver.parameter.mode reports. */
  reported: string;
}

/** `requested` is driver.parameter.mode as published (undefined when absent); must be valid. */
export function decideMode(requested: string | undefined, port: string): ModeDecision {
  if ((requested === undefined && port.includes('@')) || requested === 'repeater') {
    return { mode: 'repeater', reported: 'repeater' };
  }
  if (requested === 'dummy-once') return { mode: 'once', reported: 'dummy-once' };
  if (requested === 'dummy-loop' || requested === 'dummy') return { mode: 'loop', reported: 'dummy-loop' };
  if (port.endsWith('.seq')) return { mode: 'loop', reported: 'dummy-loop' };
  if (port.endsWith('.dev')) return { mode: 'once', reported: 'dummy-once' };
  return { mode: 'loop', reported: 'dummy' };
}

/** NUT_CONFPATH + port for relative names (plain concatenation, as NUT prints it). */
export function definitionPath(confDir: string, port: string): string {
  if (port.startsWith('/')) return port;
  return `${confDir.endsWith('/') ? confDir.slice(0, -1) : confDir}/${port}`;
}
