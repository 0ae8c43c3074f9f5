/**
 * Which MIB table reads this agent (NUT load_mib2nut). `mibs = auto`: first the tables whose
 * vendor subtree holds the agent's sysObjectID, then — as NUT's "classic" method — the first
 * table, in order, whose model OID answers. A named table must answer its model OID too.
 */
import { DriverConfigError } from '../driver.js';
import type { MibDefinition } from './mib-types.js';
import type { SnmpAgent } from './mib-walker.js';
import { mibByName, MIBS } from './mibs/index.js';

const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';

function under(oid: string, prefix: string): boolean {
  return oid === prefix || oid.startsWith(`${prefix}.`);
}

async function answers(agent: SnmpAgent, mib: MibDefinition): Promise<boolean> {
  return (await agent.get(mib.probeOid)) !== undefined;
}

export interface Selected {
  mib: MibDefinition;
  sysObjectId: string | undefined;
}

/** Rejects with the agent's transport error; a DriverConfigError when no table fits. */
export async function selectMib(agent: SnmpAgent, mibs: string, what: string): Promise<Selected> {
  const sys = await agent.get(SYS_OBJECT_ID);
  const sysObjectId = sys?.type === 'oid' ? sys.value.replace(/^\./, '') : undefined;
  if (mibs !== 'auto') {
    const mib = mibByName(mibs);
    if (mib && (await answers(agent, mib))) return { mib, sysObjectId };
    throw new DriverConfigError(`${what}: requested 'mibs' value '${mibs}' is not applicable to this device (its model OID ${mib?.probeOid} does not answer); try mibs = auto`);
  }
  if (sysObjectId !== undefined) {
    for (const mib of MIBS) if (mib.sysOids.some((p) => under(sysObjectId, p)) && (await answers(agent, mib))) return { mib, sysObjectId };
  }
  for (const mib of MIBS) if (!mib.sysOidOnly && (await answers(agent, mib))) return { mib, sysObjectId };
  throw new DriverConfigError(
    `${what}: no supported device detected (sysObjectID ${sysObjectId ?? 'unknown'}; tables known: ${MIBS.map((m) => m.name).join(', ')})`,
  );
}
