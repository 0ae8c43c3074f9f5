// NUT config folders in temp dirs, and the real NUT (Debian's upsd + dummy-ups) running on them,
// the way NUT's own integration suite (tests/NIT/nit.sh) runs it: NUT_CONFPATH, NUT_STATEPATH and
// NUT_ALTPIDPATH all point at the temp dir, every daemon stays in the foreground (-F), upsd
// listens on a port picked for the test.
//
// The same folder can be produced again with another port for upsgate: the LISTEN lines of
// upsd.conf are the only difference between the two copies.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineClient } from './line-client.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Where Debian puts the real peers, and the package that brings each one. */
export const NUT_BINARIES = {
  upsd: { path: '/lib/nut/upsd', pkg: 'nut-server' },
  'dummy-ups': { path: '/lib/nut/dummy-ups', pkg: 'nut-server' },
  upsmon: { path: '/lib/nut/upsmon', pkg: 'nut-client' },
  upsc: { path: '/usr/bin/upsc', pkg: 'nut-client' },
  upscmd: { path: '/usr/bin/upscmd', pkg: 'nut-client' },
  upsrw: { path: '/usr/bin/upsrw', pkg: 'nut-client' },
  pynut: { path: '/usr/lib/python3/dist-packages/PyNUT.py', pkg: 'python3-nut' },
  nutdrv_qx: { path: '/lib/nut/nutdrv_qx', pkg: 'nut-server' },
  blazer_ser: { path: '/lib/nut/blazer_ser', pkg: 'nut-server' },
  apcsmart: { path: '/lib/nut/apcsmart', pkg: 'nut-server' },
  'snmp-ups': { path: '/lib/nut/snmp-ups', pkg: 'nut-snmp' },
  socat: { path: '/usr/bin/socat', pkg: 'socat' },
  snmpsimd: { path: '/usr/bin/snmpsimd', pkg: 'snmpsim' },
} as const;
export type NutBinary = keyof typeof NUT_BINARIES;

/** Throws (never skips) with the exact command that installs what is missing. */
export function requirePeers(...names: NutBinary[]): void {
  const missing = names.filter((n) => !existsSync(NUT_BINARIES[n].path));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((n) => NUT_BINARIES[n].pkg))];
  throw new Error(
    `missing real NUT peer(s): ${missing.map((n) => NUT_BINARIES[n].path).join(', ')}\n` +
      `install them with:  apt-get update && apt-get install -y ${pkgs.join(' ')}`,
  );
}

const isRoot = process.getuid?.() === 0;
/** As root the NUT daemons would drop to user `nut`, who cannot read our temp dir: stay root. */
export const RUN_AS: string[] = isRoot ? ['-u', 'root'] : [];

export interface ConfDirOptions {
  /** A folder under test/fixtures/ whose regular files are copied (e.g. 'nut-conf'). */
  fixture?: string;
  /** Extra files or overrides: name → content. */
  files?: Record<string, string>;
  /** The port for the LISTEN lines. */
  port: number;
  /** Addresses for the LISTEN lines (default 127.0.0.1 and ::1). */
  listen?: string[];
}

const LISTEN_RE = /^\s*LISTEN\b.*$/;

/** A NUT config folder in a temp dir (ups.conf, upsd.conf, upsd.users, .dev/.seq files…). */
export class NutConfDir {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly listen: string[],
    private readonly files: Map<string, string>,
  ) {}

  static async create(opts: ConfDirOptions): Promise<NutConfDir> {
    const files = new Map<string, string>();
    if (opts.fixture !== undefined) {
      const src = join(FIXTURES, opts.fixture);
      for (const name of (await readdir(src)).sort()) {
        if ((await stat(join(src, name))).isFile()) files.set(name, await readFile(join(src, name), 'latin1'));
      }
    }
    for (const [name, content] of Object.entries(opts.files ?? {})) files.set(name, content);
    const listen = opts.listen ?? ['127.0.0.1', '::1'];
    files.set('upsd.conf', withListen(files.get('upsd.conf') ?? '', listen, opts.port));
    if (!files.has('ups.conf')) throw new Error('a NUT config folder needs a ups.conf');
    if (!files.has('upsd.users')) files.set('upsd.users', '');
    // A short path: driver sockets live here and a Unix socket path has ~107 bytes.
    const dir = await mkdtemp(join(tmpdir(), 'upsgate-nut-'));
    for (const [name, content] of files) await writeFile(join(dir, name), content, 'latin1');
    // upsd warns when upsd.users is readable by others; keep the logs quiet.
    await chmod(join(dir, 'upsd.users'), 0o600);
    return new NutConfDir(dir, opts.port, listen, files);
  }

  /** The same folder in another temp dir; only the LISTEN lines (the port) differ. */
  async cloneWithPort(port: number): Promise<NutConfDir> {
    const files: Record<string, string> = {};
    for (const [name, content] of this.files) files[name] = content;
    return NutConfDir.create({ files, port, listen: this.listen });
  }

  /** The text of a file as written. */
  file(name: string): string {
    const content = this.files.get(name);
    if (content === undefined) throw new Error(`no ${name} in the config folder`);
    return content;
  }

  /** UPS section names of ups.conf, in file order. */
  upsNames(): string[] {
    return [...this.file('ups.conf').matchAll(/^\s*\[([^\]]+)\]/gm)].map((m) => m[1]!);
  }

  /** Replaces a file in place (e.g. a .dev file a test rewrites). */
  async writeFile(name: string, content: string): Promise<void> {
    this.files.set(name, content);
    await writeFile(join(this.dir, name), content, 'latin1');
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

function withListen(upsdConf: string, listen: string[], port: number): string {
  const rest = upsdConf.split('\n').filter((l) => !LISTEN_RE.test(l));
  return [...listen.map((a) => `LISTEN ${a} ${port}`), ...rest].join('\n').replace(/\n*$/, '\n');
}

// ---------------------------------------------------------------------------------------------
// Child processes. Every PID we start is remembered; only those are ever signalled, and any still
// running when the test process exits are killed then.

const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** How a process ended; `killed` when SIGTERM was not enough and SIGKILL had to be sent. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
}

export class Daemon {
  private out = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    private readonly maxLog = 256 * 1024,
  ) {
    started.add(child);
    const add = (chunk: Buffer): void => {
      this.out += chunk.toString('latin1');
      if (this.out.length > this.maxLog) this.out = this.out.slice(-this.maxLog);
    };
    child.stdout?.on('data', add);
    child.stderr?.on('data', add);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        started.delete(child);
        resolve({ code, signal });
      });
      child.once('error', (err) => {
        add(Buffer.from(`\n[spawn error: ${err.message}]\n`));
        started.delete(child);
        resolve({ code: null, signal: null });
      });
    });
  }

  static spawn(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Daemon {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    return new Daemon(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  /** stdout and stderr as received (the last 256 KiB). */
  get log(): string {
    return this.out;
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with how it ended. */
  async stop(timeoutMs = 5000): Promise<ExitStatus> {
    if (!this.running) return { ...(await this.exited), killed: false };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut && this.running) this.child.kill('SIGKILL');
    return { ...(await this.exited), killed: timedOut };
  }
}

// ---------------------------------------------------------------------------------------------
// Readiness, shared with the upsgate process helper.

/**
 * Waits until a NUT server on `port` answers `LIST UPS` and, for each UPS, `GET VAR <ups>
 * ups.status` with a value other than WAIT (upsd's placeholder until a driver's dump is done).
 * `alive` lets the wait fail early when the server process died.
 */
export async function waitUntilServing(
  port: number,
  upsNames: string[],
  opts: { timeoutMs?: number; host?: string; alive?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20000);
  let last = 'no connection yet';
  while (Date.now() < deadline) {
    const dead = opts.alive?.();
    if (dead !== undefined) throw new Error(`server died while starting: ${dead}`);
    let client: LineClient | undefined;
    try {
      client = await LineClient.connect(port, { host: opts.host ?? '127.0.0.1', connectTimeoutMs: 1000, quietMs: 1000 });
      const list = await client.request('LIST UPS');
      if (!list.startsWith('BEGIN LIST UPS')) {
        last = `LIST UPS -> ${list}`;
      } else {
        let ok = true;
        for (const ups of upsNames) {
          const st = await client.request(`GET VAR ${ups} ups.status`);
          if (!st.startsWith('VAR ') || st.endsWith('"WAIT"')) {
            last = `GET VAR ${ups} ups.status -> ${st}`;
            ok = false;
            break;
          }
        }
        if (ok) return;
      }
    } catch (err) {
      last = (err as Error).message;
    } finally {
      await client?.close();
    }
    await sleep(100);
  }
  throw new Error(`NUT server on port ${port} not ready: ${last}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

/** The environment the NUT programs get for a config folder. */
export function nutEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
    NUT_CONFPATH: dir,
    NUT_STATEPATH: dir,
    NUT_ALTPIDPATH: dir,
  };
}

/** Real upsd + one dummy-ups per UPS section, serving a NutConfDir. */
export class RealNut {
  readonly kind = 'upsd' as const;

  private constructor(
    readonly conf: NutConfDir,
    readonly upsd: Daemon,
    readonly drivers: Map<string, Daemon>,
  ) {}

  get port(): number {
    return this.conf.port;
  }

  get dir(): string {
    return this.conf.dir;
  }

  /** Starts the drivers, then upsd, and waits until every UPS answers. */
  static async start(conf: NutConfDir, opts: { readyTimeoutMs?: number } = {}): Promise<RealNut> {
    requirePeers('upsd', 'dummy-ups');
    const env = nutEnv(conf.dir);
    const drivers = new Map<string, Daemon>();
    for (const ups of conf.upsNames()) {
      drivers.set(ups, Daemon.spawn(`dummy-ups ${ups}`, NUT_BINARIES['dummy-ups'].path, ['-a', ups, '-F', ...RUN_AS], env));
    }
    // Drivers first: upsd finds their sockets at once instead of retrying later.
    await waitFor(() => conf.upsNames().every((u) => existsSync(join(conf.dir, `dummy-ups-${u}`))), 10000);
    const upsd = Daemon.spawn('upsd', NUT_BINARIES.upsd.path, ['-F', ...RUN_AS], env);
    const nut = new RealNut(conf, upsd, drivers);
    try {
      await waitUntilServing(conf.port, conf.upsNames(), {
        timeoutMs: opts.readyTimeoutMs ?? 20000,
        alive: () => {
          for (const d of [upsd, ...drivers.values()]) if (!d.running) return `${d.name} exited:\n${d.log}`;
          return undefined;
        },
      });
    } catch (err) {
      const logs = nut.logs();
      await nut.stop({ keepDir: true });
      throw new Error(`${(err as Error).message}\n--- logs (${conf.dir}) ---\n${logs}`);
    }
    return nut;
  }

  get pid(): number | undefined {
    return this.upsd.pid;
  }

  /** True while upsd is alive. */
  running(): boolean {
    return this.upsd.running;
  }

  /** upsd's and every driver's output. */
  logs(): string {
    return [this.upsd, ...this.drivers.values()].map((d) => `[${d.name}]\n${d.log}`).join('\n');
  }

  /** Stops a driver (upsd then reports DRIVER-NOT-CONNECTED for that UPS). */
  async stopDriver(ups: string): Promise<void> {
    await this.drivers.get(ups)?.stop();
  }

  /** Stops upsd and the drivers we started (by PID), then removes the folder; upsd's exit. */
  async stop(opts: { keepDir?: boolean } = {}): Promise<ExitStatus> {
    const status = await this.upsd.stop();
    await Promise.all([...this.drivers.values()].map((d) => d.stop()));
    if (!opts.keepDir) await this.conf.remove();
    return status;
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

/** Copies a fixture file somewhere (for tests that build folders by hand). */
export async function copyFixture(name: string, to: string): Promise<void> {
  await copyFile(join(FIXTURES, name), to);
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`) and collects its output. */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' },
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    started.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('latin1')));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('latin1')));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20000);
    child.on('error', (err) => {
      stderr += `[spawn error: ${err.message}]`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      started.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Real upsmon on `dir/upsmon.conf`, in the foreground with a debug log (-D), as one process that
 * runs SHUTDOWNCMD itself (-p). upsmon 2.8.0 insists on /run/nut/upsmon.pid, so it runs in a
 * mount namespace of its own with a private tmpfs on /run/nut (`unshare -m`): several can run at
 * once and none touches the machine's /run/nut. unshare and sh exec in place, so the PID we hold
 * is upsmon's.
 */
export function spawnUpsmon(dir: string, name = 'upsmon'): Daemon {
  if (!existsSync('/usr/bin/unshare')) throw new Error('unshare (util-linux) is needed to give each upsmon its own /run/nut');
  // The mount point must exist on the host; the tmpfs on it stays inside the namespace.
  mkdirSync('/run/nut', { recursive: true });
  const script = `mount -t tmpfs -o size=1m,mode=0770 upsgate-test /run/nut && exec ${NUT_BINARIES.upsmon.path} -D -p`;
  return Daemon.spawn(name, '/usr/bin/unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', script], nutEnv(dir), dir);
}
