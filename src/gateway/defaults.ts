import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseUpsConf } from '../conf/ups-conf.js';
import { defaultUpsdConf } from '../conf/upsd-conf.js';
import type { NutFolder } from '../conf/nut-folder.js';

/**
 * The embedded defaults: one simulated UPS named "ups" (NUT's dummy-ups replaying a realistic
 * device file), NUT's default listeners (127.0.0.1 and ::1, port 3493) and no users — so
 * `upsc ups@localhost` works on a fresh install and nothing is reachable from the network.
 */
export function builtInFolder(): NutFolder {
  const dir = shareDir('devices');
  const ups = parseUpsConf(
    '[ups]\n  driver = dummy-ups\n  port = simulated-ups.dev\n  desc = "Simulated UPS (upsgate built-in)"\n',
    '<built-in ups.conf>',
  );
  return { dir, ups, upsd: defaultUpsdConf(), users: { file: undefined, users: [] }, warnings: [] };
}

/**
 * A folder of the package's share/ (devices, ui): above the bundle (dist/upsgate.mjs, or a chunk
 * in dist/chunks/, or a copy of dist/ one level further down) or above the sources (src/gateway/).
 */
export function shareDir(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [1, 2, 3].map((up) => path.resolve(here, '../'.repeat(up), 'share', name));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}
