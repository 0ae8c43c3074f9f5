/** Writing upsgate.json: canonical JSON, checked by the reader before it is written, atomically, with a backup. */
import { writeFileAtomically, type AtomicWriteOptions } from './atomic-write.js';
import type { GatewaySettings } from './settings-model.js';
import { parseSettings } from './settings.js';
import { mqttForFile } from './settings-mqtt.js';
import { readSmallFile } from './small-file.js';

/**
 * The file's JSON (no `file`, no undefined fields, every other field written even at its
 * default); parseSettings reads it back to the same. No mqtt key when the bridge is off.
 */
export function formatSettings(s: GatewaySettings): string {
  const { file: _file, mqtt, http, led, ...rest } = s;
  const listen = http ? { http: { listen: http.listen.host.includes(':') ? `[${http.listen.host}]:${http.listen.port}` : `${http.listen.host}:${http.listen.port}` } } : {};
  return `${JSON.stringify({ ...rest, ...(mqtt ? { mqtt: mqttForFile(mqtt) } : {}), ...listen, ...(led ? { led } : {}) }, null, 2)}\n`;
}

/** Fault injection for tests: runs after the temporary file is written, before it replaces the old one. */
export type SaveHooks = Pick<AtomicWriteOptions, 'beforeRename'>;

/**
 * Atomic: the new text goes to a temporary file in the same folder (0600), is fsynced and renamed
 * over the old one, then the folder is fsynced. The previous file, if it was a good one, is kept
 * as `<file>.bak` first. What is saved is checked with parseSettings, so a file that could not be
 * loaded again is never written. Comments in the old file are not carried over.
 */
export async function saveSettings(file: string, s: GatewaySettings, hooks: SaveHooks = {}): Promise<void> {
  const text = formatSettings(s);
  parseSettings(text, file);
  let previous: Buffer | undefined;
  try {
    previous = await readSmallFile(file);
    parseSettings(new TextDecoder('utf-8', { fatal: true }).decode(previous), file);
  } catch {
    previous = undefined; // none, or not a good copy: keep the older .bak as it is
  }
  try {
    if (previous) await writeFileAtomically(`${file}.bak`, previous);
    await writeFileAtomically(file, Buffer.from(text, 'utf8'), hooks);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`${file}: the settings could not be saved (${why}); the previous file is unchanged`, { cause: error });
  }
}
