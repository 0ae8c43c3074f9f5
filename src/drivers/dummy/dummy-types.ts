/**
 * The variable types NUT 2.8.0's dummy-ups knows (the table in its dummy-ups.h), as data.
 * Every time dummy-ups sets one of these (from its file or from a client's SET), it (re)applies
 * the listed type; any other variable gets the default: writable string of 32.
 *
 * Facts worth knowing, kept as NUT has them:
 * - `ups.serial` is listed twice (STRING:32, then STRING:16); lookups take the first, so 32;
 * - `input.transfer.reason` and `input.sensitivity` are strings of length 1;
 * - numbers are writable and carry no length.
 */
export interface DummyType {
  name: string;
  rw: boolean;
  /** A string of at most `length` characters; otherwise a number. */
  string: boolean;
  length: number;
  /** Published before the definition file is read. */
  initial?: string;
}

/** Compact rows: name, `S<n>` for a writable string of n, `N` for a writable number, initial value. */
const ROWS: ReadonlyArray<readonly [string, string, string?]> = [
  ['ups.mfr', 'S32', 'Dummy Manufacturer'],
  ['ups.model', 'S32', 'Dummy UPS'],
  ['ups.status', 'S32', 'OL'],
  ['ups.serial', 'S32'],
  ['ups.load', 'N'],
  ['ups.alarm', 'S32'],
  ['ups.time', 'S16'],
  ['ups.date', 'S16'],
  ['ups.mfr.date', 'S16'],
  ['ups.serial', 'S16'],
  ['ups.firmware', 'S16'],
  ['ups.firmware.aux', 'S16'],
  ['ups.temperature', 'N'],
  ['ups.id', 'S16'],
  ['ups.delay.start', 'N'],
  ['ups.delay.reboot', 'N'],
  ['ups.delay.shutdown', 'N'],
  ['ups.test.interval', 'N'],
  ['ups.test.result', 'S16'],
  ['input.voltage', 'N'],
  ['input.voltage.maximum', 'N'],
  ['input.voltage.minimum', 'N'],
  ['input.voltage.nominal', 'N'],
  ['input.transfer.reason', 'S1'],
  ['input.transfer.low', 'N'],
  ['input.transfer.high', 'N'],
  ['input.sensitivity', 'S1'],
  ['input.quality', 'S6'],
  ['input.frequency', 'N'],
  ['input.transfer.boost.low', 'N'],
  ['input.transfer.boost.high', 'N'],
  ['input.transfer.trim.low', 'N'],
  ['input.transfer.trim.high', 'N'],
  ['output.voltage', 'N'],
  ['output.frequency', 'N'],
  ['output.current', 'N'],
  ['battery.charge', 'N'],
  ['battery.charge.low', 'N'],
  ['battery.voltage', 'N'],
  ['battery.current', 'N'],
  ['battery.runtime', 'N'],
  ['battery.runtime.low', 'N'],
  ['battery.charge.restart', 'N'],
  ['battery.temperature', 'N'],
  ['battery.voltage.nominal', 'N'],
  ['ambient.temperature', 'N'],
  ['ambient.temperature.alarm', 'N'],
  ['ambient.temperature.high', 'N'],
  ['ambient.temperature.low', 'N'],
  ['ambient.humidity', 'N'],
  ['ambient.humidity.alarm', 'N'],
  ['ambient.humidity.high', 'N'],
  ['ambient.humidity.low', 'N'],
];

export const DUMMY_TYPES: readonly DummyType[] = ROWS.map(([name, kind, initial]) => {
  const string = kind.startsWith('S');
  const t: DummyType = { name, rw: true, string, length: string ? Number(kind.slice(1)) : 0 };
  if (initial !== undefined) t.initial = initial;
  return t;
});

/** What a variable missing from the table gets. */
export const DEFAULT_DUMMY_TYPE: Readonly<Omit<DummyType, 'name'>> = { rw: true, string: true, length: 32 };

/** The table entry for a name (first match, without regard to case, as NUT's lookup). */
export function dummyTypeOf(name: string): DummyType | undefined {
  const k = name.toLowerCase();
  return DUMMY_TYPES.find((t) => t.name.toLowerCase() === k);
}

/** The commands dummy-ups lists (it refuses them all when asked). */
export const DUMMY_COMMANDS: readonly string[] = ['load.off'];
