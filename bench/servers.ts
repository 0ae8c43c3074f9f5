// The two servers under test, started the way each is deployed, from the same device file:
//  - upsgate: one Node process running the bundle, `run --nut-conf DIR`;
//  - NUT 2.8.0: Debian's dummy-ups and upsd, spawned together, foreground, state in the folder.
// And the baseline for memory: an empty Node process.
import { join } from 'node:path';
import { AdminAccount } from '../src/ui/security/admin-account.js';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { makeNutFolder } from './nut-folder.js';
import { freePort } from './ports.js';
import { Proc, removeDir } from './processes.js';

export const UPSD = '/lib/nut/upsd';
export const DUMMY_UPS = '/lib/nut/dummy-ups';

export type ServerKind = 'upsgate' | 'upsd';

export interface ServerUnderTest {
  kind: ServerKind;
  port: number;
  dir: string;
  /** performance.now() just before the first spawn. */
  spawnedAt: number;
  /** The process that serves port 3493 (upsgate / upsd). */
  main: Proc;
  /** Other processes that are part of the deployment (NUT: dummy-ups). */
  helpers: Proc[];
  all(): Proc[];
  /** Why the server cannot be serving any more, or undefined. */
  dead(): string | undefined;
  stop(): Promise<void>;
}

/** A clean environment: the same for every process measured, nothing inherited that changes Node. */
function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
}

export function checkPeers(bundle: string): void {
  const missing = [UPSD, DUMMY_UPS, bundle].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `missing: ${missing.join(', ')}\n(NUT: apt-get install -y nut-server; upsgate: npm run build)`,
    );
  }
}

function server(kind: ServerKind, port: number, dir: string, spawnedAt: number, main: Proc, helpers: Proc[]): ServerUnderTest {
  const all = (): Proc[] => [main, ...helpers];
  return {
    kind,
    port,
    dir,
    spawnedAt,
    main,
    helpers,
    all,
    dead: () => {
      const gone = all().find((p) => !p.running);
      return gone ? `${gone.name} exited:\n${gone.log}` : undefined;
    },
    stop: async () => {
      await Promise.all(all().map((p) => p.stop()));
      removeDir(dir);
    },
  };
}

/** With `mqttUrl`, the MQTT bridge is on too (publishing to that broker, Home Assistant discovery included). */
/** The web UI's admin password in the bench's gateway (its state folder is the temp NUT folder). */
export const BENCH_UI_PASSWORD = 'bench-password-1';

export async function startUpsgate(bundle: string, deviceFile: string, mqttUrl?: string, httpPort?: number): Promise<ServerUnderTest> {
  const port = await freePort();
  const dir = await makeNutFolder(port, deviceFile, mqttUrl);
  const http = httpPort === undefined ? [] : ['--http', `127.0.0.1:${httpPort}`];
  // The UI's admin account exists already, as after a first visit: the bench logs in like a browser.
  if (httpPort !== undefined) await new AdminAccount(join(dir, 'web-admin.json')).create(BENCH_UI_PASSWORD);
  const t0 = performance.now();
  const main = Proc.spawn('upsgate', process.execPath, [bundle, 'run', '--nut-conf', dir, ...http], { env: { ...baseEnv(), STATE_DIRECTORY: dir } });
  return server('upsgate', port, dir, t0, main, []);
}

/** dummy-ups and upsd spawned back to back, as an init system starting both services would. */
export async function startNut(deviceFile: string): Promise<ServerUnderTest> {
  const port = await freePort();
  const dir = await makeNutFolder(port, deviceFile);
  const env = { ...baseEnv(), NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir };
  // As root the daemons would switch to user nut, who cannot read our 0700 temp dir.
  const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  const t0 = performance.now();
  const driver = Proc.spawn('dummy-ups', DUMMY_UPS, ['-a', 'ups', '-F', ...asRoot], { env });
  const upsd = Proc.spawn('upsd', UPSD, ['-F', ...asRoot], { env });
  return server('upsd', port, dir, t0, upsd, [driver]);
}

export function startEmptyNode(): Proc {
  return Proc.spawn('empty node', process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { env: baseEnv() });
}
