/**
 * snmp-ups's walk over a MIB table (snmp_ups_walk / su_ups_get / su_setOID): the start-up walk
 * publishes what the agent has and drops the rows it lacks; each later walk re-reads the rows
 * that are left (static ones only at start-up), rebuilds ups.status, and marks the data stale
 * when the agent stopped answering. Writes go through the same rows.
 *
 * Where NUT 2.8.0 gets a value wrong this walker does it right, and says so here:
 * - a numeric row whose table "length" is not a scale (APC ups.delay.*): NUT multiplies by it
 *   (TimeTicks 9000 = 90 s is shown as 270); we publish 90 (see NumberRow.nutMultiplier);
 * - NUT decides stale/fresh by the last row of the walk only; we go stale when the agent stops
 *   answering (a transport error), whatever row it happened on;
 * - RFC 1628 upsTestId names the last test started, not a test running: NUT shows TEST for ever
 *   after one quick test; we show TEST/CAL only while upsTestResultsSummary says inProgress, and
 *   write the test's OBJECT IDENTIFIER to start one (NUT writes the integer 0, which agents refuse).
 */
import type { DeviceWriter } from '../../core/device.js';
import { asInteger, asText, formatNumber, formatOneDecimal, lookupValue } from './decode.js';
import type { CommandRow, MibDefinition, MibRow, NumberRow, SnmpValue, StatusRow, StringRow } from './mib-types.js';
import { IETF_ROWS, IETF_ALARM_STATUS, IETF_ALARM_TABLE, IETF_ALARMS_PRESENT, IETF_TEST_ID, IETF_TEST_SUMMARY } from './mibs/ietf.js';

/** What the driver writes: an INTEGER, an OctetString, TimeTicks or an OBJECT IDENTIFIER. */
export type SnmpWrite =
  | { type: 'integer'; value: number }
  | { type: 'string'; value: string }
  | { type: 'timeticks'; value: number }
  | { type: 'oid'; value: string };

/**
 * The agent as the walker sees it. `get` resolves undefined when the agent has no such object;
 * it rejects only when the agent cannot be reached or refuses us (timeout, community, v3 auth).
 */
export interface SnmpAgent {
  get(oid: string): Promise<SnmpValue | undefined>;
  /** Resolves false when the agent refused the value (noSuchName, notWritable, wrongType …). */
  set(oid: string, value: SnmpWrite): Promise<boolean>;
  /** GETNEXT: the first object after `oid`, or undefined at the end of the MIB view. */
  next(oid: string): Promise<{ oid: string; value: SnmpValue } | undefined>;
}

/** RFC 1628 alarm table rows read per poll at most (the table holds one row per present alarm). */
const MAX_ALARM_ROWS = 64;

interface RowState {
  row: MibRow;
  enabled: boolean;
}

export type WalkResult = { ok: true } | { ok: false; error: Error };

export class MibWalker {
  private readonly rows: RowState[];
  private readonly commands = new Set<string>();

  constructor(
    readonly mib: MibDefinition,
    private readonly agent: SnmpAgent,
    private readonly device: DeviceWriter,
    private readonly options: { noTransferOids?: boolean; symmetraThreePhase?: boolean } = {},
  ) {
    this.rows = mib.rows.map((row) => ({
      row,
      enabled: !(options.noTransferOids && (row.name === 'input.transfer.low' || row.name === 'input.transfer.high')),
    }));
  }

  /** Start-up: offers the commands whose OID answers, then reads every row once. */
  async init(): Promise<WalkResult> {
    try {
      for (const s of this.rows) {
        if (s.row.kind !== 'command' || !s.enabled || this.commands.has(s.row.name)) continue;
        if ((await this.agent.get(s.row.oid)) !== undefined) {
          this.commands.add(s.row.name);
          this.device.addCmd(s.row.name);
        }
      }
      await this.walk('init');
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
    }
  }

  /** One poll: every row still enabled and not static; returns the status tokens' outcome. */
  async update(): Promise<WalkResult> {
    try {
      await this.walk('update');
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
    }
  }

  /** ups.status tokens from the last walk (status_set calls), in row order. */
  statusTokens: string[] = [];

  private async walk(mode: 'init' | 'update'): Promise<void> {
    const tokens: string[] = [];
    for (const s of this.rows) {
      const { row } = s;
      if (!s.enabled || row.kind === 'command') continue;
      if (row.kind === 'constant') {
        if (mode === 'init') this.publish(row.name, row.value, { length: row.length });
        continue;
      }
      if (mode === 'update' && row.static) continue;
      if (row.phases && this.phasesOf(row.phases.line) !== row.phases.count) continue;
      const ok = row.kind === 'status' ? await this.readStatus(row, tokens) : await this.readValue(row);
      if (ok) {
        if (row.kind === 'number' && row.unique) this.silenceOthers(s);
      } else if (mode === 'init') {
        s.enabled = false; // the agent lacks it: never asked again (NUT clears SU_FLAG_OK)
      }
    }
    if (this.mib.rows === IETF_ROWS) tokens.push(...(await this.ietfAlarmStatus()), ...(await this.ietfTestStatus()));
    this.statusTokens = tokens;
  }

  /** A unique row answered: the other rows of its variable are dropped (disable_competition). */
  private silenceOthers(winner: RowState): void {
    for (const s of this.rows) if (s !== winner && s.row.name === winner.row.name) s.enabled = false;
  }

  private phasesOf(line: string): number {
    const v = this.device.getInfo(`${line}.phases`);
    return v !== undefined && Number.parseInt(v, 10) === 3 ? 3 : 1;
  }

  /** Reads a value; an OID-valued answer is followed to the object it names, as NUT does. */
  private async read(oid: string): Promise<SnmpValue | undefined> {
    const v = await this.agent.get(oid);
    if (v?.type !== 'oid') return v;
    const pointed = await this.agent.get(v.value);
    return pointed !== undefined && pointed.type !== 'oid' ? pointed : v;
  }

  private async readStatus(row: StatusRow, tokens: string[]): Promise<boolean> {
    const v = await this.read(row.oid);
    const n = v === undefined ? undefined : asInteger(v);
    if (n === undefined) return false;
    const token = row.lookup[n];
    if (token) tokens.push(token);
    return true;
  }

  private async readValue(row: StringRow | NumberRow): Promise<boolean> {
    const v = await this.read(row.oid);
    if (v === undefined) return false;
    if (row.kind === 'string') {
      let text = asText(v, row.lookup);
      if (text === undefined) return false;
      if (this.options.symmetraThreePhase && (row.name === 'input.transfer.low' || row.name === 'input.transfer.high')) {
        // Three-phase Symmetras give line-to-line transfer points; NUT shows line-to-neutral (× 0.707).
        text = (Number.parseFloat(text) * 0.707).toFixed(2);
      }
      this.publish(row.name, text, { length: row.length, string: true, rw: row.rw, lookup: row.rw ? row.lookup : undefined });
      return true;
    }
    const n = asInteger(v);
    if (n === undefined) return false;
    if (row.negInvalid && n < 0) return false;
    const looked = row.lookup?.[n];
    let value = n * row.scale;
    if (row.unitOid !== undefined) {
      const unit = await this.agent.get(row.unitOid);
      if (unit === undefined || asInteger(unit) === 2) value = (n - 32) / 1.8;
    }
    const text = looked ?? (row.oneDecimal ? formatOneDecimal(value) : formatNumber(value));
    this.publish(row.name, text, { rw: row.rw });
    return true;
  }

  private publish(name: string, value: string, how: { length?: number; string?: boolean; rw?: boolean; lookup?: StringRow['lookup'] }): void {
    this.device.setInfo(name, value);
    this.device.setFlags(name, { rw: how.rw ?? false, string: how.string ?? false });
    if (how.string && how.length !== undefined) this.device.setAux(name, how.length);
    if (how.lookup) for (const text of Object.values(how.lookup)) if (text !== '') this.device.addEnum(name, text);
  }

  /**
   * RFC 1628 alarms: each row of upsAlarmTable names a well-known alarm by its OID (upsAlarmDescr).
   * NUT 2.8.0 GETs the well-known alarm OID itself (an OBJECT-IDENTITY, never an instance), so it
   * never sees an overload; here the table is read, row by row, while alarms are present.
   */
  private async ietfAlarmStatus(): Promise<string[]> {
    const present = await this.agent.get(IETF_ALARMS_PRESENT);
    if (present === undefined || !(asInteger(present)! > 0)) return [];
    const tokens: string[] = [];
    let cursor = IETF_ALARM_TABLE;
    for (let i = 0; i < MAX_ALARM_ROWS; i++) {
      const row = await this.agent.next(cursor);
      if (!row || !row.oid.startsWith(`${IETF_ALARM_TABLE}.`)) break;
      cursor = row.oid;
      const token = row.value.type === 'oid' ? IETF_ALARM_STATUS[row.value.value.replace(/^\./, '')] : undefined;
      if (token && !tokens.includes(token)) tokens.push(token);
    }
    return tokens;
  }

  /** RFC 1628: a test is running while upsTestResultsSummary is inProgress(5). */
  private async ietfTestStatus(): Promise<string[]> {
    const summary = await this.agent.get(IETF_TEST_SUMMARY);
    if (summary === undefined || asInteger(summary) !== 5) return [];
    const id = await this.agent.get(IETF_TEST_ID);
    return id?.type === 'oid' && id.value.endsWith('.7.7.5') ? ['CAL'] : ['TEST'];
  }

  // ---- writes ----------------------------------------------------------------------------------

  hasCommand(name: string): boolean {
    return this.commands.has(name);
  }

  async command(name: string): Promise<'success' | 'unknown' | 'failed'> {
    const row = this.rows.find((s) => s.row.kind === 'command' && s.row.name === name)?.row as CommandRow | undefined;
    if (!row || !this.commands.has(name)) return 'unknown';
    const write: SnmpWrite = row.writeOid !== undefined ? { type: 'oid', value: row.writeOid } : { type: 'integer', value: row.value };
    return (await this.agent.set(row.oid, write)) ? 'success' : 'failed';
  }

  async setVariable(name: string, value: string): Promise<'success' | 'unknown' | 'invalid-argument' | 'failed'> {
    const state = this.rows.find((s) => s.enabled && s.row.name === name && (s.row.kind === 'string' || s.row.kind === 'number') && s.row.rw);
    if (!state) return 'unknown';
    const row = state.row as StringRow | NumberRow;
    const write = toWrite(row, value);
    if (!write) return 'invalid-argument';
    if (!(await this.agent.set(row.oid, write))) return 'failed';
    this.device.setInfo(name, value);
    return 'success';
  }
}

function toWrite(row: StringRow | NumberRow, value: string): SnmpWrite | undefined {
  if (row.lookup) {
    const n = lookupValue(row.lookup, value);
    return n === undefined ? undefined : { type: 'integer', value: n };
  }
  if (row.kind === 'string' && row.writeAs !== 'integer') return { type: 'string', value };
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) return undefined;
  if (row.kind === 'number' && row.time) return { type: 'timeticks', value: Math.round(n * 100) };
  const scale = row.kind === 'number' ? row.scale : 1;
  return { type: 'integer', value: Math.round(n / scale) };
}
