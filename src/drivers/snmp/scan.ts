/**
 * `upsgate scan --snmp HOST[:PORT]`: an SNMP card the user names, asked which MIB table reads it
 * (as snmp-ups's `mibs = auto` does), printed as a ready ups.conf section the way NUT 2.8.0's
 * `nut-scanner -S` prints one. Only the named host is asked; nothing is swept.
 */
import { encodeWord } from '../../conf/parseconf.js';
import { parseServer } from '../repeater/scan.js';
import { openNetSnmpAgent } from './net-snmp-agent.js';
import { selectMib } from './select-mib.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

export async function scanSnmpHost(text: string, community: string, index: number): Promise<string> {
  const target = parseServer(text);
  if (!target) throw new Error(`--snmp ${text}: accepted: host[:port] (IPv6 as [addr]:port), e.g. 192.0.2.20 or 192.0.2.20:161`);
  const port = /:\d+$/.test(text) ? target.port : 161;
  const agent = await openNetSnmpAgent({
    host: target.host, port, target: `${target.host}:${port}`, where: '--snmp', version: 'v1', community, mibs: 'auto',
    pollFreqMs: 30_000, retries: 1, timeoutMs: 2000, noTransferOids: false, symmetraThreePhase: false, delays: {},
  });
  try {
    const { mib } = await selectMib(agent, 'auto', `--snmp ${text}`);
    const descr = await agent.get(SYS_DESCR).catch(() => undefined);
    const desc = descr?.type === 'string' ? String(descr.value).trim() : undefined;
    const lines = [`[nutdev${index}]`, '\tdriver = "snmp-ups"', `\tport = ${encodeWord(port === 161 ? target.host : `${target.host}:${port}`)}`];
    if (desc) lines.push(`\tdesc = ${encodeWord(desc.replace(/[^\x20-\x7e]/g, '?').slice(0, 200))}`);
    lines.push(`\tmibs = ${encodeWord(mib.name)}`, `\tcommunity = ${encodeWord(community)}`, '');
    return lines.join('\n');
  } finally {
    agent.close();
  }
}
