/**
 * upsd.conf: one directive per line, keyword first, no "=". NUT 2.8 directives, plus the old
 * ACL/ACCEPT/REJECT access control of NUT <= 2.4, which upsgate enforces as an allow-list.
 */
import { isIP } from 'node:net';
import { AclBlockError, checkAclReferences, parseAclBlock } from './acl.js';
import { BOOLEAN_FORMS, errorAt, parseBoolean, parseInteger, readConfLines, show, showLine, type IntegerRule } from './conf-lines.js';
import type { ConfWarning } from './errors.js';
import type { SourcePos, UpsdConf } from './model.js';
import { encodeWord, type Word } from './parseconf.js';

export const DEFAULT_PORT = 3493;

const RULES = {
  MAXAGE: { label: 'MAXAGE', min: 1, max: 86400, unit: 'seconds' },
  TRACKINGDELAY: { label: 'TRACKINGDELAY', min: 0, max: 86400, unit: 'seconds' },
  MAXCONN: { label: 'MAXCONN', min: 1, max: 65535, unit: 'connections' },
  DEBUG_MIN: { label: 'DEBUG_MIN', min: 0, max: 99 },
  port: { label: 'LISTEN port', min: 1, max: 65535 },
  CERTREQUEST: { label: 'CERTREQUEST', min: 0, max: 2 },
} satisfies Record<string, IntegerRule>;

/** Directive → [fewest, most] words on the line, keyword included. */
const ARITY: Record<string, [number, number]> = {
  LISTEN: [2, 3], MAXAGE: [2, 2], TRACKINGDELAY: [2, 2], ALLOW_NO_DEVICE: [2, 2], ALLOW_NOT_ALL_LISTENERS: [2, 2],
  MAXCONN: [2, 2], STATEPATH: [2, 2], DATAPATH: [2, 2], CERTFILE: [2, 2], DISABLE_WEAK_SSL: [2, 2], DEBUG_MIN: [2, 2],
  CERTPATH: [2, 2], CERTIDENT: [3, 3], CERTREQUEST: [2, 2], ACL: [3, 3], ACCEPT: [2, Infinity], REJECT: [2, Infinity],
};
const USAGE: Record<string, string> = {
  LISTEN: 'LISTEN <address> [<port>]', MAXAGE: 'MAXAGE <seconds>', TRACKINGDELAY: 'TRACKINGDELAY <seconds>',
  ALLOW_NO_DEVICE: 'ALLOW_NO_DEVICE <true|false>', ALLOW_NOT_ALL_LISTENERS: 'ALLOW_NOT_ALL_LISTENERS <true|false>',
  MAXCONN: 'MAXCONN <connections>', STATEPATH: 'STATEPATH <directory>', DATAPATH: 'DATAPATH <directory>',
  CERTFILE: 'CERTFILE <PEM file>', DISABLE_WEAK_SSL: 'DISABLE_WEAK_SSL <true|false>', DEBUG_MIN: 'DEBUG_MIN <level>',
  CERTPATH: 'CERTPATH <NSS database directory>', CERTIDENT: 'CERTIDENT <certificate name> <database password>',
  CERTREQUEST: 'CERTREQUEST 0|1|2', ACL: 'ACL <name> <address>/<mask>', ACCEPT: 'ACCEPT <acl> [<acl>...]',
  REJECT: 'REJECT <acl> [<acl>...]',
};
const DIRECTIVES = Object.keys(USAGE);

export function defaultUpsdConf(): UpsdConf {
  return {
    file: undefined, listen: [], maxAge: 15, trackingDelay: 3600, allowNoDevice: false, allowNotAllListeners: false,
    maxConn: undefined, statePath: undefined, dataPath: undefined, certFile: undefined, disableWeakSsl: false,
    debugMin: undefined, acls: [], access: [],
  };
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

function isHostName(text: string): boolean {
  return text.length <= 253 && text.split('.').every((label) => HOST_LABEL.test(label));
}

class UpsdConfReader {
  readonly conf: UpsdConf;
  readonly warnings: ConfWarning[] = [];
  /** The first NSS-only TLS directive, if any: without CERTFILE it means TLS would silently be lost. */
  firstNssLine: Word | undefined;

  constructor(private readonly file: string) {
    this.conf = { ...defaultUpsdConf(), file };
  }

  line(words: Word[]): void {
    const first = words[0] as Word;
    // NUT matches DEBUG_MIN in any case (as debug_min in ups.conf); every other keyword exactly.
    const keyword = first.text.toUpperCase() === 'DEBUG_MIN' ? 'DEBUG_MIN' : first.text;
    const arity = ARITY[keyword];
    if (!arity) return this.unknown(words);
    const usage = USAGE[keyword] as string;
    const equals = words.findIndex((w) => w.text === '=');
    if (equals > 0) {
      const fixed = words.filter((_, i) => i !== equals).map((w) => w.text).join(' ');
      throw errorAt(this.file, words[equals] as Word, `${showLine(words)}: upsd.conf takes no "=" (NUT ignores this ` +
        `line); write "${fixed}" (the form is "${usage}")`);
    }
    if (words.length < arity[0]) {
      throw errorAt(this.file, first, `${showLine(words)} is incomplete (NUT ignores it as an invalid directive); write "${usage}"`);
    }
    const extra = words[arity[1]];
    if (extra) {
      throw errorAt(this.file, extra, `${showLine(words)}: ${keyword} takes ${arity[1] - 1} value(s) and NUT ignores ` +
        `the rest; write "${usage}" (quote a value that has spaces)`);
    }
    this.directive(keyword, words);
  }

  private directive(keyword: string, words: Word[]): void {
    const value = words[1] as Word;
    const c = this.conf;
    switch (keyword) {
      case 'LISTEN':
        return this.listen(value, words[2]);
      case 'MAXAGE':
        c.maxAge = parseInteger(this.file, value, RULES.MAXAGE);
        return;
      case 'TRACKINGDELAY':
        c.trackingDelay = parseInteger(this.file, value, RULES.TRACKINGDELAY);
        return;
      case 'MAXCONN':
        c.maxConn = parseInteger(this.file, value, RULES.MAXCONN);
        return;
      case 'DEBUG_MIN':
        c.debugMin = parseInteger(this.file, value, RULES.DEBUG_MIN);
        return;
      case 'ALLOW_NO_DEVICE':
        c.allowNoDevice = this.boolean(keyword, value, true);
        return;
      case 'ALLOW_NOT_ALL_LISTENERS':
        c.allowNotAllListeners = this.boolean(keyword, value, true);
        return;
      case 'DISABLE_WEAK_SSL':
        c.disableWeakSsl = this.boolean(keyword, value, false);
        return;
      case 'STATEPATH':
        c.statePath = this.nonEmpty(keyword, value);
        return;
      case 'DATAPATH':
        c.dataPath = this.nonEmpty(keyword, value);
        return;
      case 'CERTFILE':
        c.certFile = this.nonEmpty(keyword, value);
        return;
      case 'CERTREQUEST':
        parseInteger(this.file, value, RULES.CERTREQUEST);
        return this.nssOnly(words);
      case 'CERTPATH':
      case 'CERTIDENT':
        return this.nssOnly(words);
      case 'ACL':
        return this.acl(value, words[2] as Word);
      default:
        for (const name of words.slice(1)) {
          c.access.push({ action: keyword === 'ACCEPT' ? 'accept' : 'reject', acl: name.text, pos: this.pos(name) });
        }
    }
  }

  private listen(host: Word, port: Word | undefined): void {
    if (host.text.startsWith('[') && host.text.endsWith(']')) {
      throw errorAt(this.file, host, `LISTEN ${show(host.text)}: write the IPv6 address without brackets, ` +
        `e.g. "LISTEN ${host.text.slice(1, -1)}" (NUT hands the address to getaddrinfo, which refuses brackets)`);
    }
    if (host.text !== '*' && isIP(host.text) === 0 && !isHostName(host.text)) {
      throw errorAt(this.file, host, `LISTEN ${show(host.text)} is not an address; accepted: an IPv4 address ` +
        '(0.0.0.0 = all), an IPv6 address (:: = all), a host name, or * (every address)');
    }
    const number = port ? parseInteger(this.file, port, RULES.port) : DEFAULT_PORT;
    const twin = this.conf.listen.find((l) => l.host === host.text && l.port === number);
    if (twin) {
      throw errorAt(this.file, host, `LISTEN ${host.text} ${number} repeats line ${twin.pos.line}: the second socket ` +
        'could not be bound; remove one');
    }
    this.conf.listen.push({ host: host.text, port: number, pos: this.pos(host) });
  }

  private acl(name: Word, block: Word): void {
    try {
      const parsed = parseAclBlock(block.text);
      this.conf.acls.push({ name: name.text, ...parsed, pos: this.pos(name) });
    } catch (e) {
      if (!(e instanceof AclBlockError)) throw e;
      throw errorAt(this.file, block, `ACL ${name.text}: ${e.message}`);
    }
  }

  private boolean(keyword: string, value: Word, numbersToo: boolean): boolean {
    const b = parseBoolean(value.text);
    if (b !== undefined) return b;
    // NUT reads any number here for these two (non-zero = true).
    if (numbersToo && /^[0-9]+$/.test(value.text)) return Number(value.text) !== 0;
    throw errorAt(this.file, value, `${keyword} ${show(value.text)} is not a yes/no value; accepted: ${BOOLEAN_FORMS}`);
  }

  private nonEmpty(keyword: string, value: Word): string {
    if (value.text === '') throw errorAt(this.file, value, `${keyword} is empty; write "${USAGE[keyword]}"`);
    return value.text;
  }

  private nssOnly(words: Word[]): void {
    const first = words[0] as Word;
    this.firstNssLine ??= first;
    this.warnings.push({
      file: this.file, line: first.line, column: first.column,
      message: `${first.text} configures NUT's NSS TLS backend, which upsgate does not have: ignored ` +
        '(upsgate uses CERTFILE, one PEM file with the certificate chain and its key)',
    });
  }

  private unknown(words: Word[]): never {
    const first = words[0] as Word;
    const upper = first.text.toUpperCase();
    let hint = '';
    if (DIRECTIVES.includes(upper)) hint = ` (keywords are case-sensitive: write ${upper})`;
    else if (upper === 'ACCESS') hint = ' (ACCESS is NUT 2.0 syntax: use ACL with ACCEPT/REJECT, or LISTEN)';
    else if (words.some((w) => w.text === '=')) hint = ' (upsd.conf has no "=": write "KEYWORD value")';
    throw errorAt(this.file, first, `unknown directive ${show(first.text)}${hint}; NUT ignores it ("invalid directive"); ` +
      `accepted: ${DIRECTIVES.join(', ')}`);
  }

  private pos(w: Word): SourcePos {
    return { file: this.file, line: w.line, column: w.column };
  }
}

export function parseUpsdConf(text: string | Uint8Array, file: string): { conf: UpsdConf; warnings: ConfWarning[] } {
  const reader = new UpsdConfReader(file);
  for (const words of readConfLines(text, file)) reader.line(words);
  checkAclReferences(reader.conf);
  if (reader.firstNssLine && reader.conf.certFile === undefined) {
    throw errorAt(file, reader.firstNssLine, `${reader.firstNssLine.text} configures TLS for NUT's NSS build; upsgate ` +
      'reads CERTFILE instead (one PEM file with the certificate chain and its private key). Export it from the NSS ' +
      'database with "pk12util -o upsd.p12 -d sql:<CERTPATH> -n <CERTIDENT name>" and ' +
      '"openssl pkcs12 -in upsd.p12 -nodes -out upsd.pem", then write "CERTFILE upsd.pem"');
  }
  return { conf: reader.conf, warnings: reader.warnings };
}

// ---- writer --------------------------------------------------------------------------------------

/** Canonical upsd.conf: settings that differ from the defaults, then ACLs and rules in order. */
export function writeUpsdConf(conf: UpsdConf): string {
  const d = defaultUpsdConf();
  const lines: string[] = [];
  const put = (keyword: string, ...values: string[]) => lines.push([keyword, ...values.map(encodeWord)].join(' '));
  for (const l of conf.listen) put('LISTEN', l.host, String(l.port));
  if (conf.maxAge !== d.maxAge) put('MAXAGE', String(conf.maxAge));
  if (conf.trackingDelay !== d.trackingDelay) put('TRACKINGDELAY', String(conf.trackingDelay));
  if (conf.allowNoDevice) put('ALLOW_NO_DEVICE', 'true');
  if (conf.allowNotAllListeners) put('ALLOW_NOT_ALL_LISTENERS', 'true');
  if (conf.maxConn !== undefined) put('MAXCONN', String(conf.maxConn));
  if (conf.statePath !== undefined) put('STATEPATH', conf.statePath);
  if (conf.dataPath !== undefined) put('DATAPATH', conf.dataPath);
  if (conf.certFile !== undefined) put('CERTFILE', conf.certFile);
  if (conf.disableWeakSsl) put('DISABLE_WEAK_SSL', 'true');
  if (conf.debugMin !== undefined) put('DEBUG_MIN', String(conf.debugMin));
  const access: string[] = [];
  const putAccess = (keyword: string, ...values: string[]) => access.push([keyword, ...values.map(encodeWord)].join(' '));
  for (const a of conf.acls) putAccess('ACL', a.name, `${a.network}/${a.prefix}`);
  for (const r of conf.access) putAccess(r.action === 'accept' ? 'ACCEPT' : 'REJECT', r.acl);
  const blocks = [lines, access].filter((b) => b.length > 0).map((b) => b.join('\n'));
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}
