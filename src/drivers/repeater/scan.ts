/**
 * `upsgate scan --nut HOST[:PORT]`: the UPSes of a NUT server the user names, each as a ready
 * ups.conf section for dummy-ups in repeater mode — what NUT 2.8.0's `nut-scanner -O` prints
 * ([nutdevN], driver = "dummy-ups", port = "ups@host:port", desc). Never a network sweep: only
 * the servers named are asked.
 */
import { encodeWord } from '../../conf/parseconf.js';
import { NutClient } from '../../nut-client/client.js';
import { splitUpsName } from './remote-ups.js';

/** `host[:port]` (IPv6 as `[addr]:port`) to a server address. */
export function parseServer(text: string): { host: string; port: number } | undefined {
  const parsed = splitUpsName(`x@${text}`);
  return parsed ? { host: parsed.host, port: parsed.port } : undefined;
}

export async function scanNutServer(text: string, firstIndex = 1): Promise<{ sections: string; count: number }> {
  const server = parseServer(text);
  if (!server) throw new Error(`--nut ${text}: accepted: host[:port], e.g. 192.0.2.10:3493 or [::1]:3493`);
  const client = await NutClient.connect({ host: server.host, port: server.port, tls: 'try', connectTimeoutMs: 5000 });
  try {
    const upses = await client.listUps();
    const host = server.host.includes(':') ? `[${server.host}]` : server.host;
    const sections = upses.map(([name, desc], i) =>
      [`[nutdev${firstIndex + i}]`, `\tdriver = "dummy-ups"`, `\tport = ${encodeWord(`${name}@${host}:${server.port}`)}`,
        ...(desc && desc !== 'Description unavailable' ? [`\tdesc = ${encodeWord(desc)}`] : []), ''].join('\n'));
    return { sections: sections.join('\n'), count: upses.length };
  } finally {
    await client.logout();
  }
}
