// Debian's snmpsimd serving recordings on 127.0.0.1 for the SNMP tests: a temp data dir with the
// recordings (control OIDs made writable through snmpsim's writecache module, so a command's SET
// is stored and read back), a free UDP port, started and stopped by PID only.
import { createSocket } from 'node:dgram';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, NUT_BINARIES, requirePeers, runCommand, sleep } from './nut-sandbox.js';

const isRoot = process.getuid?.() === 0;

/** A UDP port nobody is bound to right now (bind to 0, read it, close). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A bound UDP socket that never answers: requests to it time out. Close it when done. */
export function silentUdpPort(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.on('message', () => undefined);
    s.bind(0, '127.0.0.1', () =>
      resolve({ port: s.address().port, close: () => new Promise<void>((r) => s.close(() => r())) }),
    );
  });
}

/** `OID|2|v` lines → `OID|2:writecache|value=v` for the given OIDs (subtree prefixes). */
export function makeWritable(snmprec: string, prefixes: string[]): string {
  return snmprec
    .split('\n')
    .map((line) => {
      const [oid, tag, value] = line.split('|');
      if (oid === undefined || tag === undefined || value === undefined || tag.includes(':')) return line;
      if (!prefixes.some((p) => oid === p || oid.startsWith(`${p}.`))) return line;
      return `${oid}|${tag}:writecache|value=${value}`;
    })
    .join('\n');
}

export interface SnmpsimOptions {
  /** community (file name without .snmprec) → recording text. */
  files: Record<string, string>;
  /** SNMPv3 user (snmpsim's --v3-* options); without it snmpsim runs v1/v2c only. */
  v3?: { user: string; authKey: string; authProto: string; privKey: string; privProto: string };
}

export class Snmpsim {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly daemon: Daemon,
  ) {}

  static async start(opts: SnmpsimOptions): Promise<Snmpsim> {
    requirePeers('snmpsimd');
    const dir = await mkdtemp(join(tmpdir(), 'upsgate-snmpsim-'));
    const data = join(dir, 'data');
    const cache = join(dir, 'cache');
    await mkdir(data);
    await mkdir(cache);
    for (const [community, text] of Object.entries(opts.files)) await writeFile(join(data, `${community}.snmprec`), text);
    // snmpsimd drops to nobody as root: both dirs must be theirs to use.
    for (const d of [dir, data, cache]) await chmod(d, 0o777);
    const port = await freeUdpPort();
    const args = [
      `--data-dir=${data}`, `--cache-dir=${cache}`, `--agent-udpv4-endpoint=127.0.0.1:${port}`, '--logging-method=stderr',
      ...(opts.v3
        ? [`--v3-user=${opts.v3.user}`, `--v3-auth-key=${opts.v3.authKey}`, `--v3-auth-proto=${opts.v3.authProto}`,
           `--v3-priv-key=${opts.v3.privKey}`, `--v3-priv-proto=${opts.v3.privProto}`]
        : ['--v2c-arch']),
      ...(isRoot ? ['--process-user=nobody', '--process-group=nogroup'] : []),
    ];
    const daemon = Daemon.spawn('snmpsimd', NUT_BINARIES.snmpsimd.path, args, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir });
    const sim = new Snmpsim(port, dir, daemon);
    const community = Object.keys(opts.files)[0]!;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (!daemon.running) throw new Error(`snmpsimd exited:\n${daemon.log}`);
      // v1/v2c: a real GET answers; v3 (no context here): the listening line is enough.
      if (opts.v3 ? /Listening at UDP/.test(daemon.log) : (await sim.snmpget(community, '1.3.6.1.2.1.1.2.0')).code === 0) break;
      if (Date.now() > deadline) {
        await sim.stop();
        throw new Error(`snmpsimd did not answer on 127.0.0.1:${port}:\n${daemon.log}`);
      }
      await sleep(200);
    }
    return sim;
  }

  /** Debian's snmpget, numeric output: `OID = TYPE: value`. */
  snmpget(community: string, oid: string) {
    return runCommand('snmpget', ['-v2c', '-c', community, '-On', '-r', '0', '-t', '2', `127.0.0.1:${this.port}`, oid]);
  }

  get log(): string {
    return this.daemon.log;
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export const APC_RECORDING = new URL('../fixtures/snmp/apc-smart-ups-1500-ap9631.snmprec', import.meta.url).pathname;

export async function apcRecording(): Promise<string> {
  return readFile(APC_RECORDING, 'latin1');
}
