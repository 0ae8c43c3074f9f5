import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode, whatever the umask says (default 0600: settings may hold secrets). */
  mode?: number;
  /** Fault injection for tests: runs after the temporary file is written, before it replaces the old one. */
  beforeRename?(tempFile: string): Promise<void>;
}

/**
 * Writes a file so that a reader sees the old content or the new, never a part: a temporary file
 * in the same folder, written and fsynced, renamed over the old one, then the folder fsynced so
 * the rename itself survives a power cut. On failure the temporary file is removed.
 */
export async function writeFileAtomically(file: string, data: Buffer | string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const folder = dirname(file);
  const temp = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** Makes renames and deletions in a folder survive a power cut (fsync of the folder itself). */
export async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
