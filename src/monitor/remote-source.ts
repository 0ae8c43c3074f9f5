import type { MonitorEntry } from '../conf/upsmon-model.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { NutClient } from '../nut-client/client.js';
import { NutError } from '../nut-client/errors.js';
import { ReconnectingClient } from '../nut-client/reconnect.js';
import type { PollResult, UpsSource } from './ups-source.js';

/** upsmon.conf's TLS directives, as the client takes them. */
export interface RemoteTls {
  /** FORCESSL 1 = 'require'; otherwise 'try' (STARTTLS first, plain text when refused), as upsmon does. */
  mode: 'try' | 'require';
  /** CERTVERIFY 1. */
  verify: boolean;
  /** PEM CA certificate(s) read from CERTPATH, for the verification. */
  ca?: string | Buffer;
}

/**
 * A UPS on another NUT server, watched over the network as upsmon does: STARTTLS, USERNAME,
 * PASSWORD, LOGIN, and PRIMARY (falling back to MASTER) for a primary entry; then GET VAR
 * ups.status every poll. The connection is kept up with backoff. Unlike upsmon 2.8.0, which
 * logs a refused login once and then goes quiet, a refused login is an error every time it is
 * refused, and shows as this source's problem: a secondary the primary cannot count (NUMLOGINS)
 * breaks the shutdown order.
 */
export class RemoteSource implements UpsSource {
  private readonly connection: ReconnectingClient;
  private granted = false;
  private loggedIn = false;
  private why: string | undefined;
  /** Settles with the first connection attempt, so the first poll sees it as upsmon's first poll does (it connects first). */
  private readonly firstAttempt: Promise<void>;
  private firstAttemptDone: () => void = () => {};

  constructor(
    private readonly entry: MonitorEntry,
    tls: RemoteTls,
    deps: { clock: Clock; log: Logger; requestTimeoutMs?: number },
  ) {
    const where = `${entry.pos.file}:${entry.pos.line}: MONITOR ${entry.system}`;
    this.firstAttempt = new Promise((resolve) => {
      this.firstAttemptDone = resolve;
    });
    this.connection = new ReconnectingClient({
      host: entry.host,
      port: entry.port,
      tls: tls.mode,
      verify: tls.verify,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      clock: deps.clock,
      log: deps.log,
      requestTimeoutMs: deps.requestTimeoutMs ?? 10_000,
      setup: (c) => this.setup(c, deps.log, where),
      onError: (e) => {
        this.why = e.message;
        this.firstAttemptDone();
      },
      onConnected: () => this.firstAttemptDone(),
    });
  }

  get primaryGranted(): boolean {
    return this.granted;
  }

  get problem(): string | undefined {
    return this.why;
  }

  start(): void {
    this.connection.start();
  }

  async stop(): Promise<void> {
    this.firstAttemptDone();
    this.connection.stop();
  }

  async poll(): Promise<PollResult> {
    await this.firstAttempt;
    const c = this.connection.current;
    if (!c) return { failure: `not connected to ${this.entry.host}:${this.entry.port}${this.why ? ` (${this.why})` : ''}` };
    try {
      const status = await c.getVar(this.entry.upsName, 'ups.status');
      if (!/\bALARM\b/i.test(status)) return { status };
      const alarm = await c.getVar(this.entry.upsName, 'ups.alarm').catch(() => '');
      return { status, alarm };
    } catch (e) {
      if (e instanceof NutError && e.code === 'UNKNOWN-UPS') {
        return { failure: `[${this.entry.upsName}] does not exist on server ${this.entry.host}` };
      }
      return { failure: (e as Error).message };
    }
  }

  async setFsd(): Promise<string | undefined> {
    const c = this.connection.current;
    if (!c) return `not connected${this.why ? ` (${this.why})` : ''}`;
    try {
      await c.fsd(this.entry.upsName);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  async otherLogins(): Promise<number> {
    const c = this.connection.current;
    if (!c) return 0;
    try {
      const n = await c.numLogins(this.entry.upsName);
      return Math.max(0, n - (this.loggedIn ? 1 : 0));
    } catch {
      return 0;
    }
  }

  /** Re-run after every reconnect. Polling needs no login, so a refused login leaves the connection in use. */
  private async setup(c: NutClient, log: Logger, where: string): Promise<void> {
    this.loggedIn = false;
    this.granted = false;
    const { entry } = this;
    try {
      await c.authenticate(entry.username, entry.password);
      await c.login(entry.upsName);
      this.loggedIn = true;
    } catch (e) {
      if (!(e instanceof NutError)) throw e;
      this.why = `login as ${entry.username} refused (${e.line})`;
      log.error(`${where}: the server refused LOGIN as user ${entry.username} (${e.line}): check this user and its password ` +
        `in upsd.users on ${entry.host}; it needs "upsmon ${entry.role}"`);
      return;
    }
    if (entry.role === 'primary') {
      try {
        await c.primary(entry.upsName);
        this.granted = true;
      } catch (e) {
        if (!(e instanceof NutError)) throw e;
        this.why = `primary rights refused (${e.line})`;
        log.error(`${where}: Primary privileges unavailable (${e.line}): user ${entry.username} needs "upsmon primary" in ` +
          `upsd.users on ${entry.host}; monitoring as a secondary`);
        return;
      }
    }
    this.why = undefined;
    log.info(`${where}: logged in as ${entry.username}${this.granted ? ' (primary)' : ''}${c.tls ? ' over TLS' : ''}`);
  }
}
