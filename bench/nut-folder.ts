// The NUT config folder both servers read: one UPS "ups" on NUT's dummy-ups driver, fed by the same
// device file, served on a loopback port chosen at runtime. upsd and upsgate each get a copy that
// differs only in the LISTEN port; the files are those a real NUT install would have.
import { chmod, copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { trackPath } from './processes.js';

export const UPS = 'ups';
/** The account the MQTT latency phase uses to change the simulated UPS (upsgate's folder only). */
export const BENCH_ADMIN = { user: 'bench', password: 'benchpass' };
export const BENCH_GATEWAY_ID = 'bench';

/** With `mqttUrl`, upsgate's folder also turns the MQTT bridge on (upsgate.json) and has BENCH_ADMIN. */
export async function makeNutFolder(port: number, deviceFile: string, mqttUrl?: string): Promise<string> {
  // A short path: dummy-ups puts its Unix socket here, and those paths are limited to ~107 bytes.
  const dir = trackPath(await mkdtemp(join(tmpdir(), 'upsgate-bench-')));
  const dev = basename(deviceFile);
  await copyFile(deviceFile, join(dir, dev));
  await writeFile(
    join(dir, 'ups.conf'),
    `# upsgate bench: the same UPS for upsd+dummy-ups and for upsgate\n[${UPS}]\n\tdriver = dummy-ups\n\tport = ${dev}\n\tdesc = "bench UPS"\n`,
  );
  await writeFile(join(dir, 'upsd.conf'), `LISTEN 127.0.0.1 ${port}\n`);
  await writeFile(join(dir, 'upsd.users'), mqttUrl ? `[${BENCH_ADMIN.user}]\n\tpassword = ${BENCH_ADMIN.password}\n\tactions = SET\n` : '');
  if (mqttUrl) {
    await writeFile(join(dir, 'upsgate.json'), JSON.stringify({ mqtt: { url: mqttUrl, gatewayId: BENCH_GATEWAY_ID, stateFile: join(dir, 'energy.json') } }));
  }
  // Both servers warn about access-control files others can read; keep their logs quiet.
  await chmod(join(dir, 'upsd.conf'), 0o640);
  await chmod(join(dir, 'upsd.users'), 0o600);
  return dir;
}
