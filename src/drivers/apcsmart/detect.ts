import type { DeviceWriter } from '../../core/device.js';
import type { Logger } from '../../core/logger.js';
import { charName, parseCapabilities } from './protocol.js';
import { READ_LONG_MS, READ_SHORT_MS, type SmartLink } from './smart-link.js';
import { APC_CMDS, CMDSET_FORMAT, COMPAT_FIRMWARE, UNEXPOSED_CHARS, type ApcCmd } from './tables.js';
import type { ApcVariables, VarRow } from './variables.js';

/**
 * Start-up as NUT 2.8.0's apcsmart does it: smart mode (`Y` → `SM`), then what the UPS can do —
 * from the firmware table when `V` names a model that cannot answer `a`, else from `a`
 * (protocol.alerts.commands), each variable read once and kept only if it answers; rows shared
 * by several names or characters are settled in table order; then `^Z` makes the enumerable
 * variables writable with their values. Very old models (no usable `a`) get the six basics.
 */

/** `Y` until `SM`, with ESC between tries to cancel a half-typed command; false if it never comes. */
export async function enterSmartMode(link: SmartLink, tries: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const reply = await link.ask('Y', { mode: 'plain', timeoutMs: READ_SHORT_MS });
    if (reply === 'SM') return true;
    await link.ask('\x1b', { mode: 'plain', timeoutMs: READ_SHORT_MS });
  }
  return false;
}

export interface Detection {
  commands: Set<ApcCmd>;
}

export class Detector {
  readonly commands = new Set<ApcCmd>();

  constructor(
    private readonly link: SmartLink,
    private readonly vars: ApcVariables,
    private readonly device: DeviceWriter,
    private readonly log: Logger,
  ) {}

  async run(): Promise<Detection> {
    const compat = await this.firmwareTable();
    if (compat === 'matched') return { commands: this.commands };
    const cmdset = await this.link.ask('a', { mode: 'cmdset', timeoutMs: READ_LONG_MS });
    if (cmdset === undefined || cmdset === 'NA' || !CMDSET_FORMAT.test(cmdset)) {
      this.log.info('very old or unknown APC model, support will be limited');
      await this.oldSetup();
      return { commands: this.commands };
    }
    const chars = cmdset.split('.')[2] ?? '';
    for (const ch of chars) await this.verifyChar(ch);
    await this.settleShared();
    if (chars.includes('\x1a')) await this.capabilities(compat === 'quirky');
    return { commands: this.commands };
  }

  /** `V` (or `b` when `V` says nothing) looked up in NUT's table of models without `a`. */
  private async firmwareTable(): Promise<'matched' | 'quirky' | 'none'> {
    let fw = await this.link.ask('V', { mode: 'plain' });
    if (fw === undefined || fw === 'NA') fw = await this.link.ask('b', { mode: 'plain' });
    if (fw === undefined) return 'none';
    if (fw === '451.2.I') return 'quirky'; // its capability string overflows; NUT tolerates it
    const key = /^[a-fA-F0-9]{2}$/.test(fw) ? 'set\x01' : fw;
    const chars = COMPAT_FIRMWARE.get(key);
    if (chars === undefined) return 'none';
    this.device.setInfo('ups.model', /^[05]/.test(key) ? 'Matrix-UPS' : 'Smart-UPS');
    for (const ch of chars) await this.verifyChar(ch);
    await this.settleShared();
    return 'matched';
  }

  /** One character of the command set: the variables it gives, else the commands it is. */
  private async verifyChar(ch: string): Promise<void> {
    if (UNEXPOSED_CHARS.includes(ch)) return;
    const rows = this.vars.rows.filter((r) => r.def.cmd === ch);
    if (rows.length > 0) {
      for (const r of rows) await this.verifyVar(r);
      return;
    }
    const cmds = APC_CMDS.filter((c) => c.cmd === ch);
    if (cmds.length === 0) {
      this.log.debug(`[${charName(ch)}] unrecognized`);
      return;
    }
    for (const c of cmds) {
      this.commands.add(c);
      this.device.addCmd(c.name);
    }
  }

  private async verifyVar(row: VarRow): Promise<void> {
    if (row.def.multi) {
      row.present = true; // settled by settleShared once every character is known
      return;
    }
    const raw = await this.preread(row);
    if (raw === undefined || (row.def.regex && !row.def.regex.test(raw))) {
      this.log.debug(`${row.def.name} [${charName(row.def.cmd)}] - variable invalid`);
      return;
    }
    row.present = true;
    this.vars.set(row, raw);
    this.vars.markString(row);
  }

  /** NUT's deprecate_vars: of rows sharing a name or a character, the first that answers in shape wins. */
  private async settleShared(): Promise<void> {
    const rows = this.vars.rows;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!row.def.multi || !row.present) continue;
      const raw = await this.preread(row);
      if (raw === undefined || (row.def.regex && !row.def.regex.test(raw))) {
        row.present = false;
        continue;
      }
      for (const later of rows.slice(i + 1)) {
        if (later.def.name === row.def.name || later.def.cmd === row.def.cmd) later.present = false;
      }
      this.vars.set(row, raw);
      this.vars.markString(row);
    }
  }

  private async preread(row: VarRow): Promise<string | undefined> {
    const raw = await this.link.ask(row.def.cmd, { mode: 'plain' });
    if (raw === undefined || raw === '' || raw === 'NA') {
      this.log.debug(`${row.def.name} [${charName(row.def.cmd)}] timed out or not supported`);
      return undefined;
    }
    return raw;
  }

  /** `^Z`: entries for this UPS's locale (the last character of ups.firmware) or every locale ('4'). */
  private async capabilities(tolerateOverflow: boolean): Promise<void> {
    const fw = this.device.getInfo('ups.firmware') ?? '';
    const locale = fw.charAt(fw.length - 1);
    const reply = await this.link.ask('\x1a', { mode: 'caps', timeoutMs: READ_LONG_MS });
    if (reply === undefined || reply === 'NA') {
      this.log.warn('APC cannot do capabilities but said it could');
      return;
    }
    let caps;
    try {
      caps = parseCapabilities(reply);
    } catch (e) {
      if (tolerateOverflow) return;
      throw new Error(`the UPS sent a capability string upsgate cannot read (${(e as Error).message})`);
    }
    for (const cap of caps) {
      const row = this.vars.byChar(cap.cmd);
      if (!row || row.def.pack || (cap.locale !== locale && cap.locale !== '4')) continue;
      this.vars.markEnumerable(row, cap.values);
    }
  }

  /** Models without a usable `a`: the basic readings, and the model name NUT gives them. */
  private async oldSetup(): Promise<void> {
    const names = ['ups.temperature', 'ups.load', 'input.voltage', 'output.voltage', 'battery.charge', 'battery.voltage',
      'ups.model', 'ups.serial', 'ups.firmware', 'output.current'];
    for (const name of names) for (const row of this.vars.rows.filter((r) => r.def.name === name)) await this.verifyVar(row);
    await this.settleShared();
    if (this.vars.byName('output.current')) this.device.setInfo('ups.model', 'Matrix-UPS');
    else if (!this.vars.byName('ups.model')) this.device.setInfo('ups.model', 'Smart-UPS');
  }
}

