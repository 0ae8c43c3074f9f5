// An APC Smart-UPS 1500 (firmware 601.3.D) that speaks the Smart protocol, for the apcsmart tests:
// the replies of HARDWARE.md §4.3, the `a` command set and `^Z` capability string NUT reads, the
// EEPROM `-` cycle, and state changes on command (mains lost, low battery, replace battery,
// overload) that also send the unsolicited alert characters a real UPS sends. Everything the
// driver sends is recorded with its time, so the tests can check how shutdown commands went out.
// Transport-free: `receive` takes what the driver wrote, `output` gets what the UPS says.

export type Output = (text: string) => void;

/**
 * Which model: `smart-ups` (answers `a` and `^Z`), `smart-ups` + a Measure-UPS (`measure`:
 * packed humidity, uptime on `T`), an older Smart-UPS 1250 that NUT knows by its firmware `8QD`
 * (`table`: no `a`, no `^Z`), or a very old unit that answers only the basic readings (`old`).
 */
export type SimVariant = 'smart-ups' | 'measure' | 'table' | 'old';

const OLD_CHARS = 'YRQCPLOfB@SKZ';

/** Status byte bits (Q). */
const OL = 0x08, OB = 0x10, OVER = 0x20, LB = 0x40, RB = 0x80, CAL = 0x01;

const CMDSET = `3.!$%+?=#|.\x01\x0e\x1a'+-9<>@ABCDEFGKLMNOPQRSUWXYZabcefgjklmnopqrsuxyz~\x7f`;

/** cmd, locale, values: D = this firmware's locale (its last character), 4 = every locale. */
const CAPS: Array<[string, string, string[]]> = [
  ['u', 'D', ['127', '130', '133', '136']],
  ['l', 'D', ['106', '103', '100', '097']],
  ['e', '4', ['00', '15', '25', '90']],
  ['o', 'D', ['115']],
  ['s', '4', ['H', 'M', 'L', 'A']],
  ['q', '4', ['02', '05', '07', '10']],
  ['p', '4', ['020', '180', '300', '600']],
  ['r', '4', ['000', '060', '180', '300']],
  ['k', '4', ['0', 'T', 'L', 'N']],
  ['E', '4', ['336', '168', 'ON ', 'OFF']],
];

export function capabilityString(): string {
  return '#' + CAPS.map(([cmd, loc, vals]) => `${cmd}${loc}${String.fromCharCode(48 + vals.length)}${String.fromCharCode(48 + vals[0]!.length)}${vals.join('')}`).join('');
}

export interface Received {
  /** What the driver sent (one character, or a character with its argument for @ and -). */
  cmd: string;
  atMs: number;
}

export class SimUps {
  /** Every byte the driver sent, in order, with the sim's time. */
  readonly received: Received[] = [];
  /** Shutdown and power commands the UPS carried out: `S`, `@000`, `K`, `Z`, `^N`. */
  readonly shutdowns: string[] = [];
  /** Stop answering (a wedged UPS or a cut cable); alerts are not sent either. */
  silent = false;
  smart = false;
  values: Record<string, string> = {
    '\x01': 'SMART-UPS 1500', b: '601.3.D', n: 'AS0123456789', m: '01/15/09', x: '01/15/09', c: 'UPS_IDEN',
    B: '27.36', f: '100.0', j: '0127:', L: '118.3', M: '118.8', N: '117.9', O: '118.3', P: '023.5', F: '60.00',
    C: '036.0', G: 'O', X: 'OK', E: '336', g: '024', o: '115', l: '103', u: '132', s: 'H', e: '00', p: '020',
    r: '000', q: '02', k: '0', '9': 'FF', '>': '000', '<': '000', V: 'NA',
  };
  private status = OL;
  private lastQueried: string | undefined;
  private argument: { cmd: string; need: number; text: string } | undefined;
  private lastK = Number.NEGATIVE_INFINITY;
  private lastZ = Number.NEGATIVE_INFINITY;
  private lastOn = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly output: Output,
    private readonly now: () => number = () => performance.now(),
    private readonly variant: SimVariant = 'smart-ups',
  ) {
    if (variant === 'measure') Object.assign(this.values, { T: '123.4', H: '045.0,050.1', t: '024.50' });
    if (variant === 'table') Object.assign(this.values, { V: '8QD', b: 'NA' });
    if (variant === 'old') for (const k of Object.keys(this.values)) if (!OLD_CHARS.includes(k)) delete this.values[k];
  }

  /** The status byte as `Q` reports it. */
  get statusByte(): number {
    return this.status;
  }

  // ---- state changes (each sends the alert a real UPS sends) -------------------------------------

  mainsLost(): void {
    this.status = (this.status & ~OL) | OB;
    Object.assign(this.values, { L: '000.0', M: '000.0', N: '000.0', F: '00.00', G: 'L', f: '087.0', j: '0045:' });
    this.alert('!');
  }

  mainsBack(): void {
    this.status = (this.status & ~(OB | LB)) | OL;
    Object.assign(this.values, { L: '118.3', M: '118.8', N: '117.9', F: '60.00', f: '054.0', j: '0031:' });
    this.alert('$');
  }

  lowBattery(on = true): void {
    this.status = on ? this.status | LB : this.status & ~LB;
    if (on) Object.assign(this.values, { f: '009.0', j: '0002:' });
    this.alert(on ? '%' : '+');
  }

  replaceBattery(): void {
    this.status |= RB;
    this.values.X = 'BT';
    this.alert('#');
  }

  overload(on = true): void {
    this.status = on ? this.status | OVER : this.status & ~OVER;
    this.alert(on ? '?' : '=');
  }

  /** Bytes on the line that are not a reply (noise, a half-reset UPS). */
  noise(text: string): void {
    this.output(text);
  }

  private alert(ch: string): void {
    if (!this.silent) this.output(ch);
  }

  // ---- the protocol ----------------------------------------------------------------------------

  receive(data: Buffer | string): void {
    const text = typeof data === 'string' ? data : data.toString('latin1');
    for (const ch of text) this.char(ch);
  }

  private reply(text: string): void {
    if (!this.silent) this.output(`${text}\r\n`);
  }

  private char(ch: string): void {
    const at = this.now();
    if (this.argument) {
      this.argument.text += ch;
      this.received[this.received.length - 1]!.cmd += ch;
      if (this.argument.text.length === this.argument.need) this.finishArgument();
      return;
    }
    this.received.push({ cmd: ch, atMs: at });
    if (this.silent) return;
    if (this.variant === 'old' && !OLD_CHARS.includes(ch)) return this.reply('NA');
    if (this.variant === 'table' && (ch === 'a' || ch === '\x1a')) return this.reply('NA');
    const known = this.values[ch];
    switch (ch) {
      case 'Y': this.smart = true; return this.reply('SM');
      case 'R': this.smart = false; return this.reply('BYE');
      case '\x1b': return;
      case 'a': return this.reply(this.variant === 'measure' ? CMDSET.replace('~', 'HTt~') : CMDSET);
      case '\x1a': return this.reply(capabilityString());
      case 'Q': return this.reply(this.status.toString(16).toUpperCase().padStart(2, '0'));
      case '@': this.argument = { cmd: '@', need: 3, text: '' }; return;
      case 'S':
        if ((this.status & OB) === 0) return this.reply('NA'); // on line, S is ignored
        this.shutdowns.push('S');
        return this.reply('OK');
      case 'K': return this.twice('K', at, () => this.reply('OK'));
      case 'Z': return this.twice('Z', at, () => undefined);
      case '\x0e': return this.twice('^N', at, () => undefined);
      case '-': return this.next();
      case 'W': case 'A': case '\x7f': return this.reply('OK');
      case 'U':
        this.reply('OK');
        this.alert('!');
        return;
      case 'D':
        this.status ^= CAL;
        return this.reply('OK');
    }
    if (known !== undefined) {
      this.lastQueried = ch;
      return this.reply(known);
    }
    this.reply('NA');
  }

  /** Destructive commands take effect only on the second of two, at least 1.2 s apart. */
  private twice(name: 'K' | 'Z' | '^N', at: number, done: () => void): void {
    const last = name === 'K' ? this.lastK : name === 'Z' ? this.lastZ : this.lastOn;
    const gap = at - last;
    if (gap >= 1200 && gap <= 5000) {
      this.shutdowns.push(name);
      done();
      at = Number.NEGATIVE_INFINITY;
    }
    if (name === 'K') this.lastK = at;
    else if (name === 'Z') this.lastZ = at;
    else this.lastOn = at;
  }

  /** `-`: the last variable read moves to its next EEPROM value; strings take 8 characters first. */
  private next(): void {
    const v = this.lastQueried;
    if (v === 'c' || v === 'x') {
      this.argument = { cmd: v, need: 8, text: '' };
      return;
    }
    const cap = CAPS.find(([cmd]) => cmd === v);
    if (!cap || v === undefined) return this.reply('NO');
    const vals = cap[2];
    const i = vals.indexOf(this.values[v]!);
    this.values[v] = vals[(i + 1) % vals.length]!;
    this.reply('OK');
    this.alert('|');
  }

  private finishArgument(): void {
    const a = this.argument!;
    this.argument = undefined;
    if (a.cmd === '@') {
      if (!/^[0-9]{3}$/.test(a.text)) return this.reply('NA');
      this.shutdowns.push(`@${a.text}`);
      return this.reply('OK');
    }
    this.values[a.cmd] = a.text.replace(/\r+$/, '');
    this.reply('OK');
    this.alert('|');
  }
}
