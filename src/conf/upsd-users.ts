/**
 * upsd.users: one `[username]` section per user with `password`, `actions`, `instcmds`, `upsmon`
 * and the old `allowfrom` (enforced by upsgate). Field names are case-insensitive, user names are not.
 */
import { errorAt, joinAsWritten, quoted, readConfLines, sectionHeader, show, showLine } from './conf-lines.js';
import type { ConfWarning } from './errors.js';
import type { SourcePos, UpsdUsers, UserEntry } from './model.js';
import { encodeWord, type Word } from './parseconf.js';

const LINE_FORMS = 'a line is "field = value", "upsmon primary|secondary", or "[username]"';
const FIELDS = ['password', 'actions', 'instcmds', 'upsmon', 'allowfrom'];
/** What upsd checks: SET, FSD by hand; LOGIN, MASTER (and PRIMARY) are what `upsmon` is for. */
const ACTIONS = ['SET', 'FSD', 'LOGIN', 'MASTER', 'PRIMARY'];
const UPSMON_TYPES: Record<string, 'primary' | 'secondary'> = {
  primary: 'primary', master: 'primary', secondary: 'secondary', slave: 'secondary',
};
/** The actions NUT 2.8.0's `upsmon primary|secondary` grants (PRIMARY is not among them; MASTER allows PRIMARY). */
export const UPSMON_ACTIONS: Record<'primary' | 'secondary', readonly string[]> = {
  primary: ['LOGIN', 'MASTER', 'FSD'],
  secondary: ['LOGIN'],
};
const INSTCMD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface Marks {
  password?: Word;
  upsmon?: Word;
}

class UsersReader {
  readonly users: UserEntry[] = [];
  readonly warnings: ConfWarning[] = [];
  private current: UserEntry | undefined;
  private readonly byName = new Map<string, UserEntry>();
  private readonly marks = new Map<UserEntry, Marks>();

  constructor(private readonly file: string) {}

  line(words: Word[]): void {
    const first = words[0] as Word;
    if (first.text.toLowerCase() === 'user') {
      throw errorAt(this.file, first, `${showLine(words)} is the pre-2.0 format, which NUT ignores; ` +
        'define each user as a [username] section with "password = ..." below it');
    }
    if (first.text.length >= 2 && first.text.startsWith('[') && first.text.endsWith(']')) return this.header(words);
    if (first.text.startsWith('[')) {
      throw errorAt(this.file, first, `${showLine(words)} is not a section header (NUT ignores it, so the lines ` +
        'below would belong to the user above): a user name is one word, e.g. [admin]; quote a name with spaces: "[my admin]"');
    }
    const user = this.current;
    if (!user) {
      throw errorAt(this.file, first, `${showLine(words)} comes before the first [username] section; NUT ignores ` +
        'it: start the user with [username] on its own line');
    }
    if (first.text.toLowerCase() === 'upsmon') return this.upsmonLine(user, words);
    const eq = first.text.indexOf('=');
    if (eq > 0) {
      // An escaped "=" in the first word: NUT still splits it there ("password\=x" sets the password).
      const after: Word = { ...first, text: first.text.slice(eq + 1) };
      return this.field(user, { ...first, text: first.text.slice(0, eq) }, [after, ...words.slice(1)], words);
    }
    const [, equals, value] = words;
    if (!equals) {
      throw errorAt(this.file, first, `${showLine(words)} is a bare word (NUT ignores it); ${LINE_FORMS}`);
    }
    if (equals.text !== '=') {
      throw errorAt(this.file, first, `${showLine(words)} has no "=" (NUT ignores such a ` +
        `line): write "${first.text} = ${quoted(joinAsWritten(words.slice(1)))}"; ${LINE_FORMS}`);
    }
    if (!value) {
      throw errorAt(this.file, first, `${showLine(words)} has no value after "=" (NUT ignores such a line); ${LINE_FORMS}`);
    }
    this.field(user, first, words.slice(2), words);
  }

  private header(words: Word[]): void {
    const first = words[0] as Word;
    const name = sectionHeader(this.file, words);
    if (name === '') throw errorAt(this.file, first, 'the user name is empty; write [username]');
    const earlier = this.byName.get(name);
    if (earlier) {
      throw errorAt(this.file, first, `user [${name}] is already defined at line ${earlier.pos.line}: NUT ignores ` +
        'this second header, and the lines below it would be added to the user above it; merge the two sections');
    }
    const user: UserEntry = {
      name, pos: this.pos(first), password: undefined, actions: [], instcmds: [], upsmon: undefined,
      allowFrom: [], allowFromPos: [],
    };
    this.users.push(user);
    this.byName.set(name, user);
    this.marks.set(user, {});
    this.current = user;
  }

  private upsmonLine(user: UserEntry, words: Word[]): void {
    const [first, second, third] = words as [Word, Word | undefined, Word | undefined];
    if (!second) throw errorAt(this.file, first, 'upsmon needs a type: write "upsmon primary" or "upsmon secondary"');
    if (second.text === '=') {
      if (!third) throw errorAt(this.file, first, 'upsmon needs a type: write "upsmon primary" or "upsmon secondary"');
      return this.field(user, first, words.slice(2), words);
    }
    if (third) {
      throw errorAt(this.file, third, `${showLine(words)}: upsmon takes one type and NUT ignores the rest; ` +
        'write "upsmon primary" or "upsmon secondary"');
    }
    this.setUpsmon(user, second);
  }

  private field(user: UserEntry, key: Word, values: Word[], words: Word[]): void {
    const field = key.text.toLowerCase();
    const marks = this.marks.get(user) as Marks;
    switch (field) {
      case 'password': {
        const [value, extra] = values as [Word, Word | undefined];
        if (extra) {
          throw errorAt(this.file, extra, `${showLine(words)}: NUT keeps only ${show(value.text)} as the password ` +
            `and ignores the rest; quote a password that has spaces or "=": password = ${quoted(joinAsWritten(values))}`);
        }
        if (marks.password) {
          throw errorAt(this.file, key, `the password of [${user.name}] is already set at line ${marks.password.line} ` +
            '(NUT keeps the first and ignores this one); keep one password line');
        }
        marks.password = key;
        user.password = value.text;
        return;
      }
      case 'actions':
        for (const v of values) this.addAction(user, v);
        return;
      case 'instcmds':
        for (const v of values) this.addInstcmd(user, v);
        return;
      case 'allowfrom':
        for (const v of values) {
          if (user.allowFrom.includes(v.text)) continue;
          user.allowFrom.push(v.text);
          user.allowFromPos?.push(this.pos(v));
        }
        return;
      case 'upsmon': {
        const extra = values[1];
        if (extra) {
          throw errorAt(this.file, extra, `${showLine(words)}: upsmon takes one type (NUT would apply each); ` +
            'write "upsmon primary" or "upsmon secondary"');
        }
        return this.setUpsmon(user, values[0] as Word);
      }
      default:
        throw errorAt(this.file, key, `unknown field ${show(key.text)} for user [${user.name}] (NUT ignores it: ` +
          `"Unrecognized user setting"); accepted: ${FIELDS.join(', ')}`);
    }
  }

  private setUpsmon(user: UserEntry, value: Word): void {
    const type = UPSMON_TYPES[value.text.toLowerCase()];
    if (!type) {
      throw errorAt(this.file, value, `unknown upsmon type ${show(value.text)} (NUT ignores it, so this user could ` +
        'not log in as upsmon); accepted: primary, secondary (or the old names master, slave)');
    }
    const marks = this.marks.get(user) as Marks;
    if (user.upsmon !== undefined && user.upsmon !== type) {
      throw errorAt(this.file, value, `[${user.name}] is already "upsmon ${user.upsmon}" (line ${marks.upsmon?.line}); ` +
        'a user is either primary or secondary: keep one upsmon line');
    }
    marks.upsmon = value;
    user.upsmon = type;
    for (const action of UPSMON_ACTIONS[type]) if (!user.actions.includes(action)) user.actions.push(action);
  }

  private addAction(user: UserEntry, value: Word): void {
    const action = value.text.toUpperCase();
    if (!ACTIONS.includes(action)) {
      const hint = value.text.includes(',') ? ' (separate several actions with spaces: actions = SET FSD)' : '';
      throw errorAt(this.file, value, `unknown action ${show(value.text)}${hint}; accepted: SET, FSD ` +
        '(LOGIN and MASTER come with "upsmon primary|secondary"; LOGIN, MASTER, PRIMARY are also accepted)');
    }
    if (!user.actions.includes(action)) user.actions.push(action);
  }

  private addInstcmd(user: UserEntry, value: Word): void {
    if (!INSTCMD_NAME.test(value.text)) {
      const hint = value.text.includes(',') ? ' (separate several commands with spaces)' : '';
      throw errorAt(this.file, value, `${show(value.text)} is not an instant command name${hint}; accepted: names ` +
        'like test.battery.start or load.off (letters, digits, . _ -), or ALL for every command');
    }
    // NUT ignores a command already listed, comparing without regard to case.
    if (user.instcmds.some((c) => c.toLowerCase() === value.text.toLowerCase())) return;
    user.instcmds.push(value.text);
  }

  private pos(w: Word): SourcePos {
    return { file: this.file, line: w.line, column: w.column };
  }
}

export function parseUpsdUsers(text: string | Uint8Array, file: string): { users: UpsdUsers; warnings: ConfWarning[] } {
  const reader = new UsersReader(file);
  for (const words of readConfLines(text, file)) reader.line(words);
  return { users: { file, users: reader.users }, warnings: reader.warnings };
}

// ---- writer --------------------------------------------------------------------------------------

/** Values per line, well under NUT's 32 words. */
const VALUES_PER_LINE = 16;

function listLines(field: string, values: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_LINE) {
    lines.push(`${field} = ${values.slice(i, i + VALUES_PER_LINE).map(encodeWord).join(' ')}`);
  }
  return lines;
}

/**
 * `actions` and `upsmon` lines that read back as exactly `user.actions`, in order: the upsmon line
 * stands where the actions it grants begin, and only the other actions are written out.
 */
function actionLines(user: UserEntry): string[] {
  if (user.upsmon === undefined) return listLines('actions', user.actions);
  const granted = UPSMON_ACTIONS[user.upsmon];
  const lines: string[] = [];
  let pending: string[] = [];
  let upsmonWritten = false;
  const have: string[] = [];
  for (let i = 0; i < user.actions.length; ) {
    const adds = granted.filter((a) => !have.includes(a));
    const fits = !upsmonWritten && adds.length > 0 && adds.every((a, k) => user.actions[i + k] === a);
    if (fits) {
      lines.push(...listLines('actions', pending), `upsmon ${user.upsmon}`);
      pending = [];
      upsmonWritten = true;
      have.push(...adds);
      i += adds.length;
      continue;
    }
    const action = user.actions[i] as string;
    pending.push(action);
    have.push(action);
    i++;
  }
  lines.push(...listLines('actions', pending));
  if (!upsmonWritten) lines.push(`upsmon ${user.upsmon}`);
  return lines;
}

/** Canonical upsd.users; passwords and names go through encodeWord. Comments are not kept. */
export function writeUpsdUsers(users: UpsdUsers): string {
  const blocks = users.users.map((user) => {
    if (user.name === '') throw new RangeError('cannot write a user with an empty name');
    const lines: string[] = [];
    if (user.password !== undefined) lines.push(`password = ${encodeWord(user.password)}`);
    lines.push(...actionLines(user), ...listLines('instcmds', user.instcmds), ...listLines('allowfrom', user.allowFrom));
    return [encodeWord(`[${user.name}]`), ...lines.map((l) => `  ${l}`)].join('\n');
  });
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}
