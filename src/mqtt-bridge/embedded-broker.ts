/**
 * The embedded MQTT broker (aedes), for a box with no broker of its own: Home Assistant and the
 * bridge both connect to it. One node:net server per listen address. Bounded: a cap on
 * connections, on packet size (aedes has none of its own) and on the time to send CONNECT. Loaded
 * with a dynamic import only when mqtt.broker is configured, so aedes costs nothing otherwise.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import type { EmbeddedBrokerSettings } from '../conf/settings-model.js';
import type { Logger } from '../core/logger.js';
import { BrokerListenError } from './broker-listen-error.js';
import { FrameLimit } from './frame-limit.js';

export interface EmbeddedBroker {
  /** What was bound (the port is the real one when 0 was asked). */
  addresses: { host: string; port: number }[];
  close(): Promise<void>;
}

export interface BrokerLimits {
  maxConnections: number;
  maxPacketBytes: number;
}

/** A home needs a handful of clients; discovery configs of a large UPS stay well under 256 KiB. */
export const DEFAULT_BROKER_LIMITS: BrokerLimits = { maxConnections: 64, maxPacketBytes: 256 * 1024 };

/** MQTT 3.1.1 CONNACK return code 4. */
const BAD_USERNAME_OR_PASSWORD = 4;
const LOG_EVERY_MS = 10_000;

export async function startEmbeddedBroker(
  settings: EmbeddedBrokerSettings,
  log: Logger,
  limits: BrokerLimits = DEFAULT_BROKER_LIMITS,
): Promise<EmbeddedBroker> {
  const refusals = new Throttled(log);
  const aedes = await Aedes.createBroker({
    // Our clientIds may be 64 long (and `upsgate-` + a 64-character gateway id); MQTT 3.1's 23 is too few.
    maxClientsIdLength: 128,
    connectTimeout: 10_000,
    drainTimeout: 30_000,
    authenticate: (_client, username, password, done) => {
      if (settings.username === undefined || checkLogin(settings, username, password)) {
        done(null, true);
        return;
      }
      refusals.note('refused a login: wrong or missing user name or password (mqtt.broker username/password)');
      const error = Object.assign(new Error('bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }) as AuthenticateError;
      done(error, null);
    },
  });

  const sockets = new Set<Socket>();
  const accept = (socket: Socket): void => {
    socket.on('error', () => {});
    if (sockets.size >= limits.maxConnections) {
      refusals.note(`${limits.maxConnections} clients connected: refusing more`);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
    // After handle(): aedes reads with read() on 'readable', which emits 'data' for every chunk it takes.
    const frames = new FrameLimit(limits.maxPacketBytes);
    socket.on('data', (chunk: Buffer) => {
      const problem = frames.push(chunk);
      if (problem) {
        refusals.note(`dropped a client (${socket.remoteAddress ?? '?'}) that sent ${problem}`);
        socket.destroy();
      }
    });
  };

  const servers: Server[] = [];
  const addresses: EmbeddedBroker['addresses'] = [];
  const failures: string[] = [];
  for (const spec of settings.listen) {
    try {
      const server = await listen(spec, accept);
      const a = server.address();
      const bound = a && typeof a === 'object' ? { host: spec.host, port: a.port } : spec;
      servers.push(server);
      addresses.push(bound);
      server.on('error', (e) => log.error(`listener ${formatHost(bound.host)}:${bound.port}: ${e.message}`));
      log.info(`MQTT broker listening on ${formatHost(bound.host)} port ${bound.port}`);
    } catch (e) {
      failures.push(`cannot listen on ${formatHost(spec.host)} port ${spec.port}: ${explain(e as NodeJS.ErrnoException)}`);
    }
  }

  const close = async (): Promise<void> => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };

  if (failures.length > 0) {
    await close();
    const origin = settings.origin ?? 'mqtt.broker.listen';
    throw new BrokerListenError(
      failures.map((f) => `${origin}: ${f}`).join('\n') + '\n(accepted: a HOST:PORT of this machine that no other program uses)',
    );
  }
  return { addresses, close };
}

function listen(spec: { host: string; port: number }, accept: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, accept);
    server.once('error', reject);
    // "::" serves IPv6 only, as the NUT server's LISTEN does: IPv4 needs its own address.
    server.listen({ host: spec.host, port: spec.port, ipv6Only: spec.host.includes(':') }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Constant time in the secret: both sides hashed to the same length before comparing. */
function checkLogin(settings: EmbeddedBrokerSettings, username: string | undefined, password: Buffer | undefined): boolean {
  const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();
  const userOk = timingSafeEqual(digest(username ?? ''), digest(settings.username ?? ''));
  const passOk = timingSafeEqual(digest(password ?? ''), digest(settings.password ?? ''));
  return userOk && passOk && username !== undefined && password !== undefined;
}

function explain(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EADDRINUSE':
      return 'the port is in use (another MQTT broker, such as mosquitto, already there?)';
    case 'EADDRNOTAVAIL':
      return 'no network interface of this machine has that address';
    case 'EACCES':
      return 'not allowed (ports below 1024 need privileges)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return e.code ?? e.message;
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** One log line per burst of refusals (a client retrying in a loop must not flood the log). */
class Throttled {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(private readonly log: Logger) {}

  note(message: string): void {
    const now = performance.now();
    if (now - this.lastAt < LOG_EVERY_MS) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more refusals since the last report)` : '';
    this.lastAt = now;
    this.suppressed = 0;
    this.log.warn(`${message}${more}`);
  }
}
