// The bench measures one fixed build: dist/upsgate.mjs is copied aside at the start (others may
// rebuild dist/ while a 3-minute bench runs) and its hash goes into the results. The copy sits in
// .bench/, one level below the repo like dist/, so paths the bundle resolves from itself still work.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { trackPath } from './processes.js';

export interface BundleUnderTest {
  path: string;
  sha256: string;
  builtAt: string;
}

export function snapshotBundle(root: string): BundleUnderTest {
  const src = join(root, 'dist/upsgate.mjs');
  const builtAt = statSync(src).mtime.toISOString();
  mkdirSync(join(root, '.bench'), { recursive: true });
  const path = trackPath(join(root, '.bench', `upsgate-under-test-${process.pid}.mjs`));
  copyFileSync(src, path);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { path, sha256, builtAt };
}
