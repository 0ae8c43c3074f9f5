// The two servers of an interop test: the reference (real upsd + dummy-ups) and the target
// (upsgate). Both serve copies of the same config folder that differ only in the LISTEN port.
//
// UPSGATE_TEST_TARGET=upsd makes the target a second real NUT: the tests then check themselves
// (upsd against upsd must pass, which proves a failure against upsgate is upsgate's).
import { NutConfDir, RealNut, requirePeers, type ConfDirOptions, type ExitStatus } from './nut-sandbox.js';
import { freeDualStackPort } from './ports.js';
import { UpsgateProcess } from './upsgate-process.js';

export type TargetKind = 'upsgate' | 'upsd';

export function targetKind(): TargetKind {
  const v = process.env.UPSGATE_TEST_TARGET ?? 'upsgate';
  if (v !== 'upsgate' && v !== 'upsd') throw new Error(`UPSGATE_TEST_TARGET must be upsgate or upsd, not ${v}`);
  return v;
}

/** What the tests need from either server. */
export interface NutServer {
  readonly kind: TargetKind;
  readonly port: number;
  readonly conf: NutConfDir;
  /** True while the server process (upsd or upsgate) is alive. */
  running(): boolean;
  /** The server process's PID (upsd's, or upsgate's). */
  readonly pid: number | undefined;
  logs(): string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and everything it needed; its exit status. */
  stop(): Promise<ExitStatus>;
}

export interface Pair {
  reference: RealNut;
  target: NutServer;
  stop(): Promise<void>;
}

/** Starts real NUT on a fresh copy of the folder. */
export async function startReference(opts: Omit<ConfDirOptions, 'port'>): Promise<RealNut> {
  requirePeers('upsd', 'dummy-ups');
  const conf = await NutConfDir.create({ ...opts, port: await freeDualStackPort() });
  try {
    return await RealNut.start(conf);
  } catch (err) {
    await conf.remove();
    throw err;
  }
}

/** Starts the target (upsgate, or real NUT with UPSGATE_TEST_TARGET=upsd) on a copy of `like`. */
export async function startTarget(like: NutConfDir, kind: TargetKind = targetKind()): Promise<NutServer> {
  const conf = await like.cloneWithPort(await freeDualStackPort());
  try {
    if (kind === 'upsd') return await RealNut.start(conf);
    const proc = await UpsgateProcess.start({ conf });
    return {
      kind: 'upsgate',
      port: proc.port,
      conf,
      running: () => proc.running,
      pid: proc.pid,
      logs: () => proc.logs(),
      stop: async () => {
        const status = await proc.stop();
        await conf.remove();
        return status;
      },
    };
  } catch (err) {
    await conf.remove();
    throw err;
  }
}

/** Starts only the target, on a fresh folder (for tests with absolute expectations). */
export async function startTargetOnly(opts: Omit<ConfDirOptions, 'port'>, kind: TargetKind = targetKind()): Promise<NutServer> {
  const base = await NutConfDir.create({ ...opts, port: 0 });
  try {
    return await startTarget(base, kind);
  } finally {
    await base.remove();
  }
}

/** Reference and target side by side, on the same folder. */
export async function startPair(opts: Omit<ConfDirOptions, 'port'>): Promise<Pair> {
  const reference = await startReference(opts);
  let target: NutServer;
  try {
    target = await startTarget(reference.conf);
  } catch (err) {
    await reference.stop();
    throw err;
  }
  return {
    reference,
    target,
    stop: async () => {
      await Promise.all([reference.stop(), target.stop()]);
    },
  };
}

export { requirePeers };
