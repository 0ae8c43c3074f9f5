/**
 * What the three tools share: connecting as libupsclient does for them (upsc tries STARTTLS,
 * upscmd and upsrw do not), the version line, and the address errors worded as NUT words them.
 */
import { NutClient } from '../../nut-client/client.js';
import { VERSION } from '../version.js';
import { clientErrorText, fatal, type ToolIo } from './tool-io.js';
import { splitAddress, splitUpsName, type UpsAddress } from './ups-address.js';

/** The NUT release whose tools these reproduce. */
export const NUT_VERSION = '2.8.0';

export function versionLine(tool: string): string {
  return `Network UPS Tools ${tool} ${NUT_VERSION} (upsgate ${VERSION})`;
}

/** libupsclient reads every reply with a 5 s timeout (DEFAULT_NETWORK_TIMEOUT). */
const NETWORK_TIMEOUT_MS = 5000;

export async function connectFor(io: ToolIo, host: string, port: number, tls: 'try' | 'off'): Promise<NutClient> {
  try {
    return await NutClient.connect({ host, port, tls, requestTimeoutMs: NETWORK_TIMEOUT_MS });
  } catch (e) {
    fatal(io, `Error: ${clientErrorText(e)}`);
  }
}

/** upscli_splitname, or NUT's message (`twoLines`: upsc puts the format on its own line). */
export function upsArgument(io: ToolIo, text: string | undefined, twoLines: boolean): UpsAddress {
  const split = splitUpsName(text);
  if (split.ok) return split.value;
  if (split.diagnostic) io.err(`${split.diagnostic}\n`);
  fatal(io, `Error: invalid UPS definition.${twoLines ? '\n' : '  '}Required format: upsname[@hostname[:port]]`);
}

export function hostArgument(io: ToolIo, text: string): { host: string; port: number } {
  const split = splitAddress(text);
  if (split.ok) return split.value;
  if (split.diagnostic) io.err(`${split.diagnostic}\n`);
  fatal(io, 'Error: invalid hostname.\nRequired format: [hostname[:port]]');
}
