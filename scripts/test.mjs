// `npm test`: make sure the real peers are here, build the bundle the integration tests run,
// then run every test file (unit, integration) with uvu.
import { spawnSync } from 'node:child_process';
import { ensurePeers } from './peers.mjs';

ensurePeers();

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npm', ['run', '--silent', 'build']);
const dirs = process.argv.slice(2);
const pattern = '.*\\.test\\.ts$';
for (const dir of dirs.length > 0 ? dirs : ['test']) {
  run(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', dir, pattern]);
}
