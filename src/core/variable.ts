/**
 * A NUT variable as upsd keeps it: a value plus the type information drivers attach to it.
 * Names keep the spelling of their first appearance but are looked up without regard to case,
 * and listed in NUT's order (ASCII case-insensitive), as upsd's variable tree does.
 */
export interface VarFlags {
  /** Writable with SET VAR. */
  rw: boolean;
  /** A string of at most `aux` characters (`STRING:<aux>`); otherwise a number. */
  string: boolean;
  /** Explicitly numeric (drivers set it with ranges); NUT reports non-strings as NUMBER anyway. */
  number: boolean;
  /** Set by `override.*` in ups.conf: the driver can no longer change or delete it. */
  immutable: boolean;
}

export interface ValueRange {
  min: number;
  max: number;
}

export interface Variable {
  readonly name: string;
  value: string;
  flags: VarFlags;
  aux: number;
  enums: string[];
  ranges: ValueRange[];
}

export const NO_FLAGS: Readonly<VarFlags> = Object.freeze({ rw: false, string: false, number: false, immutable: false });

export function flagsOf(partial: Partial<VarFlags>): VarFlags {
  return { ...NO_FLAGS, ...partial };
}

/** The key variables and commands are stored under: NUT compares names with strcasecmp. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** strcasecmp order, which is the order of every NUT list (LIST VAR, RW, CMD). */
export function compareNames(a: string, b: string): number {
  const x = nameKey(a);
  const y = nameKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The words of `GET TYPE` after the variable name: `[RW] [ENUM] [RANGE] (STRING:<n> | NUMBER)`. */
export function typeWords(v: Variable): string[] {
  const words: string[] = [];
  if (v.flags.rw) words.push('RW');
  if (v.enums.length > 0) words.push('ENUM');
  if (v.ranges.length > 0) words.push('RANGE');
  words.push(v.flags.string ? `STRING:${v.aux}` : 'NUMBER');
  return words;
}
