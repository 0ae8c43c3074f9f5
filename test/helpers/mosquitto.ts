// Debian's real mosquitto broker for the MQTT tests, and its real command-line clients
// (mosquitto_sub, mosquitto_pub) as an independent peer on the other side of the broker.
//
// Each broker gets a fresh temp dir holding its config, log file and (by default) its data; it
// listens on 127.0.0.1 only, on a port picked for the test (kept across restart() so clients can
// reconnect to the same address). Every process is started and signalled by its own PID only;
// the Daemon registry of nut-sandbox.ts kills whatever is still running when the test process
// exits, so a crashing test never leaves a broker behind.
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failure } from './fail.js';
import { Daemon, runCommand, sleep } from './nut-sandbox.js';
import { freePort } from './ports.js';

export const MOSQUITTO_BINARIES = {
  mosquitto: { path: '/usr/sbin/mosquitto', pkg: 'mosquitto' },
  mosquitto_passwd: { path: '/usr/bin/mosquitto_passwd', pkg: 'mosquitto' },
  mosquitto_sub: { path: '/usr/bin/mosquitto_sub', pkg: 'mosquitto-clients' },
  mosquitto_pub: { path: '/usr/bin/mosquitto_pub', pkg: 'mosquitto-clients' },
} as const;

/** Throws (never skips) with the exact command that installs what is missing. */
export function requireMosquitto(): void {
  const missing = Object.values(MOSQUITTO_BINARIES).filter((b) => !existsSync(b.path));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((b) => b.pkg))];
  throw new Error(
    `missing real MQTT peer(s): ${missing.map((b) => b.path).join(', ')}\n` +
      `install them with:  apt-get update && apt-get install -y ${pkgs.join(' ')}`,
  );
}

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
const isRoot = process.getuid?.() === 0;

export interface MosquittoOptions {
  /** persistence true with the data dir as persistence_location, saved every second. */
  persistence?: boolean;
  /** Accounts in a password file (mosquitto_passwd -b); anonymous logins are then refused. */
  users?: { username: string; password: string }[];
  /** A second listener speaking TLS with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /** Listen on this port (a restart keeps its port anyway). */
  port?: number;
  /** Keep the data here (a broker started again on it finds its retained messages). */
  dataDir?: string;
  /** Same for the TLS listener. */
  tlsPort?: number;
}

export interface Mosquitto {
  readonly port: number;
  readonly tlsPort: number | undefined;
  /** mqtt://127.0.0.1:PORT */
  readonly url: string;
  /** mqtts://127.0.0.1:TLSPORT when there is a TLS listener. */
  readonly tlsUrl: string | undefined;
  readonly dataDir: string;
  /** The PID of the broker running now (changes on restart). */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The broker's log file so far (log_type all: connects, subscribes, refusals). */
  log(): Promise<string>;
  /** SIGTERM by PID, waits for the exit, removes the temp dir (and the data, unless keepData). */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL by PID, waits for the exit; files stay (restart() can follow). */
  kill9(): Promise<void>;
  /** Stops the broker if it runs and starts it again on the same port(s), config and data dir. */
  restart(): Promise<void>;
  /** SIGSTOP by PID: the kernel still accepts connections, the broker answers nothing (a hung broker, a half-open link). */
  freeze(): void;
  /** SIGCONT by PID. */
  thaw(): void;
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  requireMosquitto();
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-mosquitto-'));
  const dataDir = opts.dataDir ?? join(dir, 'data');
  const ownData = opts.dataDir === undefined;
  if (ownData) await mkdir(dataDir);
  const logFile = join(dir, 'mosquitto.log');
  const port = opts.port ?? (await freePort());
  const tlsPort = opts.tls ? (opts.tlsPort ?? (await freePort())) : undefined;

  const conf: string[] = [
    // As root the broker would drop to user mosquitto, who cannot read our temp dir.
    ...(isRoot ? ['user root'] : []),
    'per_listener_settings false',
    `log_dest file ${logFile}`,
    'log_type all',
    'connection_messages true',
    'log_timestamp_format %H:%M:%S',
  ];
  if (opts.users && opts.users.length > 0) {
    const passwordFile = join(dir, 'passwd');
    await writeFile(passwordFile, '', { mode: 0o600 });
    for (const u of opts.users) {
      const r = await runCommand(MOSQUITTO_BINARIES.mosquitto_passwd.path, ['-b', passwordFile, u.username, u.password], { env: ENV });
      if (r.code !== 0) throw new Error(`mosquitto_passwd -b for ${u.username} failed (${r.code}): ${r.stderr}${r.stdout}`);
    }
    conf.push('allow_anonymous false', `password_file ${passwordFile}`);
  } else {
    conf.push('allow_anonymous true');
  }
  if (opts.persistence) conf.push('persistence true', `persistence_location ${dataDir}/`, 'autosave_interval 1');
  conf.push(`listener ${port} 127.0.0.1`);
  if (opts.tls && tlsPort !== undefined) {
    conf.push(`listener ${tlsPort} 127.0.0.1`, `certfile ${opts.tls.certFile}`, `keyfile ${opts.tls.keyFile}`);
  }
  const confFile = join(dir, 'mosquitto.conf');
  await writeFile(confFile, conf.join('\n') + '\n');

  let daemon: Daemon | undefined;
  const logTail = async (): Promise<string> => {
    const file = await readFile(logFile, 'utf8').catch(() => '');
    return `--- mosquitto log (${logFile}) ---\n${file.slice(-4000)}\n--- stdout/stderr ---\n${daemon?.log.slice(-2000) ?? ''}`;
  };

  const launch = async (): Promise<void> => {
    const d = Daemon.spawn('mosquitto', MOSQUITTO_BINARIES.mosquitto.path, ['-c', confFile], ENV, dir);
    daemon = d;
    const deadline = Date.now() + 10_000;
    for (const p of [port, ...(tlsPort !== undefined ? [tlsPort] : [])]) {
      while (!(await accepts(p))) {
        if (!d.running) throw failure(`mosquitto exited while starting (${JSON.stringify(await d.exited)}):\n${await logTail()}`);
        if (Date.now() > deadline) {
          await d.stop();
          throw failure(`mosquitto did not accept connections on 127.0.0.1:${p} within 10 s:\n${await logTail()}`);
        }
        await sleep(50);
      }
    }
  };
  await launch();

  const broker: Mosquitto = {
    port,
    tlsPort,
    url: `mqtt://127.0.0.1:${port}`,
    tlsUrl: tlsPort !== undefined ? `mqtts://127.0.0.1:${tlsPort}` : undefined,
    dataDir,
    get pid() {
      return daemon?.running ? daemon.pid : undefined;
    },
    get running() {
      return daemon?.running ?? false;
    },
    log: async () => readFile(logFile, 'utf8').catch(() => ''),
    async stop(o = {}) {
      // A frozen broker would not act on SIGTERM until woken.
      if (daemon?.running) daemon.child.kill('SIGCONT');
      await daemon?.stop();
      await rm(dir, { recursive: true, force: true });
      if (ownData && !o.keepData) await rm(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      if (!daemon?.running) return;
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    },
    async restart() {
      if (daemon?.running) {
        daemon.child.kill('SIGCONT');
        await daemon.stop();
      }
      await launch();
    },
    freeze() {
      if (daemon?.running) daemon.child.kill('SIGSTOP');
    },
    thaw() {
      if (daemon?.running) daemon.child.kill('SIGCONT');
    },
  };
  return broker;
}

/** True when something accepts a TCP connection on 127.0.0.1:port (closed again at once). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// The other side: mosquitto_sub and mosquitto_pub.

export interface WatchedMessage {
  topic: string;
  payload: Buffer;
  /** The payload as UTF-8 text, for assertions. */
  text: string;
  retain: boolean;
  qos: number;
}

export interface ClientAuth {
  username?: string;
  password?: string;
}

let watcherSeq = 0;

/**
 * A real mosquitto_sub on `topic` (default `#`) collecting every message with its retain flag
 * and QoS. Resolves once the broker has sent its SUBACK (read from the broker's log, so the
 * watcher's own output stays messages only): what is published after that is seen.
 */
export class MqttWatcher {
  readonly messages: WatchedMessage[] = [];
  private partial = '';
  private readonly maxMessages = 10_000;

  private constructor(
    private readonly daemon: Daemon,
    readonly clientId: string,
  ) {
    // One line per message: "retain qos hexpayload topic" (hex so payloads may hold anything;
    // the topic last so it may hold spaces).
    daemon.child.stdout?.on('data', (chunk: Buffer) => {
      this.partial += chunk.toString('latin1');
      let nl: number;
      while ((nl = this.partial.indexOf('\n')) >= 0) {
        const line = this.partial.slice(0, nl);
        this.partial = this.partial.slice(nl + 1);
        const m = /^(\d) (\d) ([0-9a-f]*) (.*)$/.exec(line);
        if (!m) continue;
        const payload = Buffer.from(m[3]!, 'hex');
        if (this.messages.length >= this.maxMessages) this.messages.shift();
        this.messages.push({ retain: m[1] === '1', qos: Number(m[2]), payload, text: payload.toString('utf8'), topic: Buffer.from(m[4]!, 'latin1').toString('utf8') });
      }
    });
  }

  static async start(broker: Mosquitto, opts: ClientAuth & { topic?: string; qos?: 0 | 1 | 2 } = {}): Promise<MqttWatcher> {
    requireMosquitto();
    const clientId = `upsgate-watch-${process.pid}-${++watcherSeq}`;
    const args = ['-h', '127.0.0.1', '-p', String(broker.port), '-i', clientId, '-t', opts.topic ?? '#', '-q', String(opts.qos ?? 1), '-F', '%r %q %x %t'];
    if (opts.username !== undefined) args.push('-u', opts.username);
    if (opts.password !== undefined) args.push('-P', opts.password);
    const daemon = Daemon.spawn('mosquitto_sub', MOSQUITTO_BINARIES.mosquitto_sub.path, args, ENV);
    const watcher = new MqttWatcher(daemon, clientId);
    const deadline = Date.now() + 10_000;
    while (!(await broker.log()).includes(`Sending SUBACK to ${clientId}`)) {
      if (!daemon.running || Date.now() > deadline) {
        await daemon.stop();
        throw failure(`mosquitto_sub ${args.join(' ')} did not subscribe:\n${daemon.log}\n${(await broker.log()).slice(-3000)}`);
      }
      await sleep(50);
    }
    return watcher;
  }

  /** Waits until a message matching `predicate` has arrived (already or later); returns it. */
  async waitFor(predicate: (m: WatchedMessage) => boolean, timeoutMs = 5000, what = 'a matching message'): Promise<WatchedMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.messages.slice(-20).map((m) => `  ${m.retain ? 'R' : '-'} q${m.qos} ${m.topic} ${m.text.slice(0, 80)}`).join('\n');
        throw failure(`timed out after ${timeoutMs} ms waiting for ${what}; mosquitto_sub saw ${this.messages.length} message(s):\n${seen}\n${this.daemon.log.slice(-1000)}`);
      }
      await sleep(20);
    }
  }

  /** Messages on exactly this topic. */
  on(topic: string): WatchedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
  }
}

/** Shorthand for MqttWatcher.start. */
export function subscribeAll(broker: Mosquitto, opts: ClientAuth & { topic?: string; qos?: 0 | 1 | 2 } = {}): Promise<MqttWatcher> {
  return MqttWatcher.start(broker, opts);
}

/**
 * Publishes one message with the real mosquitto_pub (payload through a temp file, so any size
 * and any bytes go as they are). Throws with mosquitto_pub's output if it fails.
 */
export async function publishWith(
  port: number,
  topic: string,
  payload: string | Buffer,
  opts: ClientAuth & { retain?: boolean; qos?: 0 | 1 | 2 } = {},
): Promise<void> {
  requireMosquitto();
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-mqtt-pub-'));
  try {
    const file = join(dir, 'payload');
    await writeFile(file, payload);
    // -n sends a zero-length message (what clears a retained topic).
    const body = payload.length === 0 ? ['-n'] : ['-f', file];
    const args = ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', String(opts.qos ?? 0), ...body];
    if (opts.retain) args.push('-r');
    if (opts.username !== undefined) args.push('-u', opts.username);
    if (opts.password !== undefined) args.push('-P', opts.password);
    const r = await runCommand(MOSQUITTO_BINARIES.mosquitto_pub.path, args, { env: ENV, timeoutMs: 10_000 });
    if (r.code !== 0) throw failure(`mosquitto_pub ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr}${r.stdout}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
