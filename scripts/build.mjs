// Bundles the gateway into one ES module, dist/upsgate.mjs, as the SD image ships it.
// Native modules (node-hid, serialport) stay external: they are installed beside it.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/gateway/main.ts'],
  outfile: 'dist/upsgate.mjs',
  bundle: true,
  // ES builds first: jsonc-parser's main entry is a UMD file whose inner require() calls esbuild cannot follow.
  mainFields: ['module', 'main'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // nodemailer is loaded only when an e-mail channel sends (it is a dependency, installed beside the bundle).
  external: ['node-hid', 'serialport', '@serialport/*', 'nodemailer'],
  define: { UPSGATE_VERSION: JSON.stringify(pkg.version) },
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one.
    js: "#!/usr/bin/env node\nimport { createRequire as __upsgateRequire } from 'node:module';\nconst require = __upsgateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
