/**
 * The vocabulary of the MIB tables (one file per MIB under mibs/): which OID gives which NUT
 * variable, status token or instant command, and how its value is turned into NUT's text. The
 * rows keep NUT's order and its precedence rules (a `unique` row that answers silences the other
 * rows of the same variable), because the order decides which value wins.
 */

/** A value read from the agent, as the SNMP type says it is. */
export type SnmpValue =
  | { type: 'integer'; value: number } // Integer32, Counter32, Gauge32, Counter64 (as far as a double holds it)
  | { type: 'timeticks'; value: number } // hundredths of a second
  | { type: 'string'; value: Buffer } // OctetString, Opaque
  | { type: 'oid'; value: string }
  | { type: 'other'; value: string }; // IpAddress and the like: shown, never computed with

/** Integer → text (NUT's info_lkp_t). A value missing from the table is not published. */
export type Lookup = Readonly<Record<number, string>>;

interface RowBase {
  /** NUT variable (or command) name. */
  name: string;
  oid: string;
  /** Read once at start-up only (NUT SU_FLAG_STATIC). */
  static?: boolean;
}

/**
 * A variable published as text. With `lookup`, integers are translated (NUT decode_str);
 * otherwise strings as sent, integers in decimal, TimeTicks as whole seconds.
 */
export interface StringRow extends RowBase {
  kind: 'string';
  /** STRING:n as upsrw shows it (NUT info_len). */
  length: number;
  lookup?: Lookup;
  rw?: boolean;
  /** Written as an INTEGER (NUT SU_TYPE_INT); otherwise as an OctetString. */
  writeAs?: 'integer';
}

/**
 * A number: the agent's integer times `scale`, then NUT's formatting (whole numbers without
 * decimals, others with two). TimeTicks arrive as seconds first.
 */
export interface NumberRow extends RowBase {
  kind: 'number';
  scale: number;
  lookup?: Lookup;
  /** Negative answers mean "not available": the row is dropped (NUT SU_FLAG_NEGINVALID). */
  negInvalid?: boolean;
  /** When this row answers, other rows of the same variable are never read (NUT SU_FLAG_UNIQUE). */
  unique?: boolean;
  rw?: boolean;
  /** Written as TimeTicks (seconds × 100): NUT SU_TYPE_TIME. */
  time?: boolean;
  /**
   * NUT 2.8.0 multiplies by the table's "length" field for this row although the row has no scale
   * (it means a string length there): NUT shows `value × nutMultiplier`. We publish the value.
   */
  nutMultiplier?: number;
  /** Always one decimal (NUT's ambient.temperature: `%.1f`). */
  oneDecimal?: boolean;
  /**
   * The OID saying whether this temperature is celsius(1) or fahrenheit(2) (APC IEM probes);
   * Fahrenheit, or no answer, is converted to °C as NUT does.
   */
  unitOid?: string;
}

/** Contributes a ups.status token from an integer (NUT SU_STATUS_*). */
export interface StatusRow extends RowBase {
  kind: 'status';
  lookup: Lookup;
}

/** A fixed value published at start-up when nothing is read (NUT SU_FLAG_ABSENT). */
export interface ConstantRow {
  kind: 'constant';
  name: string;
  value: string;
  length: number;
}

/** An instant command: an INTEGER SET, offered when its OID answers a GET at start-up. */
export interface CommandRow extends RowBase {
  kind: 'command';
  value: number;
  /** Some agents want an OBJECT IDENTIFIER written (RFC 1628 upsTestId). */
  writeOid?: string;
}

/** Rows that only exist for single- or three-phase devices (NUT SU_INPUT_1 / _3, SU_OUTPUT_…). */
export interface PhaseCondition {
  phases?: { line: 'input' | 'output' | 'input.bypass'; count: 1 | 3 };
}

export type MibRow = (StringRow | NumberRow | StatusRow | ConstantRow | CommandRow) & PhaseCondition;

export interface MibDefinition {
  /** The `mibs =` name (NUT mib_name). */
  name: string;
  /** Published as `driver.version.data: <name> MIB <version>`. */
  version: string;
  /** sysObjectID values this table is chosen for under `mibs = auto`, before the classic probe. */
  sysOids: readonly string[];
  /** The OID whose answer proves this MIB is served (NUT: the ups.model row). */
  probeOid: string;
  /** Chosen under `mibs = auto` only by sysObjectID, never by the probe (a table that shares another's rows). */
  sysOidOnly?: boolean;
  rows: readonly MibRow[];
}
