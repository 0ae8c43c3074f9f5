import { open } from 'node:fs/promises';

/** Config files are small; anything bigger is a mistake (or /dev/zero) and must not eat the memory. */
export const MAX_CONF_BYTES = 4 * 1024 * 1024;

/** The file is not something a configuration can be read from; the message says why. */
export class NotASmallFile extends Error {}

/**
 * Reads a regular file of at most `max` bytes, never holding more than `max + 1` bytes even if the
 * file grows while it is read.
 */
export async function readSmallFile(file: string, max = MAX_CONF_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotASmallFile('it is not a regular file');
    const tooBig = () => new NotASmallFile(`it is larger than ${max} bytes, the most a configuration file may have`);
    if (info.size > max) throw tooBig();
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > max) throw tooBig();
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
