// `npm run bench`: builds dist/upsgate.mjs when it is missing or older than the sources (the bench
// measures the bundle as shipped), then runs bench/main.ts through tsx in this same process.
// Options go after `--`: npm run bench -- --quick. See bench/main.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = join(root, 'dist/upsgate.mjs');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

const inputs = ['src', 'package.json', 'scripts/build.mjs'].map((p) => join(root, p));
if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...inputs.map(newestMtime))) {
  console.error('bench: dist/upsgate.mjs is missing or older than src/: npm run build');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
await import('../bench/main.ts');
