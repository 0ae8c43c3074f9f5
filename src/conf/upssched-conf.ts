/**
 * upssched.conf: CMDSCRIPT (the script every action runs), PIPEFN and LOCKFN (the timer daemon's
 * socket and lock, which the built-in upssched does not need but accepts), and AT rules, one per
 * line: `AT <notifytype> <ups|*> START-TIMER <name> <seconds> | CANCEL-TIMER <name> [<cmd>] | EXECUTE <cmd>`.
 * Keywords and actions are case-sensitive, as in upssched 2.8.0; the notify type is not.
 */
import { errorAt, joinAsWritten, parseInteger, quoted, readConfLines, show, showLine } from './conf-lines.js';
import type { ConfWarning } from './errors.js';
import type { SourcePos } from './model.js';
import { NOTIFY_TYPES, defaultNotifyFlags, type NotifyType } from './notify-types.js';
import { encodeWord, type Word } from './parseconf.js';
import type { UpsmonConf } from './upsmon-model.js';

export type UpsschedAction = 'START-TIMER' | 'CANCEL-TIMER' | 'EXECUTE';

export interface UpsschedRule {
  /** Matched case-insensitively by upssched; stored upper-case. */
  notifyType: NotifyType;
  /** '*' or the exact MONITOR system string (case-sensitive). */
  ups: string;
  action: UpsschedAction;
  /** START-TIMER / CANCEL-TIMER. */
  timer?: string;
  /** START-TIMER. */
  seconds?: number;
  /** EXECUTE <cmd>, CANCEL-TIMER <name> <cmd>. */
  command?: string;
  pos: SourcePos;
}

export interface UpsschedConf {
  file: string;
  cmdScript: string | undefined;
  pipeFn: string | undefined;
  lockFn: string | undefined;
  rules: UpsschedRule[];
  /** DEBUG_MIN (2.8.5). */
  debugMin?: number;
}

/** Node's timers wait at most 2^31-1 ms. */
export const MAX_TIMER_SECONDS = 2147483;

const USAGE: Record<string, string> = {
  CMDSCRIPT: 'CMDSCRIPT <script>', PIPEFN: 'PIPEFN <socket file>', LOCKFN: 'LOCKFN <lock file>',
  AT: 'AT <notifytype> <ups|*> START-TIMER <name> <seconds> | CANCEL-TIMER <name> [<command>] | EXECUTE <command>',
  DEBUG_MIN: 'DEBUG_MIN <level>',
};
const DIRECTIVES = Object.keys(USAGE);
const ACTIONS: readonly UpsschedAction[] = ['START-TIMER', 'CANCEL-TIMER', 'EXECUTE'];
/** Words on an AT line per action, keyword included: [fewest, most]. */
const AT_WORDS: Record<UpsschedAction, [number, number]> = { 'START-TIMER': [6, 6], 'CANCEL-TIMER': [5, 6], EXECUTE: [5, 5] };
const AT_FORMS: Record<UpsschedAction, string> = {
  'START-TIMER': 'AT <notifytype> <ups|*> START-TIMER <name> <seconds>',
  'CANCEL-TIMER': 'AT <notifytype> <ups|*> CANCEL-TIMER <name> [<command>]',
  EXECUTE: 'AT <notifytype> <ups|*> EXECUTE <command>',
};
/** Later NUT versions' actions: refused, because their semantics are not 2.8.0's (see the message). */
const LATER_ACTIONS: Record<string, string> = {
  'START-TIMER-SHARED': 'START-TIMER',
  'CANCEL-TIMER-MATCHED': 'CANCEL-TIMER',
};

class UpsschedConfReader {
  readonly conf: UpsschedConf;
  readonly warnings: ConfWarning[] = [];
  private firstAt: Word | undefined;
  private cmdScriptWord: Word | undefined;

  constructor(private readonly file: string) {
    this.conf = { file, cmdScript: undefined, pipeFn: undefined, lockFn: undefined, rules: [] };
  }

  line(words: Word[]): void {
    const first = words[0] as Word;
    const keyword = first.text.toUpperCase() === 'DEBUG_MIN' ? 'DEBUG_MIN' : first.text;
    if (!Object.hasOwn(USAGE, keyword)) return this.unknown(words);
    if (keyword !== 'AT' && words[1]?.text === '=' && words.length > 2) {
      throw errorAt(this.file, words[1], `${showLine(words)}: upssched.conf takes no "=" (NUT reads it as a word of ` +
        `its own); write ${keyword} ${quoted(joinAsWritten(words.slice(2)))}`);
    }
    if (keyword === 'AT') return this.at(words);
    const value = words[1];
    if (!value) throw errorAt(this.file, first, `${showLine(words)} is incomplete (upssched ignores it); write "${USAGE[keyword]}"`);
    const extra = words[2];
    if (extra) {
      throw errorAt(this.file, extra, `${showLine(words)}: ${keyword} takes one value and upssched would keep only ` +
        `${show(value.text)}; put it in quotes: ${keyword} ${quoted(joinAsWritten(words.slice(1)))}`);
    }
    if (keyword === 'DEBUG_MIN') {
      this.conf.debugMin = parseInteger(this.file, value, { label: 'DEBUG_MIN', min: 0, max: 99 });
      return;
    }
    if (value.text === '') throw errorAt(this.file, value, `${keyword} is empty; write "${USAGE[keyword]}"`);
    if (keyword === 'CMDSCRIPT') return this.cmdScript(value);
    // PIPEFN and LOCKFN name the files of NUT's timer daemon; the built-in upssched needs neither.
    if (keyword === 'PIPEFN') this.conf.pipeFn = value.text;
    else this.conf.lockFn = value.text;
  }

  private cmdScript(value: Word): void {
    if (this.cmdScriptWord) {
      throw errorAt(this.file, value, `CMDSCRIPT is already set at line ${this.cmdScriptWord.line} (upssched would run ` +
        'one script for the AT lines above this one and the other below); keep one CMDSCRIPT');
    }
    if (this.firstAt) {
      throw errorAt(this.file, value, `CMDSCRIPT comes after the AT line at line ${this.firstAt.line}: upssched 2.8.0 ` +
        'stops there ("CMDSCRIPT must be set before any ATs in the config file!"); move CMDSCRIPT above the first AT line');
    }
    this.cmdScriptWord = value;
    this.conf.cmdScript = value.text;
  }

  private at(words: Word[]): void {
    const first = words[0] as Word;
    this.firstAt ??= first;
    if (words.length < 5) {
      throw errorAt(this.file, first, `${showLine(words)} is incomplete: an AT line has at least five words ` +
        `(upssched ignores a shorter one); write "${USAGE.AT}"`);
    }
    const [, typeWord, upsWord, actionWord, nameWord] = words as [Word, Word, Word, Word, Word];
    const notifyType = this.notifyType(typeWord);
    const action = this.action(actionWord);
    const [fewest, most] = AT_WORDS[action];
    if (words.length < fewest) {
      throw errorAt(this.file, nameWord, `${showLine(words)}: START-TIMER needs a timer name and the seconds to wait; ` +
        `write "${AT_FORMS[action]}", e.g. AT ${notifyType} ${quoted(upsWord.text)} START-TIMER ${quoted(nameWord.text)} 30`);
    }
    const extra = words[most];
    if (extra) {
      const lastArg = words.slice(most - 1);
      throw errorAt(this.file, extra, `${showLine(words)}: ${action} takes ${most - 4} value(s) and upssched ignores ` +
        `the rest; write "${AT_FORMS[action]}" (quote a command with spaces: ${quoted(joinAsWritten(lastArg))})`);
    }
    const rule: UpsschedRule = { notifyType, ups: upsWord.text, action, pos: this.pos(first) };
    if (action === 'EXECUTE') {
      rule.command = this.nonEmpty(nameWord, 'EXECUTE command', 'upssched logs "Empty EXECUTE command argument" and runs nothing');
    } else {
      rule.timer = this.nonEmpty(nameWord, `${action} timer name`, 'a timer needs a name');
      const sixth = words[5];
      if (action === 'START-TIMER') {
        rule.seconds = parseInteger(this.file, sixth as Word, {
          label: 'START-TIMER seconds', min: 0, max: MAX_TIMER_SECONDS, unit: '(a negative value makes upssched ignore the timer)',
        });
      } else if (sixth) {
        rule.command = this.nonEmpty(sixth, 'CANCEL-TIMER command', 'leave it out to run nothing when no timer is pending');
      }
    }
    this.conf.rules.push(rule);
  }

  private notifyType(word: Word): NotifyType {
    const type = word.text.toUpperCase();
    if (!(NOTIFY_TYPES as string[]).includes(type)) {
      throw errorAt(this.file, word, `AT: unknown notify type ${show(word.text)} (upssched would never match it); ` +
        `accepted: ${NOTIFY_TYPES.join(', ')}`);
    }
    return type as NotifyType;
  }

  private action(word: Word): UpsschedAction {
    const found = ACTIONS.find((a) => a === word.text);
    if (found) return found;
    const upper = word.text.toUpperCase();
    const later = Object.hasOwn(LATER_ACTIONS, upper) ? LATER_ACTIONS[upper] : undefined;
    let hint = '';
    if (later) {
      hint = ` (${upper} is not in NUT 2.8.0, only in 2.8.5, and its timers behave differently: use ${later}, one ` +
        'timer name per UPS)';
    } else if ((ACTIONS as readonly string[]).includes(upper)) hint = ` (actions are case-sensitive: write ${upper})`;
    throw errorAt(this.file, word, `AT: unknown action ${show(word.text)}${hint}; upssched 2.8.0 logs "Invalid command" ` +
      `and does nothing; accepted: ${ACTIONS.join(', ')}`);
  }

  private nonEmpty(word: Word, label: string, why: string): string {
    if (word.text === '') throw errorAt(this.file, word, `the ${label} is empty: ${why}`);
    return word.text;
  }

  private unknown(words: Word[]): never {
    const first = words[0] as Word;
    const upper = first.text.toUpperCase();
    let hint = '';
    if (DIRECTIVES.includes(upper)) hint = ` (keywords are case-sensitive: write ${upper})`;
    else if (words.some((w) => w.text === '=')) hint = ' (upssched.conf has no "=": write "KEYWORD value")';
    throw errorAt(this.file, first, `unknown directive ${show(first.text)}${hint}; upssched ignores it ("invalid ` +
      `directive"); accepted: ${DIRECTIVES.join(', ')}`);
  }

  pos(w: Word): SourcePos {
    return { file: this.file, line: w.line, column: w.column };
  }

  missingCmdScript(): void {
    if (this.firstAt && this.conf.cmdScript === undefined) {
      throw errorAt(this.file, this.firstAt, 'there is no CMDSCRIPT: every AT action runs it, and upssched 2.8.0 stops ' +
        'at the first AT line without one ("CMDSCRIPT must be set before any ATs in the config file!"); add ' +
        '"CMDSCRIPT <script>" above the first AT line');
    }
  }
}

export function parseUpsschedConf(text: string | Uint8Array, file: string): { conf: UpsschedConf; warnings: ConfWarning[] } {
  const reader = new UpsschedConfReader(file);
  for (const words of readConfLines(text, file)) reader.line(words);
  reader.missingCmdScript();
  return { conf: reader.conf, warnings: reader.warnings };
}

/**
 * What only shows with upsmon.conf beside it: rules that can never fire, because upsmon does not
 * call NOTIFYCMD for that type (no EXEC flag), or because no MONITOR system string equals the
 * rule's UPS (upssched compares it exactly, case included: "ups@localhost" is not "ups@localhost:3493").
 */
export function checkUpsschedAgainstUpsmon(sched: UpsschedConf, upsmon: UpsmonConf): ConfWarning[] {
  const warnings: ConfWarning[] = [];
  const systems = upsmon.monitors.map((m) => m.system);
  const warnedTypes = new Set<NotifyType>();
  for (const rule of sched.rules) {
    const at = rule.pos;
    const flags = upsmon.notifyFlags[rule.notifyType] ?? defaultNotifyFlags(rule.notifyType);
    if ((!flags.exec || flags.ignore) && !warnedTypes.has(rule.notifyType)) {
      warnedTypes.add(rule.notifyType);
      warnings.push({ ...at, message: `AT ${rule.notifyType} never fires: upsmon.conf has no EXEC flag for ` +
        `${rule.notifyType}, so upsmon does not call upssched for it; add NOTIFYFLAG ${rule.notifyType} SYSLOG+WALL+EXEC` });
    }
    if (rule.ups !== '*' && !systems.includes(rule.ups)) {
      const near = systems.find((s) => s.toLowerCase() === rule.ups.toLowerCase() || s.split('@')[0] === rule.ups.split('@')[0]);
      warnings.push({ ...at, message: `AT ${rule.notifyType} ${rule.ups} never fires: no MONITOR line in upsmon.conf ` +
        `has exactly this system (upssched compares it exactly, case included)${near ? `; did you mean ${near}?` : ''}; ` +
        `the MONITOR systems are: ${systems.join(', ')}` });
    }
  }
  return warnings;
}

// ---- writer --------------------------------------------------------------------------------------

/** Canonical upssched.conf: CMDSCRIPT, PIPEFN, LOCKFN, DEBUG_MIN, then the AT lines in order. */
export function writeUpsschedConf(conf: UpsschedConf): string {
  const head: string[] = [];
  const put = (lines: string[], ...words: string[]) => lines.push(words.map((w, i) => (i === 0 ? w : encodeWord(w))).join(' '));
  if (conf.cmdScript !== undefined) put(head, 'CMDSCRIPT', conf.cmdScript);
  if (conf.pipeFn !== undefined) put(head, 'PIPEFN', conf.pipeFn);
  if (conf.lockFn !== undefined) put(head, 'LOCKFN', conf.lockFn);
  if (conf.debugMin !== undefined) put(head, 'DEBUG_MIN', String(conf.debugMin));
  const rules: string[] = [];
  for (const r of conf.rules) {
    const args = r.action === 'EXECUTE' ? [r.command ?? '']
      : r.action === 'START-TIMER' ? [r.timer ?? '', String(r.seconds ?? 0)]
        : [r.timer ?? '', ...(r.command !== undefined ? [r.command] : [])];
    put(rules, 'AT', r.notifyType, r.ups, r.action, ...args);
  }
  const blocks = [head, rules].filter((b) => b.length > 0).map((b) => b.join('\n'));
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}
