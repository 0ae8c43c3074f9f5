// Bundles the gateway into dist/: the entry dist/upsgate.mjs (what the SD image and `npm start`
// run) and, beside it in dist/chunks/, the parts only some set-ups need (the USB HID driver, the
// monitor, upsgate.json's reader, the NUT tools), which the entry imports when a configuration
// asks for them. A gateway with one simulated UPS so never loads the code for the others — idle
// memory is a budget (DESIGN.md). Native modules (node-hid, serialport) stay external: they are
// installed beside it.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

// Old chunks would pile up (their names carry a hash).
await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { upsgate: 'src/gateway/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
    // Bundled CommonJS dependencies may call require(); give them one (every chunk has its own scope).
    js: "#!/usr/bin/env node\nimport { createRequire as __upsgateRequire } from 'node:module';\nconst require = __upsgateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
