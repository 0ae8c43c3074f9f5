/**
 * What a driver answers to an instant command or a SET: NUT's STAT_INSTCMD_* / STAT_SET_* codes
 * (0 handled, 1 unknown, 2 invalid argument, 3 failed), which upsd reports through TRACKING.
 */
export type CommandOutcome = 'success' | 'unknown' | 'invalid-argument' | 'failed';

/** The side of a driver that the command router talks to. */
export interface CommandTarget {
  instcmd(command: string, parameter?: string): Promise<CommandOutcome>;
  setVariable(name: string, value: string): Promise<CommandOutcome>;
}
