import type { Logger } from '../../core/logger.js';
import { READ_PEEK_MS, READ_SHORT_MS, type SmartLink } from './smart-link.js';
import { STAT_OB, STAT_OL } from './tables.js';

/**
 * The ways an APC Smart UPS is told to cut its load, as NUT 2.8.0 sends them:
 * - S: soft hibernate — off after the grace delay, back when mains returns; on battery only;
 * - @nnn: hard hibernate — the same, also on line, back after nnn × 6 minutes (and mains);
 * - K…K: delayed power-off, stays off; Z…Z: off at once (no reply); both sent twice, 1.3 s apart;
 * - CS: for CS 350 and similar — simulate a power failure (U) when on line, wait, then S.
 * Characters of a long command are paced 50 ms apart, and an answer to the first one (NA) stops
 * the rest, which the UPS would otherwise take as new commands.
 */

export type ShutdownMethod = 'S' | '@' | 'K' | 'Z' | 'CS';
/** Indexes of `sdtype`/`advorder` digits, as NUT's manual numbers them (0 S … 4 CS). */
export const METHODS_BY_DIGIT: readonly ShutdownMethod[] = ['S', '@', 'K', 'Z', 'CS'];

const PACE_MS = 50;
const REPEAT_GAP_MS = 1300;

export interface ShutdownOptions {
  /** `awd`: extra wake-up delay for @, in units of 6 minutes (1 to 3 digits). */
  awd: string | undefined;
  /** `cshdelay`: seconds between U and S in the CS method (default 3.5). */
  csDelayMs: number;
}

export class ShutdownSender {
  constructor(
    private readonly link: SmartLink,
    private readonly log: Logger,
    private readonly opts: ShutdownOptions,
  ) {}

  /** Sends one method; true when the UPS accepted it. */
  async send(method: ShutdownMethod, status: number, awd = this.opts.awd): Promise<boolean> {
    this.log.info(`shutdown: sending ${method === '@' ? `@ (awd ${awd ?? '000'})` : method}`);
    switch (method) {
      case 'S': return this.soft();
      case '@': return this.hard(awd);
      case 'K': return this.repeated('K', false);
      case 'Z': return this.repeated('Z', true);
      case 'CS': return this.csHack(status);
    }
  }

  /** NUT's simple method (`sdtype`, default 0): 0 → @ on line else S; 1 → S when on battery, else or on failure @. */
  async simple(sdtype: number, status: number): Promise<boolean> {
    switch (sdtype) {
      case 5: return this.send('@', status);
      case 4: return this.send('CS', status);
      case 3: return this.send('K', status);
      case 2: return this.send('Z', status);
      case 1:
        if ((status & STAT_OB) !== 0 && (await this.send('S', status))) return true;
        return this.send('@', status);
      default:
        return this.send((status & STAT_OL) !== 0 ? '@' : 'S', status);
    }
  }

  /** NUT's advanced method (`advorder`): each digit's method in turn until one is accepted. */
  async advanced(order: string, status: number): Promise<boolean> {
    for (const d of order) {
      if (await this.send(METHODS_BY_DIGIT[Number(d)]!, status)) return true;
    }
    return false;
  }

  private soft(): Promise<boolean> {
    return this.accepted(false, () => this.link.send('S'));
  }

  private async hard(awd: string | undefined): Promise<boolean> {
    const digits = awd ?? '000';
    const width = digits.length === 2 ? 2 : 3;
    if (await this.long(`@${digits.padStart(width, '0')}`)) return true;
    if (width === 3) return false;
    // Old two-digit models: abort the half-taken command with something harmless.
    this.log.warn('command @ with 2 digits does not work - try 3 digits');
    await this.link.ask('Y', { mode: 'plain', timeoutMs: READ_SHORT_MS });
    return false;
  }

  private async csHack(status: number): Promise<boolean> {
    if ((status & STAT_OL) !== 0) {
      await this.link.ask('U', { mode: 'plain', timeoutMs: READ_SHORT_MS });
      await this.link.wait(this.opts.csDelayMs);
    }
    return this.soft();
  }

  /** First character, a short look for an unexpected answer, then the rest paced; true on `OK`. */
  async long(code: string): Promise<boolean> {
    const peek = await this.link.ask(code.charAt(0), { mode: 'plain', timeoutMs: READ_PEEK_MS });
    if (peek !== undefined) return false;
    return this.accepted(false, () => this.link.sendPaced(code.slice(1), PACE_MS));
  }

  /** The character twice with 1.3 s between, unless the UPS answered the first one; true on `OK`. */
  async repeated(ch: string, silentOk: boolean): Promise<boolean> {
    const peek = await this.link.ask(ch, { mode: 'plain', timeoutMs: READ_PEEK_MS });
    if (peek !== undefined) return false;
    await this.link.wait(REPEAT_GAP_MS);
    return this.accepted(silentOk, () => this.link.send(ch));
  }

  /**
   * Sends the last part and reads the answer: `OK` (or `*` on old models); with `silentOk`, no
   * answer at all also counts (Z never answers). The read is armed first so a quick UPS is heard.
   */
  private async accepted(silentOk: boolean, send: () => Promise<void>): Promise<boolean> {
    const pending = this.link.read({ mode: 'plain', timeoutMs: READ_SHORT_MS, asteriskIsOk: true });
    try {
      await send();
    } catch (e) {
      this.link.abort(e as Error);
      await pending.catch(() => undefined);
      throw e;
    }
    const reply = await pending;
    const ok = (reply === undefined && silentOk) || reply === 'OK';
    if (!ok) this.log.warn(`shutdown command not accepted (reply ${reply === undefined ? 'none' : JSON.stringify(reply)})`);
    return ok;
  }
}
