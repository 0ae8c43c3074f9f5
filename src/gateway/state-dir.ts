import { accessSync, constants } from 'node:fs';

/**
 * Where upsgate keeps what it learns while running (energy totals, chart history, the web UI's
 * admin account): systemd's StateDirectory=upsgate, else the folder the image creates. Undefined
 * when it is not writable; each caller says what that costs.
 */
export function writableStateDir(): { dir: string; writable: boolean } {
  const dir = process.env.STATE_DIRECTORY?.split(':')[0] ?? '/var/lib/upsgate';
  try {
    accessSync(dir, constants.W_OK);
    return { dir, writable: true };
  } catch {
    return { dir, writable: false };
  }
}
