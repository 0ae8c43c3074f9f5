/**
 * `upsname[@hostname[:port]]` and `hostname[:port]` as libupsclient splits them
 * (upscli_splitname / upscli_splitaddr), corner cases included: `[::1]:3493` for IPv6, a port
 * read by strtol (so `3493x` is 3493), leading `@`/`:` skipped the way C's strtok skips them.
 * The C functions cut a copy of the text in place with strtok; this does the same on an array,
 * so every odd input splits as it does for upsc.
 */

export const NUT_PORT = 3493;

export type Split<T> = { ok: true; value: T } | { ok: false; diagnostic?: string };

export interface UpsAddress {
  ups: string;
  host: string;
  port: number;
}

/** A C string being cut with strtok. */
class CString {
  private readonly chars: string[];
  private next = 0;

  constructor(text: string) {
    // libupsclient copies into a 512-byte buffer.
    this.chars = [...text.slice(0, 511)];
  }

  at(offset: number): string {
    let end = offset;
    while (end < this.chars.length && this.chars[end] !== '\0') end++;
    return this.chars.slice(offset, end).join('');
  }

  indexOf(ch: string, from = 0): number {
    for (let i = from; i < this.chars.length && this.chars[i] !== '\0'; i++) if (this.chars[i] === ch) return i;
    return -1;
  }

  /** strtok_r(start, delims) when start is given, strtok_r(NULL, …) when not; -1 for NULL. */
  strtok(delims: string, start?: number): number {
    let i = start ?? this.next;
    while (i < this.chars.length && this.chars[i] !== '\0' && delims.includes(this.chars[i]!)) i++;
    if (i >= this.chars.length || this.chars[i] === '\0') return -1;
    const token = i;
    while (i < this.chars.length && this.chars[i] !== '\0' && !delims.includes(this.chars[i]!)) i++;
    if (i < this.chars.length && this.chars[i] !== '\0') {
      this.chars[i] = '\0';
      this.next = i + 1;
    } else {
      this.next = i;
    }
    return token;
  }
}

/** C's strtol(s, NULL, 10), enough for a port (leading blanks, sign, digits). */
function strtolPort(s: string): number {
  const m = /^[\s]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function splitAddress(text: string): Split<{ host: string; port: number }> {
  if (text === '') return { ok: false, diagnostic: "upscli_splitaddr: can't parse empty string" };
  const s = new CString(text);
  let host: number;
  let portAt: number;
  if (s.at(0).startsWith('[')) {
    if (s.indexOf(']') < 0) return { ok: false, diagnostic: 'upscli_splitaddr: missing closing bracket in [domain literal]' };
    host = s.strtok(']', 1);
    if (host < 0) return { ok: false };
    const rest = s.strtok('');
    if (rest < 0 || s.at(rest)[0] !== ':') return { ok: true, value: { host: s.at(host), port: NUT_PORT } };
    portAt = rest;
  } else {
    const colon = s.indexOf(':');
    host = s.strtok(':', 0);
    if (host < 0) return { ok: false };
    if (colon < 0) return { ok: true, value: { host: s.at(host), port: NUT_PORT } };
    portAt = colon;
  }
  const portText = s.at(portAt + 1);
  const port = strtolPort(portText);
  if (portText === '' || port < 1 || port > 65535) {
    return { ok: false, diagnostic: "upscli_splitaddr: no port specified after ':' separator" };
  }
  return { ok: true, value: { host: s.at(host), port } };
}

export function splitUpsName(text: string | undefined): Split<UpsAddress> {
  if (text === undefined) return { ok: false };
  if (text === '') return { ok: false, diagnostic: "upscli_splitname: can't parse empty string" };
  const s = new CString(text);
  const at = s.indexOf('@');
  const ups = s.strtok('@', 0);
  if (ups < 0) return { ok: false };
  if (at < 0) return { ok: true, value: { ups: s.at(ups), host: 'localhost', port: NUT_PORT } };
  const addr = splitAddress(s.at(at + 1));
  if (!addr.ok) return addr;
  return { ok: true, value: { ups: s.at(ups), ...addr.value } };
}
