/**
 * NUT compiles its USB matching options with regcomp(REG_EXTENDED | REG_ICASE) (POSIX extended
 * regular expressions, glibc flavour) and accepts a device only when the match covers the whole
 * string. JavaScript's RegExp reads most ERE text the same way; this translates the parts it
 * reads differently, so that a ups.conf written for NUT selects the same devices here:
 *
 * - bracket expressions: `[[:alnum:]]` classes, `[.x.]`/`[=x=]`, a backslash that is a literal
 *   (ERE has no escapes inside brackets), `]` first in the list being a literal;
 * - escapes outside brackets: glibc knows `\w \W \s \S \b \B \< \> \` \'` and backreferences; an
 *   escaped capital or punctuation is itself; an escaped small letter matches nothing (measured
 *   with glibc and REG_ICASE), so it is refused with a hint;
 * - repetitions of repetitions (`a**`), a `)` without `(` as a literal, glibc's `{,m}`;
 * - `.` matches a newline too (REG_NEWLINE is not set).
 */

const CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

export class PosixRegexError extends Error {}

function escapeForClass(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates one bracket expression starting at `start` (the `[`); returns the JS text and the index after it. */
function bracket(re: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (re[i] === '^') {
    out += '^';
    i++;
  }
  if (re[i] === ']') {
    out += '\\]';
    i++;
  }
  for (; i < re.length; i++) {
    const ch = re[i] as string;
    if (ch === ']') return [`${out}]`, i + 1];
    if (ch === '[' && (re[i + 1] === ':' || re[i + 1] === '.' || re[i + 1] === '=')) {
      const kind = re[i + 1] as string;
      const end = re.indexOf(`${kind}]`, i + 2);
      if (end < 0) throw new PosixRegexError(`unterminated [${kind} in a bracket expression`);
      const name = re.slice(i + 2, end);
      if (kind === ':') {
        const cls = CLASSES[name];
        if (cls === undefined) throw new PosixRegexError(`unknown character class [:${name}:]`);
        out += cls;
      } else {
        out += [...name].map(escapeForClass).join('');
      }
      i = end + 1;
      continue;
    }
    out += ch === '\\' || ch === '[' ? `\\${ch}` : ch;
  }
  throw new PosixRegexError('unmatched [ (a bracket expression is not closed)');
}

const INTERVAL = /^\{(\d*)(,?)(\d*)\}/;

/** `{n}`, `{n,}`, `{n,m}` and glibc's `{,m}`; anything else after `{` is an error, as in regcomp. */
function interval(re: string, at: number): [string, number] {
  const m = INTERVAL.exec(re.slice(at));
  if (!m) throw new PosixRegexError('unmatched { (write \\{ for a literal brace)');
  const [whole, min, comma, max] = m as unknown as [string, string, string, string];
  if (min === '' && comma === '') throw new PosixRegexError('invalid content of {}');
  if (max !== '' && Number(max) < Number(min === '' ? 0 : min)) throw new PosixRegexError(`invalid content of ${whole}`);
  return [`{${min === '' ? '0' : min}${comma}${max}}`, at + whole.length];
}

/**
 * The JavaScript source of an extended regular expression, for `new RegExp(…, 'is')`. Refuses what
 * glibc's regcomp refuses (so a section NUT would not start with is not accepted here either),
 * and `\d`-style escapes, which glibc with REG_ICASE reads as matching nothing at all.
 */
export function translateEre(re: string): string {
  let out = '';
  /** Where in `out` the last repeatable piece starts; undefined after `(`, `|`, `^`, `$` or at the start. */
  let atom: number | undefined;
  let repeated = false;
  const groups: number[] = [];
  let closedGroups = 0;
  const push = (text: string, repeatable: boolean) => {
    atom = repeatable ? out.length : undefined;
    repeated = false;
    out += text;
  };
  const quantifier = (text: string) => {
    if (atom === undefined) throw new PosixRegexError(`invalid preceding regular expression before ${JSON.stringify(text)}`);
    // glibc repeats a repetition (`a**`, `a+{2}`); JavaScript needs the first one grouped.
    if (repeated) out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
    out += text;
    repeated = true;
  };
  for (let i = 0; i < re.length; ) {
    const ch = re[i] as string;
    if (ch === '[') {
      const [text, next] = bracket(re, i);
      push(text, true);
      i = next;
    } else if (ch === '\\') {
      const next = re[i + 1];
      if (next === undefined) throw new PosixRegexError('trailing backslash');
      i += 2;
      if (next === '<' || next === '>' || next === 'b') push('\\b', false);
      else if (next === 'B') push('\\B', false);
      else if (next === '`') push('^', false);
      else if (next === "'") push('$', false);
      else if ('wWsS'.includes(next)) push(`\\${next}`, true);
      else if (/[1-9]/.test(next)) {
        if (Number(next) > closedGroups) throw new PosixRegexError(`invalid back reference \\${next}`);
        push(`\\${next}`, true);
      } else if (/[a-z]/.test(next)) {
        throw new PosixRegexError(
          `\\${next} has no meaning in NUT's regular expressions (glibc matches nothing with it); ` +
            `write the character itself, or a class such as [0-9] or [[:digit:]]`,
        );
      } else push(/[A-Z0-9]/.test(next) ? next : `\\${next}`, true);
    } else if (ch === '(') {
      groups.push(out.length);
      push('(', false);
      i++;
    } else if (ch === ')') {
      const open = groups.pop();
      if (open === undefined) push('\\)', true); // glibc: a `)` without `(` is an ordinary character
      else {
        out += ')';
        closedGroups++;
        atom = open;
        repeated = false;
      }
      i++;
    } else if (ch === '|' || ch === '^' || ch === '$') {
      push(ch, false);
      i++;
    } else if (ch === '*' || ch === '+' || ch === '?') {
      quantifier(ch);
      i++;
    } else if (ch === '{') {
      const [text, next] = interval(re, i);
      quantifier(text);
      i = next;
    } else {
      push(/[\]}/]/.test(ch) ? `\\${ch}` : ch, true);
      i++;
    }
  }
  if (groups.length > 0) throw new PosixRegexError('unmatched ( (a group is not closed)');
  return out;
}

/**
 * An ERE compiled to match a whole string, without regard to case, as NUT's match_regex checks
 * (`rm_so == 0 && rm_eo == len`). Throws PosixRegexError for what regcomp would refuse.
 */
export function compileWholeMatch(re: string): RegExp {
  const source = translateEre(re);
  try {
    return new RegExp(`^(?:${source})$`, 'is');
  } catch (e) {
    throw new PosixRegexError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}
