import type { Clock } from '../../core/clock.js';
import type { CommandOutcome } from '../../core/command-target.js';
import type { Logger } from '../../core/logger.js';
import { convertValue, parseStatusByte } from './protocol.js';
import { ShutdownSender } from './shutdown.js';
import type { SmartLink } from './smart-link.js';
import { APC_CMDS, APC_STRLEN, STAT_CAL, type ApcCmd } from './tables.js';
import type { ApcVariables, VarRow } from './variables.js';

/** A dangerous command runs only when the same request came 3 to 15 s before (MINCMDTIME/MAXCMDTIME). */
const CONFIRM_MIN_MS = 3000;
const CONFIRM_MAX_MS = 15000;
/** NUT gives up rotating an EEPROM value after this many `-` steps. */
const MAX_ROTATIONS = 32;

export interface CommandContext {
  link: SmartLink;
  vars: ApcVariables;
  commands: ReadonlySet<ApcCmd>;
  shutdown: ShutdownSender;
  clock: Clock;
  log: Logger;
  /** The last status byte, for the shutdown methods that depend on OL/OB. */
  status: () => number;
  /** `driver.killpower`: the ups.conf shutdown method (sdtype/advorder), as `apcsmart -k` runs it. */
  configuredShutdown: () => Promise<boolean>;
  /** Re-reads one variable after a change (NUT's poll_data). */
  refresh: (row: VarRow) => Promise<void>;
}

/** The command upsgate killpower sends first (NUT 2.8.3+: driver.killpower). */
export const KILLPOWER = 'driver.killpower';

/** Instant commands and SET, as NUT 2.8.0's apcsmart carries them out. */
export class ApcCommands {
  private lastNasty = Number.NEGATIVE_INFINITY;

  constructor(private readonly ctx: CommandContext) {}

  async instcmd(name: string, ext: string | undefined): Promise<CommandOutcome> {
    const n = name.toLowerCase();
    // NUT 2.8.3's name for "what -k does": upsgate killpower sends it. Not listed (NUT 2.8.0's
    // apcsmart has no such command, so LIST CMD stays NUT's) and not confirmed twice, as a
    // late-shutdown hook has one chance; shutdown.return from a client keeps NUT's confirmation.
    if (n === KILLPOWER) return ext ? 'invalid-argument' : this.result(await this.ctx.configuredShutdown());
    const ct = APC_CMDS.find((c) => c.name === n && (c.ext ? c.ext.test(ext ?? '') : ext === undefined));
    if (!ct) return APC_CMDS.some((c) => c.name === n) ? 'invalid-argument' : 'unknown';
    if (!this.ctx.commands.has(ct)) return 'invalid-argument'; // known, not on this model
    if (ct.nasty && !this.confirmed()) {
      this.ctx.log.info(`instcmd ${name}: dangerous command, send it again within 3 to 15 s to carry it out`);
      return 'success';
    }
    const { link, shutdown } = this.ctx;
    switch (n) {
      case 'calibrate.start': return this.calibrate(true);
      case 'calibrate.stop': return this.calibrate(false);
      case 'load.on': return this.result(await shutdown.repeated('\x0e', true));
      case 'load.off': return this.result(await shutdown.send('Z', this.ctx.status()));
      case 'shutdown.stayoff': return this.result(await shutdown.send('K', this.ctx.status()));
      case 'shutdown.return':
        if (!ext) return this.result(await shutdown.send('S', this.ctx.status()));
        if (ext.charAt(0).toUpperCase() === 'A') return this.result(await shutdown.send('@', this.ctx.status(), ext.slice(3)));
        return this.result(await shutdown.send('CS', this.ctx.status()));
    }
    let reply;
    if (ct.repeat) {
      if (!(await shutdown.repeated(ct.cmd, false))) return 'failed';
      reply = 'OK';
    } else {
      reply = await link.ask(ct.cmd);
    }
    if (reply !== 'OK') {
      this.ctx.log.warn(`instcmd ${name}: the UPS answered ${JSON.stringify(reply ?? '')}, not OK`);
      return 'failed';
    }
    return 'success';
  }

  async setVariable(name: string, value: string): Promise<CommandOutcome> {
    const row = this.ctx.vars.byName(name);
    if (!row || !row.rw) return 'unknown';
    if (row.enumerable) return this.setEnum(row, value);
    if (row.def.string) return this.setString(row, value);
    return 'unknown';
  }

  /** Every change of an EEPROM value is one step through its list (`-`), until it shows `value`. */
  private async setEnum(row: VarRow, value: string): Promise<CommandOutcome> {
    const { link, log } = this.ctx;
    const orig = await link.ask(row.def.cmd);
    if (orig === undefined || orig === '' || orig === 'NA') return 'failed';
    if (convertValue(row.def.format, orig) === value) return 'success'; // spares the EEPROM
    for (let i = 0; i < MAX_ROTATIONS; i++) {
      if ((await link.ask('-')) !== 'OK') return 'failed';
      const now = await link.ask(row.def.cmd);
      if (now === undefined || now === '' || now === 'NA') return 'failed';
      if (convertValue(row.def.format, now) === value) {
        log.info(`SET ${row.def.name}='${value}'`);
        await this.ctx.refresh(row);
        return 'success';
      }
      if (now === orig) {
        log.error(`SET ${row.def.name}='${value}': not among the values the UPS cycles through`);
        return 'failed';
      }
    }
    await this.ctx.refresh(row);
    return 'failed';
  }

  /** ups.id, battery.date: `-` then the 8 characters (CR-padded), paced. */
  private async setString(row: VarRow, value: string): Promise<CommandOutcome> {
    const { link } = this.ctx;
    if (value.length > APC_STRLEN) return 'invalid-argument';
    const current = await link.ask(row.def.cmd);
    if (current === undefined || current === '' || current === 'NA') return 'failed';
    if (current === value) return 'success';
    const peek = await link.ask('-', { mode: 'plain', timeoutMs: 200 });
    if (peek !== undefined) return 'failed';
    const reply = link.read();
    await link.sendPaced(value.padEnd(APC_STRLEN, '\r'), 50);
    const final = await reply;
    if (final === undefined || final === 'NO') return 'failed';
    await this.ctx.refresh(row);
    this.ctx.log.info(`SET ${row.def.name}='${value}'`);
    return 'success';
  }

  /** D toggles calibration: start only when not running, stop only when running (from Q's CAL bit). */
  private async calibrate(start: boolean): Promise<CommandOutcome> {
    const { link, log } = this.ctx;
    const q = await link.ask('Q');
    if (q === undefined || q === '' || q === 'NA') {
      log.warn('runtime calibration state undeterminable');
      return 'failed';
    }
    const running = (parseStatusByte(q) & STAT_CAL) !== 0;
    if (running === start) {
      log.info(start ? 'runtime calibration already in progress' : 'runtime calibration not occurring');
      return 'success';
    }
    const reply = await link.ask('D');
    if (reply === undefined || reply === 'NA' || reply === 'NO') return 'failed';
    return 'success';
  }

  /** NUT's window: one shared "last dangerous request", on the monotonic clock. */
  private confirmed(): boolean {
    const now = this.ctx.clock.now();
    const elapsed = now - this.lastNasty;
    this.lastNasty = now;
    return elapsed >= CONFIRM_MIN_MS && elapsed <= CONFIRM_MAX_MS;
  }

  private result(ok: boolean): CommandOutcome {
    return ok ? 'success' : 'failed';
  }
}
