/**
 * The UPS identifier NUT clients take (upsmon's MONITOR, upsc): `upsname[@host[:port]]`, with an
 * IPv6 address in brackets. Read as libupsclient's upscli_splitname reads it, except that what it
 * would misread (an unbracketed IPv6 address, "3493x", text after "]") is refused.
 */
import { isIP } from 'node:net';
import { errorAt, show } from './conf-lines.js';
import type { Word } from './parseconf.js';

export const DEFAULT_UPSD_PORT = 3493;

const HOST_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
/** Characters upsmon would put on the wire unquoted (`GET VAR <ups> ups.status`), so a name cannot hold them. */
const UPSNAME_OK = /^[^\s"\\#@:[\]]+$/;

function isHostName(text: string): boolean {
  return text.length <= 253 && text.split('.').every((label) => HOST_LABEL.test(label));
}

/** `upsname[@host[:port]]`, `upsname@[ipv6]:port` — what upscli_splitname reads, minus what it misreads. */
export function splitSystem(file: string, word: Word, label = 'MONITOR system'): { upsName: string; host: string; port: number } {
  const text = word.text;
  const form = 'accepted: <upsname>, <upsname>@<host>, <upsname>@<host>:<port>, <upsname>@[<IPv6 address>]:<port>';
  const fail = (what: string): never => {
    throw errorAt(file, word, `${label} ${show(text)}: ${what}; ${form}`);
  };
  const at = text.indexOf('@');
  const upsName = at < 0 ? text : text.slice(0, at);
  if (!UPSNAME_OK.test(upsName)) {
    if (upsName === '') fail('the UPS name before "@" is empty');
    if (at < 0 && /:[0-9]+$/.test(upsName)) fail(`a port needs a host: write ${upsName.replace(/:/, '@localhost:')}`);
    fail('the UPS name holds a character upsmon sends unquoted (space, quote, \\, #, :, [ or ])');
  }
  if (at < 0) return { upsName, host: 'localhost', port: DEFAULT_UPSD_PORT };
  const rest = text.slice(at + 1);
  if (rest.includes('@')) fail('it has more than one "@"');
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail('the "[" of the address is never closed');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) fail(`${show(after)} after "]" is neither nothing nor ":<port>" (upsmon would ignore it)`);
    if (after !== '') portText = after.slice(1);
    if (isIP(host) === 0 && !isHostName(host)) fail(`${show(host)} is not an IPv6 address or a host name`);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) {
      fail(`an IPv6 address needs brackets (upsmon reads up to the first ":" as the host): ` +
        `write ${upsName}@[${rest}] or ${upsName}@[${rest}]:${DEFAULT_UPSD_PORT}`);
    }
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    if (colon >= 0) portText = rest.slice(colon + 1);
    if (host === '') fail('the host after "@" is empty');
    if (isIP(host) === 0 && !isHostName(host)) fail(`${show(host)} is not a host name or an IP address`);
  }
  if (portText === undefined) return { upsName, host, port: DEFAULT_UPSD_PORT };
  // upsmon reads "3493x" as 3493 and refuses ":" with nothing after it.
  if (!/^[0-9]+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    fail(`the port ${show(portText)} is not a whole number from 1 to 65535`);
  }
  return { upsName, host, port: Number(portText) };
}
