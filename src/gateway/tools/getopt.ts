/**
 * POSIX getopt as NUT's tools call it (`"+…"`: options stop at the first operand): clustered
 * flags (`-lw`), attached or separate option arguments (`-uadmin`, `-u admin`), `--` ends the
 * options. A bad option comes back in its place (flag '?'), worded as glibc's getopt words it,
 * because NUT's tools act on the options before it and show that message.
 */

export interface Option {
  /** The option letter, or '?' for an unknown option or a missing argument. */
  flag: string;
  value?: string;
  /** For '?': glibc's message, e.g. "upsc: invalid option -- 'x'". */
  message?: string;
}

export interface Parsed {
  options: Option[];
  operands: string[];
}

/** `spec`: one letter per option, `:` after a letter that takes an argument (e.g. "lhu:p:t:wV"). */
export function getopt(prog: string, argv: readonly string[], spec: string): Parsed {
  const options: Option[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      const at = flag === ':' ? -1 : spec.indexOf(flag);
      if (at < 0) {
        // Everything after a bad option is moot: the tools print their usage and stop there.
        options.push({ flag: '?', message: `${prog}: invalid option -- '${flag}'` });
        return { options, operands: [] };
      }
      if (spec[at + 1] !== ':') {
        options.push({ flag });
        continue;
      }
      if (j + 1 < arg.length) {
        options.push({ flag, value: arg.slice(j + 1) });
      } else if (i + 1 < argv.length) {
        options.push({ flag, value: argv[++i]! });
      } else {
        options.push({ flag: '?', message: `${prog}: option requires an argument -- '${flag}'` });
        return { options, operands: [] };
      }
      break;
    }
  }
  return { options, operands: argv.slice(i) };
}
