/**
 * ups.conf: global settings, then one `[upsname]` section per UPS with `key = value` lines and bare
 * flags. Read with NUT 2.8.0's rules (keys case-sensitive, repeated sections merged into the first),
 * but every line NUT would silently skip or cut short stops start-up with the fix.
 */
import { sectionHeader, errorAt, joinAsWritten, parseInteger, readConfLines, show, showLine, type IntegerRule } from './conf-lines.js';
import type { UpsConf, UpsConfEntry, UpsSection } from './model.js';
import { encodeWord, type Word } from './parseconf.js';

const LINE_FORMS = 'a line is "key = value", a bare flag, or "[upsname]"';

const GLOBAL_KEYS = [
  'chroot', 'driverpath', 'statepath', 'maxstartdelay', 'maxretry', 'nowait', 'retrydelay',
  'pollinterval', 'synchronous', 'user', 'group', 'debug_min', 'LIBUSB_DEBUG',
];
const FLAG_KEYS = ['nolock', 'ignorelb', 'allow_killpower'];
const SECTION_KEYS = [
  'driver', 'port', 'desc', 'sdorder', 'sdcommands', 'user', 'group', 'synchronous', 'debug_min',
  'pollinterval', 'maxstartdelay', 'maxretry', 'retrydelay', 'usb_set_altinterface', 'sddelay', ...FLAG_KEYS,
];
/** Keys NUT matches without regard to case (the rest are case-sensitive). */
const ANY_CASE_KEYS = ['debug_min', 'statepath'];
const SYNCHRONOUS_VALUES = ['yes', 'no', 'auto'];

export const NUMBER_RULES: Record<'pollinterval' | 'maxretry' | 'retrydelay' | 'maxstartdelay' | 'sdorder', IntegerRule> = {
  pollinterval: { label: 'pollinterval', min: 1, max: 3600, unit: 'seconds' },
  maxretry: { label: 'maxretry', min: 1, max: 100, unit: 'attempts' },
  retrydelay: { label: 'retrydelay', min: 0, max: 3600, unit: 'seconds' },
  maxstartdelay: { label: 'maxstartdelay', min: 1, max: 3600, unit: 'seconds' },
  sdorder: { label: 'sdorder', min: -1, max: 1000, unit: '(-1 = never shut down by upsdrvctl)' },
};
const DEBUG_RULE: IntegerRule = { label: 'debug_min', min: 0, max: 99 };
const GLOBAL_DEFAULTS = { pollinterval: 2, maxretry: 1, retrydelay: 5, maxstartdelay: 45 } as const;

/** Characters a UPS name cannot hold: clients write it unquoted, as `name@host`. */
const UPS_NAME_FORBIDDEN = /[\s@[\]"\\#=]/;

function isSectionHeader(text: string): boolean {
  return text.length >= 2 && text.startsWith('[') && text.endsWith(']');
}

export function upsNameProblem(name: string): string | undefined {
  if (name === '') return 'the UPS name is empty';
  const bad = UPS_NAME_FORBIDDEN.exec(name);
  if (bad) {
    return `the UPS name ${show(name)} contains ${JSON.stringify(bad[0])}, which clients cannot write in "name@host"`;
  }
  return undefined;
}

class UpsConfReader {
  readonly conf: UpsConf;
  private current: UpsSection | undefined;
  private readonly sectionsByName = new Map<string, UpsSection>();
  private readonly sectionsByLowerName = new Map<string, UpsSection>();

  constructor(private readonly file: string) {
    this.conf = { file, globals: [], ...GLOBAL_DEFAULTS, sections: [] };
  }

  line(words: Word[]): void {
    const first = words[0] as Word;
    if (isSectionHeader(first.text)) return this.header(words);
    if (first.text.startsWith('[') || first.text.endsWith(']')) return this.brokenHeader(words);
    const entry = this.entry(words);
    if (this.current) this.sectionEntry(this.current, entry, words);
    else this.globalEntry(entry, words);
  }

  private header(words: Word[]): void {
    const first = words[0] as Word;
    const name = sectionHeader(this.file, words);
    const problem = upsNameProblem(name);
    if (problem) {
      throw errorAt(this.file, first, `${problem}; accepted: one word without whitespace or @ [ ] " \\ # =, e.g. [myups]`);
    }
    const existing = this.sectionsByName.get(name);
    if (existing) {
      this.current = existing; // NUT adds the lines of a repeated section to the first one
      return;
    }
    const sameButCase = this.sectionsByLowerName.get(name.toLowerCase());
    if (sameButCase) {
      throw errorAt(this.file, first, `[${name}] differs from [${sameButCase.name}] (line ${sameButCase.pos.line}) only ` +
        'in letter case; upsd matches UPS names without regard to case and would drop one of them: rename one');
    }
    const section: UpsSection = {
      name, pos: { file: this.file, line: first.line, column: first.column }, entries: [],
      driver: undefined, port: undefined, desc: undefined, sdorder: 0,
      pollinterval: undefined, maxretry: undefined, retrydelay: undefined, maxstartdelay: undefined,
    };
    this.conf.sections.push(section);
    this.sectionsByName.set(name, section);
    this.sectionsByLowerName.set(name.toLowerCase(), section);
    this.current = section;
  }

  private brokenHeader(words: Word[]): never {
    const first = words[0] as Word;
    if (first.text.startsWith('[') && words.slice(1).some((w) => w.text.endsWith(']'))) {
      throw errorAt(this.file, first, `${showLine(words)}: a UPS name cannot contain spaces (NUT ignores this line, ` +
        `so the lines below would join the section above); write [${words.map((w) => w.text.replace(/[[\]]/g, '')).join('_')}]`);
    }
    const fixed = first.text.startsWith('[') ? `${first.text}]` : `[${first.text}`;
    throw errorAt(this.file, first, `${show(first.text)} looks like a section header with a bracket missing ` +
      `(NUT would take it for a flag); write ${fixed}; ${LINE_FORMS}`);
  }

  private entry(words: Word[]): UpsConfEntry {
    const [key, equals, value, extra] = words as [Word, Word | undefined, Word | undefined, Word | undefined];
    const pos = { file: this.file, line: key.line, column: key.column };
    if (key.text === '=') {
      throw errorAt(this.file, key, `${showLine(words)} starts with "=": the key is missing; ${LINE_FORMS}`);
    }
    if (key.text === '') throw errorAt(this.file, key, `the key is empty; ${LINE_FORMS}`);
    if (!equals) return { key: key.text, value: undefined, pos };
    if (equals.text !== '=') {
      const rest = joinAsWritten(words.slice(1));
      throw errorAt(this.file, key, `${showLine(words)} has no "=" (NUT ignores such a line): ` +
        `write "${key.text} = ${encodeOrShow(rest)}"; ${LINE_FORMS}`);
    }
    if (!value) {
      throw errorAt(this.file, key, `${showLine(words)} has no value after "=" (NUT ignores such a line): write ` +
        `"${key.text} = <value>" (an empty value is written "")`);
    }
    if (extra) {
      const whole = joinAsWritten(words.slice(2));
      throw errorAt(this.file, extra, `${showLine(words)}: NUT keeps only ${show(value.text)} and ignores the rest; ` +
        `quote a value that has spaces or "=": ${key.text} = ${encodeOrShow(whole)}`);
    }
    return { key: key.text, value: value.text, pos };
  }

  private globalEntry(entry: UpsConfEntry, words: Word[]): void {
    const key = entry.key;
    const at = words[2] ?? (words[0] as Word);
    if (key in GLOBAL_DEFAULTS) {
      const name = key as keyof typeof GLOBAL_DEFAULTS;
      this.requireValue(entry, words, '<number>');
      this.conf[name] = parseInteger(this.file, at, NUMBER_RULES[name]);
    } else if (key === 'nowait') {
      this.requireFlag(entry, words);
    } else if (GLOBAL_KEYS.includes(key) || ANY_CASE_KEYS.includes(key.toLowerCase())) {
      this.checkCommonValue(entry, words);
    } else if (SECTION_KEYS.includes(key) || key.startsWith('default.') || key.startsWith('override.')) {
      throw errorAt(this.file, words[0] as Word, `${show(key)} belongs in a [upsname] section, but this line comes ` +
        'before the first section (NUT ignores it there): move it below the [upsname] it is for');
    } else {
      const hint = caseHint(key, GLOBAL_KEYS);
      throw errorAt(this.file, words[0] as Word, `unknown global setting ${show(key)} (NUT ignores it)${hint}; ` +
        `accepted before the first [upsname]: ${GLOBAL_KEYS.join(', ')}`);
    }
    this.conf.globals.push(entry);
  }

  private sectionEntry(section: UpsSection, entry: UpsConfEntry, words: Word[]): void {
    const key = entry.key;
    const at = words[2] ?? (words[0] as Word);
    if (key === 'driver' || key === 'port') {
      section[key] = this.requireValue(entry, words, key === 'driver' ? '<driver program>' : '<device or file>');
      if (section[key] === '') throw errorAt(this.file, at, `${key} is empty; write "${key} = <value>"`);
    } else if (key === 'desc') {
      section.desc = this.requireValue(entry, words, '"<description>"');
    } else if (key === 'sdorder') {
      this.requireValue(entry, words, '<number>');
      section.sdorder = parseInteger(this.file, at, NUMBER_RULES.sdorder);
    } else if (key === 'pollinterval' || key === 'maxretry' || key === 'retrydelay' || key === 'maxstartdelay') {
      this.requireValue(entry, words, '<number>');
      section[key] = parseInteger(this.file, at, NUMBER_RULES[key]);
    } else if (FLAG_KEYS.includes(key)) {
      this.requireFlag(entry, words);
    } else if (key === 'usb_set_altinterface') {
      // A flag or a value: the USB drivers read it.
    } else if (key.startsWith('default.') || key.startsWith('override.')) {
      const prefix = key.slice(0, key.indexOf('.') + 1);
      if (key === prefix) throw errorAt(this.file, words[0] as Word, `${show(key)} names no variable; write ${prefix}<variable> = <value>, e.g. ${prefix}battery.charge.low = 30`);
      this.requireValue(entry, words, '<value>');
    } else if (SECTION_KEYS.includes(key) || ANY_CASE_KEYS.includes(key.toLowerCase())) {
      this.checkCommonValue(entry, words);
    } else {
      const hint = caseHint(key, SECTION_KEYS);
      if (hint) throw errorAt(this.file, words[0] as Word, `unknown setting ${show(key)}${hint}`);
      // Anything else is the driver's own setting; the driver checks it when it starts.
    }
    section.entries.push(entry);
  }

  /** Settings with a simple value, valid in both places. */
  private checkCommonValue(entry: UpsConfEntry, words: Word[]): void {
    const key = entry.key;
    const value = this.requireValue(entry, words, '<value>');
    const at = words[2] as Word;
    if (key === 'synchronous' && !SYNCHRONOUS_VALUES.includes(value)) {
      throw errorAt(this.file, at, `synchronous ${show(value)} is not understood (NUT would take it as "no"); ` +
        `accepted: ${SYNCHRONOUS_VALUES.join(', ')} (lower case)`);
    }
    if (key.toLowerCase() === 'debug_min' || key === 'LIBUSB_DEBUG') {
      parseInteger(this.file, at, { ...DEBUG_RULE, label: key });
    }
  }

  private requireValue(entry: UpsConfEntry, words: Word[], example: string): string {
    if (entry.value === undefined) {
      throw errorAt(this.file, words[0] as Word, `${show(entry.key)} needs a value (NUT would take it for a flag): ` +
        `write "${entry.key} = ${example}"`);
    }
    return entry.value;
  }

  private requireFlag(entry: UpsConfEntry, words: Word[]): void {
    if (entry.value === undefined) return;
    throw errorAt(this.file, words[2] as Word, `${entry.key} is a bare flag, and NUT turns it on whatever value ` +
      `follows (even "no"): write just "${entry.key}" to turn it on, or remove the line to leave it off`);
  }
}

function encodeOrShow(text: string): string {
  try {
    return encodeWord(text);
  } catch {
    return show(text);
  }
}

function caseHint(key: string, known: readonly string[]): string {
  const match = known.find((k) => k.toLowerCase() === key.toLowerCase() && k !== key);
  return match ? ` (keys are case-sensitive: write ${match})` : '';
}

export function parseUpsConf(text: string | Uint8Array, file: string): UpsConf {
  const reader = new UpsConfReader(file);
  for (const words of readConfLines(text, file)) reader.line(words);
  return reader.conf;
}

// ---- writer --------------------------------------------------------------------------------------

function lastValue(entries: readonly UpsConfEntry[], key: string): string | undefined {
  let value: string | undefined;
  for (const e of entries) if (e.key === key) value = e.value;
  return value;
}

/**
 * Makes `entries` say `wanted` for `key` (undefined = not set, `fallback` = what unset means), so a
 * model edited through its typed fields is written as edited.
 */
function reconcile(entries: UpsConfEntry[], key: string, wanted: string | undefined, fallback?: string): UpsConfEntry[] {
  const current = lastValue(entries, key) ?? fallback;
  const same = current === wanted || (current !== undefined && wanted !== undefined && /^-?\d+$/.test(current) &&
    Number(current) === Number(wanted));
  if (same) return entries;
  if (wanted === undefined) return entries.filter((e) => e.key !== key);
  const last = entries.map((e) => e.key).lastIndexOf(key);
  const pos = { file: '', line: 0, column: 0 };
  if (last < 0) return [...entries, { key, value: wanted, pos }];
  return entries.map((e, i) => (i === last ? { ...e, value: wanted } : e));
}

function entryLine(e: UpsConfEntry): string {
  const key = encodeWord(e.key);
  return e.value === undefined ? key : `${key} = ${encodeWord(e.value)}`;
}

const numberText = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

/**
 * Canonical ups.conf: globals, then each section with its lines indented. Comments are not kept.
 * Throws RangeError for what the format cannot carry (a bad UPS name, a non-ASCII value).
 */
export function writeUpsConf(conf: UpsConf): string {
  let globals = conf.globals;
  for (const key of ['pollinterval', 'maxretry', 'retrydelay', 'maxstartdelay'] as const) {
    globals = reconcile(globals, key, String(conf[key]), String(GLOBAL_DEFAULTS[key]));
  }
  const blocks: string[] = [];
  if (globals.length > 0) blocks.push(globals.map(entryLine).join('\n'));
  for (const s of conf.sections) {
    const problem = upsNameProblem(s.name);
    if (problem) throw new RangeError(`cannot write section [${s.name}]: ${problem}`);
    let entries = s.entries;
    entries = reconcile(entries, 'driver', s.driver);
    entries = reconcile(entries, 'port', s.port);
    entries = reconcile(entries, 'desc', s.desc);
    entries = reconcile(entries, 'sdorder', String(s.sdorder), '0');
    for (const key of ['pollinterval', 'maxretry', 'retrydelay', 'maxstartdelay'] as const) {
      entries = reconcile(entries, key, numberText(s[key]));
    }
    blocks.push([`[${s.name}]`, ...entries.map((e) => `  ${entryLine(e)}`)].join('\n'));
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}
