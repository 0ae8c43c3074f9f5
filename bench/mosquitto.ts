// The broker the bench's gateway publishes to: Debian's mosquitto on a loopback port, no
// persistence, its config and log in a temp dir. Started once for the whole run.
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './phases.js';
import { freePort } from './ports.js';
import { Proc, trackPath } from './processes.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Broker {
  url: string;
  port: number;
  proc: Proc;
  stop(): Promise<void>;
}

export async function startBroker(): Promise<Broker> {
  if (!existsSync(MOSQUITTO)) throw new Error(`missing: ${MOSQUITTO} (apt-get install -y mosquitto)`);
  const port = await freePort();
  const dir = trackPath(await mkdtemp(join(tmpdir(), 'upsgate-bench-mqtt-')));
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file ${join(dir, 'log')}\n`);
  const proc = Proc.spawn('mosquitto', MOSQUITTO, ['-c', conf]);
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (!proc.running || Date.now() > deadline) throw new Error(`mosquitto did not start:\n${proc.log}`);
    await sleep(50);
  }
  return { url: `mqtt://127.0.0.1:${port}`, port, proc, stop: () => proc.stop() };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
