// The MIB tables upsgate knows, in the order `mibs = auto` tries them (NUT's order: vendor tables
// before the generic RFC 1628 one, so a card that serves both is read through its own MIB).
import type { MibDefinition } from '../mib-types.js';
import { APCC_MIB } from './apcc.js';
import { CYBERPOWER_MIB } from './cyberpower.js';
import { IETF_MIB, TRIPPLITE_MIB } from './ietf.js';
import { POWERWARE_MIB } from './powerware.js';

export const MIBS: readonly MibDefinition[] = [APCC_MIB, CYBERPOWER_MIB, POWERWARE_MIB, TRIPPLITE_MIB, IETF_MIB];

export function mibNames(): string[] {
  return MIBS.map((m) => m.name);
}

export function mibByName(name: string): MibDefinition | undefined {
  return MIBS.find((m) => m.name === name);
}
