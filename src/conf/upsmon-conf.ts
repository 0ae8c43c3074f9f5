/**
 * upsmon.conf: one directive per line, keyword first, no "=". Keywords are case-sensitive (only
 * DEBUG_MIN is read in any case, as NUT does). NUT 2.8.0's directives plus those of 2.8.1–2.8.5.
 * Where upsmon would ignore a line, cut it short or take a value other than the one written, the
 * reader refuses it and says how to write it.
 */
import { errorAt, joinAsWritten, parseInteger, quoted, readConfLines, show, showLine, type IntegerRule } from './conf-lines.js';
import { ConfError, type ConfWarning } from './errors.js';
import type { SourcePos } from './model.js';
import { NOTIFY_MESSAGES, NOTIFY_TYPES, type NotifyFlags, type NotifyType } from './notify-types.js';
import { defaultUpsmonConf, type UpsmonConf } from './upsmon-model.js';
import { whyUnreadable, worldReadableWarning } from './nut-folder.js';
import type { Word } from './parseconf.js';
import { readSmallFile } from './small-file.js';
import { splitSystem } from './ups-system.js';

const TIMER_SECONDS = 2147483;
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

const RULES = {
  MINSUPPLIES: { label: 'MINSUPPLIES', min: 0, max: INT_MAX, unit: 'power supplies' },
  POLLFREQ: { label: 'POLLFREQ', min: 1, max: 86400, unit: 'seconds' },
  POLLFREQALERT: { label: 'POLLFREQALERT', min: 1, max: 86400, unit: 'seconds' },
  DEADTIME: { label: 'DEADTIME', min: 1, max: TIMER_SECONDS, unit: 'seconds' },
  HOSTSYNC: { label: 'HOSTSYNC', min: 0, max: TIMER_SECONDS, unit: 'seconds' },
  FINALDELAY: { label: 'FINALDELAY', min: 0, max: TIMER_SECONDS, unit: 'seconds' },
  NOCOMMWARNTIME: { label: 'NOCOMMWARNTIME', min: 0, max: INT_MAX, unit: 'seconds' },
  RBWARNTIME: { label: 'RBWARNTIME', min: 0, max: INT_MAX, unit: 'seconds' },
  OFFDURATION: { label: 'OFFDURATION', min: INT_MIN, max: TIMER_SECONDS, unit: 'seconds (negative = never)' },
  OBLBDURATION: { label: 'OBLBDURATION', min: INT_MIN, max: TIMER_SECONDS, unit: 'seconds (0 or less = at once)' },
  OVERDURATION: { label: 'OVERDURATION', min: INT_MIN, max: TIMER_SECONDS, unit: 'seconds (negative = never)' },
  POLLFAIL_LOG_THROTTLE_MAX: { label: 'POLLFAIL_LOG_THROTTLE_MAX', min: INT_MIN, max: INT_MAX - 1, unit: 'polls (negative = every one)' },
  SHUTDOWNEXIT: { label: 'SHUTDOWNEXIT', min: INT_MIN, max: TIMER_SECONDS, unit: 'seconds' },
  DEBUG_MIN: { label: 'DEBUG_MIN', min: 0, max: 99 },
  powervalue: { label: 'MONITOR power value', min: 0, max: INT_MAX },
  port: { label: 'port', min: 1, max: 65535 },
} satisfies Record<string, IntegerRule>;

/** Directive → usage; the number of words on the line is fixed by it (keyword included). */
const USAGE: Record<string, string> = {
  MONITOR: 'MONITOR <system> <powervalue> <username> <password> primary|secondary',
  MINSUPPLIES: 'MINSUPPLIES <count>', POLLFREQ: 'POLLFREQ <seconds>', POLLFREQALERT: 'POLLFREQALERT <seconds>',
  DEADTIME: 'DEADTIME <seconds>', HOSTSYNC: 'HOSTSYNC <seconds>', FINALDELAY: 'FINALDELAY <seconds>',
  NOCOMMWARNTIME: 'NOCOMMWARNTIME <seconds>', RBWARNTIME: 'RBWARNTIME <seconds>', OFFDURATION: 'OFFDURATION <seconds>',
  OBLBDURATION: 'OBLBDURATION <seconds>', OVERDURATION: 'OVERDURATION <seconds>', ALARMCRITICAL: 'ALARMCRITICAL 0|1',
  POLLFAIL_LOG_THROTTLE_MAX: 'POLLFAIL_LOG_THROTTLE_MAX <polls>', SHUTDOWNCMD: 'SHUTDOWNCMD "<command>"',
  SHUTDOWNEXIT: 'SHUTDOWNEXIT yes|no|<seconds>', POWERDOWNFLAG: 'POWERDOWNFLAG <file>', NOTIFYCMD: 'NOTIFYCMD "<command>"',
  NOTIFYMSG: 'NOTIFYMSG <type> "<message>"', NOTIFYFLAG: 'NOTIFYFLAG <type> SYSLOG|WALL|EXEC|IGNORE[+...]',
  RUN_AS_USER: 'RUN_AS_USER <user>', CERTPATH: 'CERTPATH <directory>',
  CERTIDENT: 'CERTIDENT <certificate name> <database password>',
  CERTHOST: 'CERTHOST <host> <certificate name> <certverify 0|1> <forcessl 0|1>', CERTVERIFY: 'CERTVERIFY 0|1',
  FORCESSL: 'FORCESSL 0|1', DEBUG_MIN: 'DEBUG_MIN <level>',
};
const DIRECTIVES = Object.keys(USAGE);
/** Words on the line, keyword included; every directive takes a fixed number. */
const ARITY: Record<string, number> = { MONITOR: 6, NOTIFYMSG: 3, NOTIFYFLAG: 3, CERTIDENT: 3, CERTHOST: 5 };
/** Directives whose single value is often a command or text with spaces: extra words mean missing quotes. */
const ONE_WORD_VALUE = new Set(['SHUTDOWNCMD', 'NOTIFYCMD', 'POWERDOWNFLAG', 'NOTIFYMSG', 'RUN_AS_USER', 'CERTPATH']);
export const FLAG_NAMES = { SYSLOG: 'syslog', WALL: 'wall', EXEC: 'exec', IGNORE: 'ignore' } as const;
const ROLES: Record<string, 'primary' | 'secondary'> = {
  primary: 'primary', master: 'primary', secondary: 'secondary', slave: 'secondary',
};
/** upsmon ignores these four when negative and keeps its default (shown in the message). */
const NEGATIVE_IGNORED: Partial<Record<string, number>> = { POLLFREQ: 5, POLLFREQALERT: 5, MINSUPPLIES: 1, FINALDELAY: 5 };

function roleOf(text: string): 'primary' | 'secondary' | undefined {
  const lower = text.toLowerCase();
  return Object.hasOwn(ROLES, lower) ? ROLES[lower] : undefined;
}


/** Where `=` sits glued to its neighbours (`pass=word`), the words that belong together. */
function gluedRun(words: readonly Word[], index: number): Word[] {
  const adjacent = (a: Word, b: Word) => a.line === b.line && a.column + a.text.length === b.column;
  let start = index;
  let end = index;
  while (start > 1 && adjacent(words[start - 1] as Word, words[start] as Word)) start--;
  while (end + 1 < words.length && adjacent(words[end] as Word, words[end + 1] as Word)) end++;
  return words.slice(start, end + 1);
}

class UpsmonConfReader {
  readonly conf: UpsmonConf;
  readonly warnings: ConfWarning[] = [];
  private readonly flagLines = new Map<NotifyType, Word>();
  private readonly messageLines = new Map<NotifyType, Word>();

  constructor(private readonly file: string) {
    this.conf = defaultUpsmonConf(file);
  }

  line(words: Word[]): void {
    const first = words[0] as Word;
    const keyword = first.text.toUpperCase() === 'DEBUG_MIN' ? 'DEBUG_MIN' : first.text;
    const usage = Object.hasOwn(USAGE, keyword) ? USAGE[keyword] : undefined;
    if (usage === undefined) return this.unknown(words);
    const arity = ARITY[keyword] ?? 2;
    if (words[1]?.text === '=') return this.equalsSign(keyword, words, 1);
    if (ONE_WORD_VALUE.has(keyword) && words.length > arity) {
      // A command or message with spaces and no quotes: upsmon keeps only its first word.
      const valueWords = words.slice(arity - 1);
      const written = [...words.slice(0, arity - 1).map((w) => quoted(w.text)), quoted(joinAsWritten(valueWords))].join(' ');
      throw errorAt(this.file, words[arity] as Word, `${showLine(words)}: ${keyword} takes its value as one word and ` +
        `upsmon would keep only ${show((valueWords[0] as Word).text)}; put it in quotes: ${written}`);
    }
    const equals = words.findIndex((w) => w.text === '=');
    if (equals > 0) return this.equalsSign(keyword, words, equals);
    if (keyword === 'MONITOR' && words.length === 5) return this.oldMonitor(words);
    if (words.length < arity) {
      throw errorAt(this.file, first, `${showLine(words)} is incomplete (upsmon ignores it as an invalid directive); write "${usage}"`);
    }
    const extra = words[arity];
    if (extra) {
      throw errorAt(this.file, extra, `${showLine(words)}: ${keyword} takes ${arity - 1} value(s) and upsmon ignores ` +
        `the rest; write "${usage}" (quote a value that has spaces)`);
    }
    const value = words[1] as Word;
    this.conf.positions[keyword] = this.pos(value);
    this.directive(keyword, words, value);
  }

  private directive(keyword: string, words: Word[], value: Word): void {
    const c = this.conf;
    switch (keyword) {
      case 'MONITOR': return this.monitor(words);
      case 'MINSUPPLIES': c.minSupplies = this.integer('MINSUPPLIES', value); return;
      case 'POLLFREQ': c.pollFreq = this.integer('POLLFREQ', value); return;
      case 'POLLFREQALERT': c.pollFreqAlert = this.integer('POLLFREQALERT', value); return;
      case 'DEADTIME': c.deadTime = this.integer('DEADTIME', value); return;
      case 'HOSTSYNC': c.hostSync = this.integer('HOSTSYNC', value); return;
      case 'FINALDELAY': c.finalDelay = this.integer('FINALDELAY', value); return;
      case 'NOCOMMWARNTIME': c.noCommWarnTime = this.integer('NOCOMMWARNTIME', value); return;
      case 'RBWARNTIME': c.rbWarnTime = this.integer('RBWARNTIME', value); return;
      case 'OFFDURATION': c.offDuration = this.integer('OFFDURATION', value); return;
      case 'OBLBDURATION': c.oblbDuration = Math.max(0, this.integer('OBLBDURATION', value)); return;
      case 'OVERDURATION': c.overDuration = this.integer('OVERDURATION', value); return;
      case 'POLLFAIL_LOG_THROTTLE_MAX': c.pollFailLogThrottleMax = Math.max(-1, this.integer('POLLFAIL_LOG_THROTTLE_MAX', value)); return;
      case 'DEBUG_MIN': c.debugMin = this.integer('DEBUG_MIN', value); return;
      case 'ALARMCRITICAL': c.alarmCritical = this.zeroOne(keyword, value); return;
      case 'CERTVERIFY': c.certVerify = this.zeroOne(keyword, value); return;
      case 'FORCESSL': c.forceSsl = this.zeroOne(keyword, value); return;
      case 'SHUTDOWNEXIT': c.shutdownExitSeconds = this.shutdownExit(value); return;
      case 'SHUTDOWNCMD':
        c.shutdownCmd = value.text;
        if (value.text === '') this.warn(value, 'SHUTDOWNCMD is empty: when the power runs out, this system will not be shut down');
        return;
      case 'POWERDOWNFLAG': c.powerDownFlag = this.nonEmpty(keyword, value); return;
      case 'NOTIFYCMD': c.notifyCmd = this.nonEmpty(keyword, value); return;
      case 'CERTPATH': c.certPath = this.nonEmpty(keyword, value); return;
      case 'RUN_AS_USER':
        c.runAsUser = this.nonEmpty(keyword, value);
        this.warn(words[0] as Word, `RUN_AS_USER ${value.text}: upsgate does not drop to another user for upsmon ` +
          '(the whole gateway runs as one user); the line is accepted and has no effect');
        return;
      case 'CERTIDENT':
        c.certIdent = { name: value.text, password: (words[2] as Word).text, pos: this.pos(value) };
        return;
      case 'CERTHOST':
        c.certHosts.push({
          host: this.nonEmpty(keyword, value), certName: (words[2] as Word).text,
          certVerify: this.zeroOne('CERTHOST certverify', words[3] as Word),
          forceSsl: this.zeroOne('CERTHOST forcessl', words[4] as Word), pos: this.pos(value),
        });
        return;
      case 'NOTIFYMSG': return this.notifyMsg(value, words[2] as Word);
      default: return this.notifyFlag(value, words[2] as Word);
    }
  }

  private monitor(words: Word[]): void {
    const [, systemWord, pvWord, userWord, passWord, roleWord] = words as [Word, Word, Word, Word, Word, Word];
    const { upsName, host, port } = splitSystem(this.file, systemWord);
    const twin = this.conf.monitors.find((m) => m.system === systemWord.text);
    if (twin) {
      throw errorAt(this.file, systemWord, `MONITOR ${systemWord.text} repeats line ${twin.pos.line} (upsmon ignores ` +
        'the second one: "ignoring duplicate UPS"); keep one MONITOR line per UPS');
    }
    const powerValue = parseInteger(this.file, pvWord, RULES.powervalue);
    if (userWord.text === '') throw errorAt(this.file, userWord, 'the MONITOR username is empty; write the name of a user in upsd.users');
    if (passWord.text === '') throw errorAt(this.file, passWord, 'the MONITOR password is empty; write that user\'s password from upsd.users');
    const role = roleOf(roleWord.text);
    if (!role) {
      throw errorAt(this.file, roleWord, `MONITOR type ${show(roleWord.text)} is not a type (upsmon would silently ` +
        'monitor as a secondary); accepted: primary, secondary (or the old names master, slave)');
    }
    this.conf.monitors.push({
      system: systemWord.text, upsName, host, port, powerValue, username: userWord.text, password: passWord.text, role,
      pos: this.pos(systemWord),
    });
  }

  private oldMonitor(words: Word[]): never {
    const last = words[4] as Word;
    const why = roleOf(last.text)
      ? 'this is the old form without a username, which upsmon 2.8 refuses to start with ("Unable to use ' +
        'old-style MONITOR line without a username"); add the username of a user in upsd.users before the password'
      : 'the type is missing (upsmon refuses a MONITOR line with four values)';
    throw errorAt(this.file, words[0] as Word, `${showLine(words)} has four values: ${why}; write ` +
      `"${USAGE.MONITOR}", e.g. "MONITOR ups@localhost 1 upsmon secret primary"`);
  }

  private notifyType(word: Word, keyword: string): NotifyType {
    const type = word.text.toUpperCase();
    if (!(NOTIFY_TYPES as string[]).includes(type)) {
      throw errorAt(this.file, word, `${keyword}: unknown notify type ${show(word.text)} (upsmon ignores the line); ` +
        `accepted: ${NOTIFY_TYPES.join(', ')}`);
    }
    return type as NotifyType;
  }

  private notifyMsg(typeWord: Word, message: Word): void {
    const type = this.notifyType(typeWord, 'NOTIFYMSG');
    this.once(this.messageLines, type, typeWord, 'NOTIFYMSG', 'keep one message per type');
    const takes = (NOTIFY_MESSAGES[type].match(/%s/g) ?? []).length;
    let count = 0;
    for (let i = 0; i < message.text.length; i++) {
      if (message.text[i] !== '%') continue;
      const next = message.text[i + 1];
      i++;
      if (next === 's') count++;
      else if (next !== '%') {
        throw errorAt(this.file, message, `NOTIFYMSG ${type}: ${show(`%${next ?? ''}`)} in the message: upsmon hands ` +
          'the message to printf, which would read a value that is not there (garbage or a crash); accepted: %s for ' +
          'the UPS, %% for a literal %');
      }
    }
    if (count > Math.max(takes, 1)) {
      throw errorAt(this.file, message, `NOTIFYMSG ${type}: the message has ${count} %s, but ${type} fills ` +
        `${Math.max(takes, 1) === 1 ? 'only one (the UPS)' : 'two (the UPS, then the details)'}: printf would read ` +
        'a value that is not there (garbage or a crash); remove the extra %s');
    }
    if (count > 0 && takes === 0) {
      this.warn(message, `NOTIFYMSG ${type}: this event concerns the whole system, not one UPS: upsmon replaces %s ` +
        'with an empty text');
    }
    this.conf.notifyMessages[type] = message.text;
    this.conf.positions[`NOTIFYMSG ${type}`] = this.pos(message);
  }

  private notifyFlag(typeWord: Word, flagsWord: Word): void {
    const type = this.notifyType(typeWord, 'NOTIFYFLAG');
    this.once(this.flagLines, type, typeWord, 'NOTIFYFLAG', 'write all its flags on one line, joined by +, e.g. ' +
      `NOTIFYFLAG ${type} SYSLOG+WALL+EXEC`);
    const flags: NotifyFlags = { syslog: false, wall: false, exec: false, ignore: false };
    const accepted = 'accepted: SYSLOG, WALL, EXEC joined by + (e.g. SYSLOG+EXEC), or IGNORE alone';
    for (const piece of flagsWord.text.split('+')) {
      const name = Object.hasOwn(FLAG_NAMES, piece) ? FLAG_NAMES[piece as keyof typeof FLAG_NAMES] : undefined;
      if (name) {
        flags[name] = true;
        continue;
      }
      let hint = '';
      if (piece === '') hint = ' (an empty flag: a stray "+")';
      else if (Object.hasOwn(FLAG_NAMES, piece.toUpperCase())) hint = ` (flag names are case-sensitive: write ${piece.toUpperCase()})`;
      else if (/[,|\s]/.test(piece)) hint = ' (join flags with +)';
      throw errorAt(this.file, flagsWord, `NOTIFYFLAG ${type}: unknown flag ${show(piece)}${hint} (upsmon drops it: ` +
        `"Invalid notify flag"); ${accepted}`);
    }
    if (flags.ignore && (flags.syslog || flags.wall || flags.exec)) {
      throw errorAt(this.file, flagsWord, `NOTIFYFLAG ${type} ${flagsWord.text}: IGNORE means do nothing and cannot ` +
        `be combined with other flags (upsmon would silently do nothing); ${accepted}`);
    }
    this.conf.notifyFlags[type] = flags;
    this.conf.positions[`NOTIFYFLAG ${type}`] = this.pos(flagsWord);
  }

  /** upsmon keeps only the last NOTIFYFLAG/NOTIFYMSG of a type, silently; a second one is a mistake. */
  private once(seen: Map<NotifyType, Word>, type: NotifyType, at: Word, keyword: string, fix: string): void {
    const earlier = seen.get(type);
    if (earlier) {
      throw errorAt(this.file, at, `${keyword} ${type} is already set at line ${earlier.line} (upsmon would keep only ` +
        `this line and forget that one); ${fix}`);
    }
    seen.set(type, at);
  }

  private integer(keyword: keyof typeof RULES, value: Word): number {
    const fallback = NEGATIVE_IGNORED[keyword];
    if (fallback !== undefined && /^-[0-9]+$/.test(value.text)) {
      throw errorAt(this.file, value, `${keyword} ${value.text} is negative: upsmon ignores it and keeps ${fallback}; ` +
        `accepted: a whole number from ${RULES[keyword].min} to ${RULES[keyword].max}`);
    }
    return parseInteger(this.file, value, RULES[keyword]);
  }

  /** NUT reads these with atoi: "yes" would be 0. */
  private zeroOne(label: string, value: Word): boolean {
    if (value.text === '0' || value.text === '1') return value.text === '1';
    const hint = /^(yes|on|true)$/i.test(value.text) ? ' (upsmon would read it as 0: write 1)' : '';
    throw errorAt(this.file, value, `${label} ${show(value.text)} is not 0 or 1${hint}; accepted: 0 (off) or 1 (on)`);
  }

  private shutdownExit(value: Word): number | undefined {
    if (/^(yes|on|true)$/i.test(value.text)) return 0;
    if (/^(no|off|false)$/i.test(value.text)) return undefined;
    if (!/^-?[0-9]+$/.test(value.text)) {
      throw errorAt(this.file, value, `SHUTDOWNEXIT ${show(value.text)} is neither yes/no nor a number (upsmon would ` +
        'take it as yes); accepted: yes, on, true (exit at once), no, off, false (never exit), or seconds to wait ' +
        `from 0 to ${TIMER_SECONDS} (negative = never)`);
    }
    const seconds = parseInteger(this.file, value, RULES.SHUTDOWNEXIT);
    return seconds < 0 ? undefined : seconds;
  }

  private nonEmpty(keyword: string, value: Word): string {
    if (value.text === '') throw errorAt(this.file, value, `${keyword} is empty; write "${USAGE[keyword]}"`);
    return value.text;
  }

  private equalsSign(keyword: string, words: Word[], index: number): never {
    const run = gluedRun(words, index);
    const fix = run.length > 1
      ? `a value holding "=" must be quoted: write ${quoted(joinAsWritten(run))}`
      : `upsmon.conf takes no "=": write "${words.filter((_, i) => i !== index).map((w) => quoted(w.text)).join(' ')}"`;
    throw errorAt(this.file, words[index] as Word, `${showLine(words)}: NUT reads "=" as a word of its own, so ` +
      `${keyword} would get the wrong values; ${fix} (the form is "${USAGE[keyword]}")`);
  }

  private unknown(words: Word[]): never {
    const first = words[0] as Word;
    const upper = first.text.toUpperCase();
    let hint = '';
    if (DIRECTIVES.includes(upper)) hint = ` (keywords are case-sensitive: write ${upper})`;
    else if (words.some((w) => w.text === '=')) hint = ' (upsmon.conf has no "=": write "KEYWORD value")';
    throw errorAt(this.file, first, `unknown directive ${show(first.text)}${hint}; upsmon ignores it ("invalid ` +
      `directive"); accepted: ${DIRECTIVES.join(', ')}`);
  }

  warn(at: { line: number; column: number }, message: string): void {
    this.warnings.push({ file: this.file, line: at.line, column: at.column, message });
  }

  private pos(w: Word): SourcePos {
    return { file: this.file, line: w.line, column: w.column };
  }
}

/** What upsmon checks once the whole file is read, and what deserves a look. */
function checkWhole(reader: UpsmonConfReader, file: string): void {
  const c = reader.conf;
  const first = c.monitors[0];
  if (!first) {
    throw new ConfError(file, 1, 1, 'no MONITOR line: upsmon needs at least one UPS to watch; add ' +
      `"${USAGE.MONITOR}", e.g. "MONITOR ups@localhost 1 upsmon secret primary"`);
  }
  const total = c.monitors.reduce((sum, m) => sum + m.powerValue, 0);
  if (total < c.minSupplies) {
    const at = c.positions.MINSUPPLIES ?? first.pos;
    throw new ConfError(at.file, at.line, at.column, `the power values of the MONITOR lines add up to ${total}, less ` +
      `than MINSUPPLIES ${c.minSupplies}: this system would shut down at once, so upsmon refuses to start ("Impossible ` +
      'power configuration"); give the UPSes that feed this system a power value of 1 or more, or lower MINSUPPLIES ' +
      '(0 for a system that only watches)');
  }
  const poll = Math.max(c.pollFreq, c.pollFreqAlert);
  if (c.deadTime < poll) {
    const at = c.positions.DEADTIME ?? c.positions.POLLFREQ ?? c.positions.POLLFREQALERT ?? first.pos;
    reader.warn(at, `DEADTIME ${c.deadTime} is shorter than the poll interval ${poll}: a UPS would be declared dead ` +
      `between two polls; the rule of thumb is three times the larger of POLLFREQ and POLLFREQALERT (DEADTIME ${poll * 3})`);
  }
  if (c.pollFreqAlert > c.pollFreq) {
    const at = (c.positions.POLLFREQALERT ?? c.positions.POLLFREQ) as SourcePos;
    reader.warn(at, `POLLFREQALERT ${c.pollFreqAlert} is longer than POLLFREQ ${c.pollFreq}: on battery upsmon would ` +
      'poll less often than on mains; it should be equal or lower');
  }
  if (c.shutdownCmd === undefined) {
    reader.warn({ line: 1, column: 1 }, 'no SHUTDOWNCMD (upsmon warns too: "no shutdown command defined"): when the ' +
      'power runs out, this system will not be shut down; add e.g. SHUTDOWNCMD "/sbin/shutdown -h +0"');
  }
  if (c.notifyCmd === undefined) {
    const exec = (Object.keys(c.notifyFlags) as NotifyType[]).find((t) => c.notifyFlags[t]?.exec);
    if (exec) {
      reader.warn(c.positions[`NOTIFYFLAG ${exec}`] as SourcePos, `NOTIFYFLAG ${exec} asks for EXEC but there is no ` +
        'NOTIFYCMD: nothing will be run; add NOTIFYCMD "<command>"');
    }
  }
}

export function parseUpsmonConf(text: string | Uint8Array, file: string): { conf: UpsmonConf; warnings: ConfWarning[] } {
  const reader = new UpsmonConfReader(file);
  for (const words of readConfLines(text, file)) reader.line(words);
  checkWhole(reader, file);
  return { conf: reader.conf, warnings: reader.warnings };
}

/** Reads and checks the file; a file others can read is a warning (it holds the MONITOR passwords). */
export async function loadUpsmonConf(file: string): Promise<{ conf: UpsmonConf; warnings: ConfWarning[] }> {
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(file);
  } catch (e) {
    throw new ConfError(file, 1, 1, `${whyUnreadable(e)}: the monitor reads upsmon.conf to know which UPS to watch`);
  }
  const parsed = parseUpsmonConf(bytes, file);
  const loose = await worldReadableWarning(file, 'the MONITOR passwords', false);
  if (loose) parsed.warnings.push(loose);
  return parsed;
}
