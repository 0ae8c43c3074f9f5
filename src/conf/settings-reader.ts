/**
 * Reading upsgate.json's tree: every check names the field, what was found and what is accepted,
 * and points at file:line:column, because a bad file stops start-up instead of falling back to
 * defaults. Shared by the readers of each section (settings.ts, settings-mqtt.ts).
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ConfError } from './errors.js';

const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a key in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a ":" was expected after the key',
  CommaExpected: 'a "," was expected',
  CloseBraceExpected: 'a closing "}" was expected',
  CloseBracketExpected: 'a closing "]" was expected',
  EndOfFileExpected: 'text after the end of the settings object',
  InvalidCommentToken: 'a malformed comment',
  UnexpectedEndOfComment: 'a comment that is never closed',
  UnexpectedEndOfString: 'a string that is never closed',
  UnexpectedEndOfNumber: 'a number cut short',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'an unknown \\ escape',
  InvalidCharacter: 'a control character inside a string',
};

/**
 * Parses JSON with comments and trailing commas (a BOM already removed) into jsonc-parser's tree;
 * the first syntax error fails through `r`, at its line and column, with `example` as the shape
 * accepted. Undefined for an empty text. Shared by upsgate.json and the image's setup file.
 */
export function parseJsoncTree(source: string, r: Reader, example: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const first = errors[0];
  if (first) {
    const code = printParseErrorCode(first.error);
    const found = source.slice(first.offset, first.offset + Math.min(first.length, 30));
    const what =
      code === 'InvalidSymbol' && /^[A-Za-z_$]/.test(found)
        ? `unexpected ${found} (keys and text values need "double quotes"; true, false and null do not)`
        : (SYNTAX[code] ?? code);
    r.fail(first.offset, `not valid JSON: ${what}; accepted: JSON with // or /* */ comments, e.g. ${example}`);
  }
  return root;
}

/** One field of the tree: where it is (for messages) and its dotted name. */
export class Reader {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  fail(offset: number, problem: string): never {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    throw new ConfError(this.file, lo + 1, offset - this.lineStarts[lo]! + 1, problem);
  }

  lineOf(offset: number): number {
    return this.lineStarts.filter((s) => s <= offset).length;
  }

  /** The value as written, for messages ("30s" with its quotes, 1.5, true …), cut if long. */
  shown(node: Node): string {
    const raw = this.text.slice(node.offset, node.offset + node.length);
    return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  }

  /** Checks an object's keys: no unknown ones, no repeats. Returns the keys present. */
  object(node: Node, name: string, accepted: readonly string[]): Set<string> {
    if (node.type !== 'object') this.fail(node.offset, `${name} is ${this.kind(node)}; accepted: an object { ... } with ${accepted.join(', ')}`);
    const seen = new Map<string, number>();
    for (const prop of node.children ?? []) {
      const keyNode = prop.children![0]!;
      const key = keyNode.value as string;
      const where = name === 'the file' ? key : `${name}.${key}`;
      if (!accepted.includes(key)) {
        const hint = accepted.find((a) => a.toLowerCase() === key.toLowerCase());
        this.fail(keyNode.offset, `unknown key "${where}"${hint ? ` (write ${hint})` : ''}; accepted in ${name}: ${accepted.join(', ')}`);
      }
      const before = seen.get(key);
      if (before !== undefined) this.fail(keyNode.offset, `${where} repeats line ${this.lineOf(before)}; give it once`);
      seen.set(key, keyNode.offset);
    }
    return new Set(seen.keys());
  }

  kind(node: Node): string {
    if (node.type === 'object' || node.type === 'array') return `an ${node.type}`;
    return `${node.type === 'null' ? '' : `the ${node.type} `}${this.shown(node)}`;
  }

  string(node: Node, name: string, accepted: string, allowEmpty = false): string {
    if (node.type !== 'string') this.fail(node.offset, `${name} ${this.kind(node)} is not a string; accepted: ${accepted}`);
    const value = node.value as string;
    if (!allowEmpty && value.trim() === '') this.fail(node.offset, `${name} is empty; accepted: ${accepted}`);
    if (/[\r\n\0]/.test(value)) this.fail(node.offset, `${name} ${this.shown(node)} holds a line break or NUL; accepted: ${accepted} on one line`);
    return value;
  }

  boolean(node: Node, name: string): boolean {
    if (node.type !== 'boolean') this.fail(node.offset, `${name} ${this.shown(node)} is not a yes/no value; accepted: true or false (without quotes)`);
    return node.value as boolean;
  }

  integer(node: Node, name: string, min: number, max: number, unit: string): number {
    const accepted = `accepted: ${min} to ${max}${unit}`;
    if (node.type !== 'number' || !Number.isInteger(node.value)) this.fail(node.offset, `${name} ${this.shown(node)} is not a whole number; ${accepted}`);
    const value = node.value as number;
    if (value < min || value > max) this.fail(node.offset, `${name} ${value} is out of range; ${accepted}`);
    return value;
  }

  oneOf<T extends string>(node: Node, name: string, choices: readonly T[]): T {
    const accepted = `accepted: ${choices.map((c) => `"${c}"`).join(', ')}`;
    if (node.type !== 'string') this.fail(node.offset, `${name} ${this.kind(node)} is not a string; ${accepted}`);
    const value = (node.value as string).toLowerCase();
    const found = choices.find((c) => c === value);
    if (!found) this.fail(node.offset, `${name} ${this.shown(node)} is not known; ${accepted}`);
    return found;
  }
}

/** The child `key` of an object node, if present. */
export function field(node: Node, key: string): Node | undefined {
  return findNodeAtLocation(node, [key]);
}
