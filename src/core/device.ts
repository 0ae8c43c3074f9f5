import type { Clock } from './clock.js';
import { Emitter } from './emitter.js';
import { compareNames, flagsOf, nameKey, type Variable, type VarFlags } from './variable.js';
import type { CommandTarget } from './command-target.js';

/**
 * Whether a UPS can be served: `not-connected` (no driver, or it was lost: upsd's
 * ERR DRIVER-NOT-CONNECTED), `stale` (driver alive but its data is not fresh: ERR DATA-STALE),
 * `ok`.
 */
export type Availability = 'ok' | 'stale' | 'not-connected';

export interface LoginRecord {
  /** Identifies the session (one LOGIN per connection). */
  readonly id: number;
  /** Client address as upsd prints it in LIST CLIENT (`127.0.0.1`, `::1`). */
  readonly address: string;
  readonly username: string;
}

export interface DeviceEvents extends Record<string, unknown[]> {
  /** A variable was set (value) or deleted (undefined). */
  variable: [name: string, value: string | undefined];
  /** Flags, aux, enums or ranges of a variable changed. */
  type: [name: string];
  commands: [];
  availability: [state: Availability];
  fsd: [];
  logins: [count: number];
}

/**
 * The writing side a driver sees: the same vocabulary NUT drivers use on their socket to upsd
 * (SETINFO, DELINFO, SETFLAGS, SETAUX, ADDENUM, ADDRANGE, ADDCMD, DATAOK, DATASTALE …).
 */
export interface DeviceWriter {
  setInfo(name: string, value: string): void;
  delInfo(name: string): void;
  getInfo(name: string): string | undefined;
  setFlags(name: string, flags: Partial<VarFlags>): void;
  setAux(name: string, aux: number): void;
  addEnum(name: string, value: string): void;
  delEnum(name: string, value: string): void;
  addRange(name: string, min: number, max: number): void;
  delRange(name: string, min: number, max: number): void;
  addCmd(name: string): void;
  delCmd(name: string): void;
  /** The driver has (re)established contact and published its data. */
  driverConnected(): void;
  /** The driver is gone: every variable and command is dropped, as upsd does when a driver socket closes. */
  driverLost(): void;
  dataOk(): void;
  dataStale(): void;
  /** The driver is alive (a completed poll): keeps the data from going stale by MAXAGE. */
  heartbeat(): void;
}

export interface DeviceOptions {
  /** `desc` from ups.conf; undefined when not given. */
  description?: string;
  /** upsd.conf MAXAGE in seconds: data older than this is stale. */
  maxAgeSeconds?: number;
}

/** One UPS: what its driver last said, plus the server-side state upsd keeps for it. */
export class Device implements DeviceWriter {
  readonly name: string;
  description: string | undefined;
  maxAgeMs: number;

  private readonly vars = new Map<string, Variable>();
  /** `variables()` in list order, kept until a variable is added or removed (LIST VAR is frequent). */
  private sortedVars: Variable[] | undefined;
  private readonly cmds = new Map<string, string>();
  private readonly events: Emitter<DeviceEvents>;
  private readonly loginRecords = new Map<number, LoginRecord>();
  private connected = false;
  private staleFlag = false;
  private lastHeard = Number.NEGATIVE_INFINITY;
  private lastAvailability: Availability = 'not-connected';
  private fsdLatched = false;
  private target: CommandTarget | undefined;

  constructor(
    name: string,
    private readonly clock: Clock,
    options: DeviceOptions = {},
    onListenerError?: (event: string, error: unknown) => void,
  ) {
    this.name = name;
    this.description = options.description;
    this.maxAgeMs = (options.maxAgeSeconds ?? 15) * 1000;
    this.events = new Emitter(onListenerError);
  }

  on<K extends keyof DeviceEvents>(event: K, listener: (...args: DeviceEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  // ---- reading -------------------------------------------------------------------------------

  getVariable(name: string): Readonly<Variable> | undefined {
    return this.vars.get(nameKey(name));
  }

  getInfo(name: string): string | undefined {
    return this.vars.get(nameKey(name))?.value;
  }

  /** Variables in NUT's list order. */
  variables(): readonly Readonly<Variable>[] {
    this.sortedVars ??= [...this.vars.values()].sort((a, b) => compareNames(a.name, b.name));
    return this.sortedVars;
  }

  hasCommand(name: string): boolean {
    return this.cmds.has(nameKey(name));
  }

  /** Instant commands in NUT's list order. */
  commands(): string[] {
    return [...this.cmds.values()].sort(compareNames);
  }

  /** `ups.status` as clients see it: with `FSD` in front once the latch is set. */
  statusTokens(): string[] {
    const raw = this.getInfo('ups.status') ?? '';
    const tokens = raw.split(' ').filter((t) => t !== '');
    return this.fsdLatched ? ['FSD', ...tokens] : tokens;
  }

  availability(): Availability {
    if (!this.connected) return 'not-connected';
    if (this.staleFlag || this.clock.now() - this.lastHeard > this.maxAgeMs) return 'stale';
    return 'ok';
  }

  /** Re-evaluates staleness by age; emits `availability` when it changed. Called periodically. */
  checkAvailability(): Availability {
    const now = this.availability();
    if (now !== this.lastAvailability) {
      this.lastAvailability = now;
      this.events.emit('availability', now);
    }
    return now;
  }

  // ---- FSD latch --------------------------------------------------------------------------------

  get fsd(): boolean {
    return this.fsdLatched;
  }

  /** Sets the forced-shutdown latch; only a restart (or removing the UPS) clears it, as in upsd. */
  setFsd(): void {
    if (this.fsdLatched) return;
    this.fsdLatched = true;
    this.events.emit('fsd');
  }

  // ---- logins (upsmon sessions that did LOGIN on this UPS) -----------------------------------

  addLogin(record: LoginRecord): void {
    this.loginRecords.set(record.id, record);
    this.events.emit('logins', this.loginRecords.size);
  }

  removeLogin(id: number): void {
    if (this.loginRecords.delete(id)) this.events.emit('logins', this.loginRecords.size);
  }

  logins(): LoginRecord[] {
    return [...this.loginRecords.values()];
  }

  get numLogins(): number {
    return this.loginRecords.size;
  }

  // ---- commands to the driver -----------------------------------------------------------------

  bindCommandTarget(target: CommandTarget | undefined): void {
    this.target = target;
  }

  get commandTarget(): CommandTarget | undefined {
    return this.target;
  }

  // ---- the driver's side ------------------------------------------------------------------------

  setInfo(name: string, value: string): void {
    const key = nameKey(name);
    const v = this.vars.get(key);
    if (v) {
      // NUT compares with strcasecmp: a change of case alone is not a change.
      if (v.value.toLowerCase() === value.toLowerCase()) return;
      if (v.flags.immutable) return;
      v.value = value;
    } else {
      this.vars.set(key, { name, value, flags: flagsOf({}), aux: 0, enums: [], ranges: [] });
      this.sortedVars = undefined;
    }
    this.events.emit('variable', this.vars.get(key)!.name, value);
  }

  delInfo(name: string): void {
    const key = nameKey(name);
    const v = this.vars.get(key);
    if (!v || v.flags.immutable) return;
    this.vars.delete(key);
    this.sortedVars = undefined;
    this.events.emit('variable', v.name, undefined);
  }

  setFlags(name: string, flags: Partial<VarFlags>): void {
    const v = this.vars.get(nameKey(name));
    if (!v || v.flags.immutable) return;
    const next = flagsOf({ ...flags, immutable: flags.immutable ?? false });
    const old = v.flags;
    if (old.rw === next.rw && old.string === next.string && old.number === next.number && old.immutable === next.immutable) return;
    v.flags = next;
    this.events.emit('type', v.name);
  }

  setAux(name: string, aux: number): void {
    const v = this.vars.get(nameKey(name));
    if (!v || v.aux === aux) return;
    v.aux = aux;
    this.events.emit('type', v.name);
  }

  addEnum(name: string, value: string): void {
    const v = this.vars.get(nameKey(name));
    if (!v || v.enums.includes(value)) return;
    v.enums.push(value);
    this.events.emit('type', v.name);
  }

  delEnum(name: string, value: string): void {
    const v = this.vars.get(nameKey(name));
    if (!v) return;
    const i = v.enums.findIndex((e) => e.toLowerCase() === value.toLowerCase());
    if (i < 0) return;
    v.enums.splice(i, 1);
    this.events.emit('type', v.name);
  }

  addRange(name: string, min: number, max: number): void {
    const v = this.vars.get(nameKey(name));
    if (!v || min > max) return;
    if (v.ranges.some((r) => r.min === min && r.max === max)) return;
    v.ranges.push({ min, max });
    v.flags.number = true;
    this.events.emit('type', v.name);
  }

  delRange(name: string, min: number, max: number): void {
    const v = this.vars.get(nameKey(name));
    if (!v) return;
    const i = v.ranges.findIndex((r) => r.min === min && r.max === max);
    if (i < 0) return;
    v.ranges.splice(i, 1);
    this.events.emit('type', v.name);
  }

  addCmd(name: string): void {
    const key = nameKey(name);
    if (this.cmds.has(key)) return;
    this.cmds.set(key, name);
    this.events.emit('commands');
  }

  delCmd(name: string): void {
    if (this.cmds.delete(nameKey(name))) this.events.emit('commands');
  }

  driverConnected(): void {
    this.connected = true;
    this.lastHeard = this.clock.now();
    this.checkAvailability();
  }

  driverLost(): void {
    this.connected = false;
    this.staleFlag = false;
    for (const v of [...this.vars.values()]) {
      this.vars.delete(nameKey(v.name));
      this.sortedVars = undefined;
      this.events.emit('variable', v.name, undefined);
    }
    if (this.cmds.size > 0) {
      this.cmds.clear();
      this.events.emit('commands');
    }
    this.checkAvailability();
  }

  dataOk(): void {
    this.lastHeard = this.clock.now();
    this.staleFlag = false;
    this.checkAvailability();
  }

  dataStale(): void {
    this.lastHeard = this.clock.now();
    this.staleFlag = true;
    this.checkAvailability();
  }

  heartbeat(): void {
    this.lastHeard = this.clock.now();
    this.checkAvailability();
  }
}
