import { open } from 'node:fs/promises';

/** Config files are small; anything bigger is a mistake (or /dev/zero) and must not eat the memory. */
export const MAX_CONF_BYTES = 4 * 1024 * 1024;

/** The file is not something a configuration can be read from; the message says why. */
export class NotASmallFile extends Error {}

/**
 * Reads a regular file of at most `max` bytes. Memory follows the file's size (not `max`), and the
 * read stops at `max + 1` bytes even if the file grows meanwhile.
 */
export async function readSmallFile(file: string, max = MAX_CONF_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotASmallFile('it is not a regular file');
    const tooBig = () => new NotASmallFile(`it is larger than ${max} bytes, the most a configuration file may have`);
    if (info.size > max) throw tooBig();
    const parts: Buffer[] = [];
    // One byte more than the size found, so that growth shows as a full buffer.
    let chunk = Buffer.allocUnsafe(info.size + 1);
    let used = 0;
    let total = 0;
    for (;;) {
      if (used === chunk.length) {
        parts.push(chunk);
        chunk = Buffer.allocUnsafe(64 * 1024);
        used = 0;
      }
      const { bytesRead } = await handle.read(chunk, used, chunk.length - used, null);
      if (bytesRead === 0) break;
      used += bytesRead;
      total += bytesRead;
      if (total > max) throw tooBig();
    }
    parts.push(chunk.subarray(0, used));
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
