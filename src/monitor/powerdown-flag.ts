import { readFile, unlink } from 'node:fs/promises';
import { writeFileAtomically } from '../conf/atomic-write.js';

/**
 * upsmon's POWERDOWNFLAG: the file a primary writes just before SHUTDOWNCMD so that the
 * late-shutdown hook knows to cut the UPS's load. Its content is NUT's magic, so a flag written
 * by NUT's upsmon and one written by upsgate are interchangeable (`upsmon -K` accepts ours).
 */
export const POWERDOWN_MAGIC = 'upsmon-shutdown-file';

/** Written atomically: a half-written flag must not exist. */
export async function writePowerdownFlag(file: string): Promise<void> {
  await writeFileAtomically(file, POWERDOWN_MAGIC, { mode: 0o644 });
}

/** `upsmon -K`: true when the flag exists and starts with the magic. */
export async function powerdownFlagSet(file: string): Promise<boolean> {
  try {
    const content = await readFile(file, { encoding: 'latin1' });
    return content.startsWith(POWERDOWN_MAGIC);
  } catch {
    return false;
  }
}

/**
 * At start-up upsmon removes a flag left from the last outage, but only one that carries the
 * magic: a file of the same name that is something else is not ours to delete.
 */
export async function clearStalePowerdownFlag(file: string): Promise<'removed' | 'absent' | 'foreign'> {
  if (!(await powerdownFlagSet(file))) {
    try {
      await readFile(file);
      return 'foreign';
    } catch {
      return 'absent';
    }
  }
  await unlink(file);
  return 'removed';
}
