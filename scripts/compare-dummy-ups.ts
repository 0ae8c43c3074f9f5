// Compares upsgate's dummy-ups with NUT's real one (Debian's /lib/nut/dummy-ups) on device files.
//
//   node --import tsx scripts/compare-dummy-ups.ts [--jobs N] [--updates N] [--verbose] <dir-or-file>...
//
// For every .dev/.seq file: the real driver runs in dump mode (`-a sim -d 1`) from a temp folder
// holding a generated ups.conf, with its working directory elsewhere, as the daemon's is. In dump
// mode NUT does not wait between updates: it reads at 0, 1, 2 and 3 s (each update pauses 1 s),
// prints every variable and exits. That is the daemon's timing with pollinterval 1, so the
// generated ups.conf says `pollinterval = 1` and ours runs in-process on a virtual clock to 3 s
// (`--updates N` passes `-d N`: N + 2 s). The variables are compared by name and value (NUT's dump prints values escaped, so ours are escaped the same way); driver.version*
// is ignored. A developer tool, not part of `npm test`.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { UpsSection } from '../src/conf/model.js';
import { Device } from '../src/core/device.js';
import { silentLogger } from '../src/core/logger.js';
import { dstateGetinfo } from '../src/drivers/dstate-text.js';
import { createDriver } from '../src/drivers/registry.js';
import { FakeClock } from '../test/helpers/fake-clock.js';

const NUT_DRIVER = '/lib/nut/dummy-ups';
/** `-d N`: NUT dumps after the reads at 0, 1, …, N + 2 s. */
let updates = 1;
const IGNORED = /^driver\.version(\.|$)/i;

type Vars = Map<string, string>;
interface Outcome {
  vars?: Vars;
  error?: string;
}
interface Difference {
  kind: 'missing' | 'extra' | 'value' | 'failure';
  name: string;
  nut?: string;
  ours?: string;
}

function findFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else if (/\.(dev|seq)$/.test(p)) {
      out.push(p);
    }
  };
  paths.forEach(walk);
  return out;
}

/** A temp folder: conf/ (ups.conf + the file as sim.<ext>) and state/ (the driver's cwd). */
function prepare(file: string): { root: string; conf: string; state: string; section: UpsSection } {
  const root = mkdtempSync(join(tmpdir(), 'compare-dummy-'));
  const conf = join(root, 'conf');
  const state = join(root, 'state');
  mkdirSync(conf);
  mkdirSync(state);
  const port = `sim${extname(file)}`;
  copyFileSync(file, join(conf, port));
  writeFileSync(join(conf, 'ups.conf'), `[sim]\n\tdriver = dummy-ups\n\tport = ${port}\n\tpollinterval = 1\n`);
  const pos = (line: number) => ({ file: join(conf, 'ups.conf'), line, column: 2 });
  const section: UpsSection = {
    name: 'sim',
    pos: pos(1),
    entries: [
      { key: 'driver', value: 'dummy-ups', pos: pos(2) },
      { key: 'port', value: port, pos: pos(3) },
      { key: 'pollinterval', value: '1', pos: pos(4) },
    ],
    driver: 'dummy-ups',
    port,
    desc: undefined,
    sdorder: 0,
    pollinterval: 1,
    maxretry: undefined,
    retrydelay: undefined,
    maxstartdelay: undefined,
  };
  return { root, conf, state, section };
}

function runNut(conf: string, state: string): Promise<Outcome> {
  const args = ['-a', 'sim', '-d', String(updates)];
  if (process.getuid?.() === 0) args.push('-u', 'root');
  return new Promise((resolve) => {
    const child = spawn(NUT_DRIVER, args, {
      cwd: state,
      env: { ...process.env, NUT_CONFPATH: conf, NUT_STATEPATH: state },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('latin1')));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      const vars: Vars = new Map();
      for (const line of out.split('\n')) {
        const i = line.indexOf(': ');
        if (i < 0 || line.startsWith('Network UPS Tools - ')) continue;
        vars.set(line.slice(0, i), line.slice(i + 2));
      }
      if (code !== 0 || vars.size === 0) resolve({ error: `exit ${code}: ${(err || out).trim().split('\n').pop()}` });
      else resolve({ vars });
    });
  });
}

async function runOurs(conf: string, section: UpsSection): Promise<Outcome> {
  const clock = new FakeClock();
  const device = new Device(section.name, clock);
  const driver = createDriver({ section, pollIntervalSeconds: 1, confDir: conf, device, clock, log: silentLogger });
  // File reads are real I/O: move the virtual clock in small steps, letting them finish between.
  const settle = async () => {
    for (let i = 0; i < 1000 && clock.pendingTimers() === 0 && device.availability() !== 'not-connected'; i++) {
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  let failure: unknown;
  let started = false;
  const start = driver.start().then(
    () => (started = true),
    (e) => (failure = e),
  );
  while (!started && failure === undefined) {
    for (let i = 0; i < 1000 && clock.pendingTimers() === 0 && !started && failure === undefined; i++) {
      await new Promise((r) => setTimeout(r, 1));
    }
    if (started || failure !== undefined) break;
    await clock.advance(100);
  }
  await start;
  if (failure !== undefined) return { error: String(failure) };
  while (clock.now() < (updates + 2) * 1000) {
    await settle();
    await clock.advance(100);
  }
  await settle();
  const vars: Vars = new Map();
  for (const v of device.variables()) vars.set(v.name, dstateGetinfo(v.value));
  await driver.stop();
  return { vars };
}

function compare(nut: Outcome, ours: Outcome): Difference[] {
  if (!nut.vars || !ours.vars) {
    if (!nut.vars && !ours.vars) return [];
    return [{ kind: 'failure', name: '(driver)', nut: nut.error ?? 'ran', ours: ours.error ?? 'ran' }];
  }
  const diffs: Difference[] = [];
  const lower = (m: Vars) => new Map([...m].map(([k, v]) => [k.toLowerCase(), { k, v }]));
  const a = lower(nut.vars);
  const b = lower(ours.vars);
  for (const [key, { k, v }] of a) {
    if (IGNORED.test(k)) continue;
    const o = b.get(key);
    if (!o) diffs.push({ kind: 'missing', name: k, nut: v });
    else if (o.v !== v) diffs.push({ kind: 'value', name: k, nut: v, ours: o.v });
  }
  for (const [key, { k, v }] of b) if (!IGNORED.test(k) && !a.has(key)) diffs.push({ kind: 'extra', name: k, ours: v });
  return diffs;
}

async function compareFile(file: string): Promise<Difference[]> {
  const { root, conf, state, section } = prepare(file);
  try {
    const [nut, ours] = await Promise.all([runNut(conf, state), runOurs(conf, section)]);
    return compare(nut, ours);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let jobs = 12;
  let verbose = false;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--jobs') jobs = Number(argv[++i]);
    else if (a === '--verbose') verbose = true;
    else if (a === '--updates') updates = Number(argv[++i]);
    else paths.push(a);
  }
  if (paths.length === 0 || !(jobs >= 1) || !(updates >= 1)) {
    process.stderr.write(
      'usage: node --import tsx scripts/compare-dummy-ups.ts [--jobs N] [--updates N] [--verbose] <dir-or-file>...\n',
    );
    return 2;
  }
  const files = findFiles(paths);
  const results = new Map<string, Difference[]>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      results.set(file, await compareFile(file));
      if (results.size % 25 === 0) process.stderr.write(`${results.size}/${files.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));

  let identical = 0;
  const byKind = new Map<string, number>();
  for (const file of files) {
    const diffs = results.get(file)!;
    if (diffs.length === 0) {
      identical++;
      continue;
    }
    process.stdout.write(`DIFF ${file} (${diffs.length})\n`);
    for (const d of verbose ? diffs : diffs.slice(0, 5)) {
      byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
      process.stdout.write(`  ${d.kind} ${d.name}: nut=${JSON.stringify(d.nut)} ours=${JSON.stringify(d.ours)}\n`);
    }
    if (!verbose && diffs.length > 5) process.stdout.write(`  … ${diffs.length - 5} more (--verbose)\n`);
  }
  process.stdout.write(
    `\n${files.length} files, ${identical} identical, ${files.length - identical} different` +
      `${byKind.size > 0 ? ` (${[...byKind].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}\n`,
  );
  return identical === files.length ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
