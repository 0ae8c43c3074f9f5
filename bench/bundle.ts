// The bench measures one fixed build: dist/ (the entry and its chunks) is copied aside at the
// start (others may rebuild dist/ while a 3-minute bench runs) and a hash of every file goes into
// the results. The copy sits in .bench/<name>/, two levels below the repo; the bundle finds
// share/devices from there as it does from dist/ (see gateway/defaults.ts).
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { trackPath } from './processes.js';

export interface BundleUnderTest {
  path: string;
  sha256: string;
  builtAt: string;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

export function snapshotBundle(root: string): BundleUnderTest {
  const dist = join(root, 'dist');
  const builtAt = statSync(join(dist, 'upsgate.mjs')).mtime.toISOString();
  const copy = trackPath(join(root, '.bench', `dist-under-test-${process.pid}`));
  cpSync(dist, copy, { recursive: true });
  const hash = createHash('sha256');
  for (const f of filesBelow(copy)) hash.update(relative(copy, f)).update(readFileSync(f));
  return { path: join(copy, 'upsgate.mjs'), sha256: hash.digest('hex'), builtAt };
}
