// `npm test`: make sure the real peers are here, build the bundle the integration tests run,
// then run every test file (unit, integration) with uvu.
import { spawnSync } from 'node:child_process';
import { ensurePeers } from './peers.mjs';

ensurePeers();

// A test that leaves a server running would keep uvu alive for ever: bound every run.
const RUN_LIMIT_MS = 15 * 60_000;

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL' });
  if (r.error?.code === 'ETIMEDOUT') {
    console.error(`\n${cmd} ${args.join(' ')}: still running after ${RUN_LIMIT_MS / 60_000} minutes (a test left something open); stopped`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npm', ['run', '--silent', 'build']);
const dirs = process.argv.slice(2);
const pattern = '.*\\.test\\.ts$';
for (const dir of dirs.length > 0 ? dirs : ['test']) {
  run(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', dir, pattern]);
}
