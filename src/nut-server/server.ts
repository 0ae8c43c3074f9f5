import { createServer, type Server, type Socket } from 'node:net';
import type { Timer } from '../core/clock.js';
import { Connection, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection.js';
import type { ServerContext } from './context.js';
import type { TlsUpgrade } from './tls.js';

export interface ListenSpec {
  host: string;
  port: number;
  /** Where it was configured (`upsd.conf:3:1`), for error messages. */
  origin?: string;
}

export interface NutServerOptions {
  /** Empty: 127.0.0.1 and ::1 on port 3493, as upsd without LISTEN lines. */
  listen: ListenSpec[];
  /** upsd.conf ALLOW_NOT_ALL_LISTENERS: start even when some addresses cannot be bound. */
  allowNotAllListeners?: boolean;
  /** upsd.conf MAXCONN: counts listeners, UPSes and clients together, as upsd does. */
  maxConn?: number;
  /** Clients silent this long are dropped (upsd: 60 s, hard-coded). */
  idleTimeoutMs?: number;
  limits?: ConnectionLimits;
  /** Old-style ACCEPT/REJECT allow-list; undefined = everyone may connect. */
  admit?: (address: string) => boolean;
  /** Present when CERTFILE is loaded: STARTTLS upgrades to it. */
  tls?: TlsUpgrade;
}

export const DEFAULT_PORT = 3493;
/** Without MAXCONN upsd is bounded by the open-files limit, commonly 1024. */
export const DEFAULT_MAX_CONN = 1024;

export interface BoundAddress {
  host: string;
  port: number;
}

/** A LISTEN address could not be bound. */
export class ListenError extends Error {}

/**
 * The NUT network server (upsd's front half): listeners, connections, limits. Requests are
 * answered from the Device model through the command table; nothing here knows about drivers.
 */
export class NutServer {
  private readonly servers: Server[] = [];
  /** The LISTEN spec (host:port as configured) each of `servers` was bound for, same order. */
  private readonly serverKeys: string[] = [];
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private sweeper: Timer | undefined;
  private refusedSinceLog = 0;
  readonly bound: BoundAddress[] = [];

  constructor(
    private readonly ctx: ServerContext,
    private options: NutServerOptions,
  ) {}

  async start(): Promise<void> {
    const specs = listenSpecs(this.options);
    const failures: string[] = [];
    for (const spec of specs) {
      try {
        await this.listenOn(spec);
      } catch (e) {
        failures.push(`${spec.origin ? `${spec.origin}: ` : ''}cannot listen on ${formatHost(spec.host)} port ${spec.port}: ${(e as Error).message}`);
      }
    }
    const mustAll = !this.options.allowNotAllListeners && this.options.listen.length > 0;
    if (failures.length > 0 && (mustAll || this.bound.length === 0)) {
      const hint = this.bound.length > 0 ? '\n(set ALLOW_NOT_ALL_LISTENERS true in upsd.conf to start with the others)' : '';
      await this.stop();
      throw new ListenError(failures.join('\n') + hint);
    }
    for (const f of failures) this.ctx.log.warn(f);
    const idle = this.options.idleTimeoutMs ?? 60_000;
    this.sweeper = this.ctx.clock.setInterval(() => this.sweepIdle(idle), Math.min(1000, idle));
  }

  async stop(): Promise<void> {
    this.sweeper?.cancel();
    for (const c of [...this.connections]) c.drop('server stopping');
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers.length = 0;
    this.serverKeys.length = 0;
    this.bound.length = 0;
  }

  /**
   * upsd's reload for upsd.conf: new LISTEN addresses are bound first (if one fails nothing
   * changes), then the ones no longer listed stop accepting. Connected clients are kept, whatever
   * listener they came through; ACCEPT/REJECT and MAXCONN apply to new connections. TLS stays
   * as it started (a new CERTFILE needs a restart, as in upsd).
   */
  async reconfigure(options: Omit<NutServerOptions, 'tls'>): Promise<void> {
    const wanted = listenSpecs(options);
    const wantedKeys = new Set(wanted.map(specKey));
    const added: Server[] = [];
    try {
      for (const spec of wanted) {
        if (this.serverKeys.includes(specKey(spec))) continue;
        await this.listenOn(spec);
        added.push(this.servers[this.servers.length - 1]!);
      }
    } catch (e) {
      for (const server of added) this.closeListener(server);
      throw new ListenError(`cannot listen on the new addresses: ${(e as Error).message}`);
    }
    for (const server of [...this.servers]) {
      const key = this.serverKeys[this.servers.indexOf(server)]!;
      if (!wantedKeys.has(key)) this.closeListener(server);
    }
    this.options = { ...options, tls: this.options.tls };
  }

  private closeListener(server: Server): void {
    const i = this.servers.indexOf(server);
    if (i < 0) return;
    const a = this.bound[i];
    this.servers.splice(i, 1);
    this.serverKeys.splice(i, 1);
    this.bound.splice(i, 1);
    server.close();
    if (a) this.ctx.log.info(`no longer listening on ${formatHost(a.host)} port ${a.port}`);
  }

  get clientCount(): number {
    return this.connections.size;
  }

  /** The open client connections (for status pages and tests). */
  clients(): readonly Connection[] {
    return [...this.connections];
  }

  private listenOn(spec: ListenSpec): Promise<void> {
    return new Promise((resolve, reject) => {
      // Paused: the connection decides how it reads (see direct-reads.ts) before any byte arrives.
      const server = createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
      server.once('error', reject);
      // `LISTEN ::` serves IPv6 only, as NUT >= 2.8.1 does: IPv4 needs its own LISTEN line.
      server.listen({ host: spec.host, port: spec.port, ipv6Only: spec.host.includes(':') }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.ctx.log.error(`listener ${formatHost(spec.host)}:${spec.port}: ${e.message}`));
        const a = server.address();
        this.bound.push(a && typeof a === 'object' ? { host: a.address, port: a.port } : { host: spec.host, port: spec.port });
        this.servers.push(server);
        this.serverKeys.push(specKey(spec));
        this.ctx.log.info(`listening on ${formatHost(spec.host)} port ${a && typeof a === 'object' ? a.port : spec.port}`);
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '?';
    socket.on('error', () => {});
    if (this.options.admit && !this.options.admit(address)) {
      this.ctx.log.info(`rejecting connection from ${address} (upsd.conf ACCEPT/REJECT)`);
      socket.destroy();
      return;
    }
    const maxConn = this.options.maxConn ?? DEFAULT_MAX_CONN;
    const budget = maxConn - this.servers.length - this.ctx.devices.size;
    if (this.connections.size >= budget) {
      // upsd stops polling its listeners when full; closing at once is kinder to the client.
      if (this.refusedSinceLog++ === 0) this.ctx.log.warn(`MAXCONN ${maxConn} reached: refusing new clients`);
      socket.destroy();
      return;
    }
    this.refusedSinceLog = 0;
    socket.setKeepAlive(true, 60_000);
    const limits = this.options.limits ?? DEFAULT_CONNECTION_LIMITS;
    const conn = new Connection(socket, this.nextId++, address, this.ctx, limits, this.options.tls, (c) =>
      this.connections.delete(c),
    );
    this.connections.add(conn);
  }

  private sweepIdle(idleMs: number): void {
    const now = this.ctx.clock.now();
    for (const c of [...this.connections]) {
      if (now - c.lastHeard > idleMs) c.drop('idle');
    }
  }
}

function listenSpecs(options: Pick<NutServerOptions, 'listen'>): ListenSpec[] {
  return options.listen.length > 0 ? expandWildcards(options.listen) : defaultListen();
}

function specKey(spec: ListenSpec): string {
  return `${spec.host.toLowerCase()}|${spec.port}`;
}

function defaultListen(): ListenSpec[] {
  return [
    { host: '127.0.0.1', port: DEFAULT_PORT },
    { host: '::1', port: DEFAULT_PORT },
  ];
}

/** `LISTEN *` (NUT 2.8.1+) means every IPv4 and every IPv6 address. */
function expandWildcards(specs: ListenSpec[]): ListenSpec[] {
  return specs.flatMap((s) =>
    s.host === '*'
      ? [
          { ...s, host: '0.0.0.0' },
          { ...s, host: '::' },
        ]
      : [s],
  );
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
