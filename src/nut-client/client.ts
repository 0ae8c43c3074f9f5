/**
 * The NUT protocol client: connect (with STARTTLS as NUT's clients do it) and the requests of
 * net-protocol 1.3, each checked as libupsclient checks it. Used by the monitor, the repeater
 * driver and the upsc/upscmd/upsrw tools.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { DEFAULT_MAX_LIST_LINES, NutConnection } from './connection.js';
import { NutConnectionError, NutError } from './errors.js';
import { describeAddress, openTcp, upgradeToTls } from './transport.js';

export interface NutClientOptions {
  host: string;
  port: number;
  /** 'try': STARTTLS first and go on in plain text if refused (NUT's clients); 'require': FORCESSL. */
  tls?: 'off' | 'try' | 'require';
  /** CERTVERIFY: check the certificate against `ca` (else the system CAs) and its name. */
  verify?: boolean;
  ca?: string | Buffer;
  /** The name the certificate must carry (default: host). */
  servername?: string;
  /** Connecting, STARTTLS and the handshake included (default 10000). */
  connectTimeoutMs?: number;
  /** How long the server may stay silent while a reply is due (default 10000). */
  requestTimeoutMs?: number;
  /** LIST blocks longer than this end the connection (default 100000). */
  maxListLines?: number;
  clock?: Clock;
  /** Cancels a connect in progress. */
  signal?: AbortSignal;
}

export class NutClient extends NutConnection {
  /** Connects; rejects NutConnectionError (refused, timed out, TLS refused under 'require' …). */
  static async connect(opts: NutClientOptions): Promise<NutClient> {
    const clock = opts.clock ?? systemClock;
    const timeoutMs = opts.connectTimeoutMs ?? 10_000;
    const started = clock.now();
    const socket = await openTcp({ host: opts.host, port: opts.port, clock, timeoutMs, signal: opts.signal });
    const client = new NutClient(socket, describeAddress(opts.host, opts.port), {
      clock,
      requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
      maxListLines: opts.maxListLines ?? DEFAULT_MAX_LIST_LINES,
    });
    if ((opts.tls ?? 'off') === 'off') return client;
    const left = Math.max(1, timeoutMs - (clock.now() - started));
    const timer = clock.setTimeout(() => client.fail('timeout', `no TLS session within ${timeoutMs} ms`, 'ETIMEDOUT'), left);
    const onAbort = (): void => client.close();
    opts.signal?.addEventListener('abort', onAbort);
    try {
      await client.startTls(opts);
      return client;
    } catch (e) {
      client.close();
      throw e instanceof NutConnectionError ? e : new NutConnectionError(client.where, 'tls', String(e));
    } finally {
      timer.cancel();
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async startTls(opts: NutClientOptions): Promise<void> {
    const reply = (await this.call(['STARTTLS'], [], 'resolve')).raw;
    const mustHaveTls = opts.tls === 'require' || opts.verify === true;
    if (!reply.startsWith('OK STARTTLS')) {
      if (!mustHaveTls) return;
      throw this.fail('tls', `the server refused STARTTLS (${reply}); TLS is required${opts.tls === 'require' ? '' : ' to verify its certificate'}`, 'REFUSED');
    }
    if (this.isClosed) throw this.fail('closed', 'the server closed the connection after OK STARTTLS');
    const plain = this.detach();
    try {
      const secure = await upgradeToTls(plain, this.where, {
        verify: opts.verify === true,
        ca: opts.ca,
        name: opts.servername ?? opts.host,
      });
      this.reattach(secure, true);
    } catch (e) {
      plain.destroy();
      const err = e instanceof NutConnectionError ? e : new NutConnectionError(this.where, 'tls', String(e));
      this.fail(err.kind, err.message.slice(this.where.length + 2), err.errno);
      throw err;
    }
  }

  /** USERNAME and PASSWORD (upsd checks the password only when a permission is used: at LOGIN …). */
  async authenticate(username: string, password: string): Promise<void> {
    const [u, p] = await Promise.allSettled([this.call(['USERNAME', username]), this.call(['PASSWORD', password])]);
    if (u.status === 'rejected') throw u.reason;
    if (p.status === 'rejected') throw p.reason;
    this.expectOk(u.value.raw, 'USERNAME');
    this.expectOk(p.value.raw, 'PASSWORD');
  }

  async login(ups: string): Promise<void> {
    this.expectOk((await this.call(['LOGIN', ups])).raw, 'LOGIN');
  }

  /** PRIMARY, and MASTER when that is refused, as upsmon 2.8 does (servers before 2.8 know only MASTER). */
  async primary(ups: string): Promise<void> {
    const first = await this.call(['PRIMARY', ups]).then(
      (r) => r.raw,
      (e: unknown) => e,
    );
    if (typeof first === 'string' && first.startsWith('OK')) return;
    if (!(first instanceof NutError) && typeof first !== 'string') throw first;
    this.expectOk((await this.call(['MASTER', ups])).raw, 'MASTER');
  }

  async fsd(ups: string): Promise<void> {
    this.expectOk((await this.call(['FSD', ups])).raw, 'FSD');
  }

  async getVar(ups: string, name: string): Promise<string> {
    return this.getValue(['VAR', ups, name]);
  }

  async numLogins(ups: string): Promise<number> {
    const value = await this.getValue(['NUMLOGINS', ups]);
    if (!/^\d+$/.test(value)) throw this.protocolError(`NUMLOGINS ${ups} is ${JSON.stringify(value)}, not a count`);
    return Number(value);
  }

  async getUpsDesc(ups: string): Promise<string> {
    return this.getValue(['UPSDESC', ups]);
  }

  async getDesc(ups: string, name: string): Promise<string> {
    return this.getValue(['DESC', ups, name]);
  }

  async getCmdDesc(ups: string, command: string): Promise<string> {
    return this.getValue(['CMDDESC', ups, command]);
  }

  /** The TYPE words after the echo: e.g. ['RW', 'ENUM', 'STRING:16'] or ['NUMBER']. */
  async getType(ups: string, name: string): Promise<string[]> {
    const query = ['TYPE', ups, name];
    return (await this.call(['GET', ...query], query)).words.slice(query.length);
  }

  async listUps(): Promise<Array<[name: string, description: string]>> {
    return (await this.listRows(['UPS'], 3)).map((w) => [w[1]!, w[2]!]);
  }

  async listVar(ups: string): Promise<Array<[name: string, value: string]>> {
    return (await this.listRows(['VAR', ups], 4)).map((w) => [w[2]!, w[3]!]);
  }

  async listRw(ups: string): Promise<Array<[name: string, value: string]>> {
    return (await this.listRows(['RW', ups], 4)).map((w) => [w[2]!, w[3]!]);
  }

  async listCmd(ups: string): Promise<string[]> {
    return (await this.listRows(['CMD', ups], 3)).map((w) => w[2]!);
  }

  async listEnum(ups: string, name: string): Promise<string[]> {
    return (await this.listRows(['ENUM', ups, name], 4)).map((w) => w[3]!);
  }

  async listRange(ups: string, name: string): Promise<Array<[min: string, max: string]>> {
    return (await this.listRows(['RANGE', ups, name], 5)).map((w) => [w[3]!, w[4]!]);
  }

  /** The addresses of the connections that did LOGIN on the UPS. */
  async listClient(ups: string): Promise<string[]> {
    return (await this.listRows(['CLIENT', ups], 3)).map((w) => w[2]!);
  }

  /** INSTCMD; resolves with the tracking id when tracking is on (`OK TRACKING <id>`). */
  async instcmd(ups: string, command: string, parameter?: string): Promise<string | undefined> {
    const words = ['INSTCMD', ups, command, ...(parameter === undefined ? [] : [parameter])];
    return this.trackedOk((await this.call(words)).raw, 'INSTCMD');
  }

  /** SET VAR; resolves with the tracking id when tracking is on. */
  async setVar(ups: string, name: string, value: string): Promise<string | undefined> {
    return this.trackedOk((await this.call(['SET', 'VAR', ups, name, value])).raw, 'SET VAR');
  }

  async setTracking(on: boolean): Promise<void> {
    this.expectOk((await this.call(['SET', 'TRACKING', on ? 'ON' : 'OFF'])).raw, 'SET TRACKING');
  }

  /**
   * Without an id: this connection's tracking state ('ON' | 'OFF'). With one: the reply as sent —
   * 'PENDING', 'SUCCESS', or the result as an `ERR …` line ('ERR FAILED', 'ERR UNKNOWN' …),
   * which is an answer here, not a failure.
   */
  async getTracking(id?: string): Promise<string> {
    const line = (await this.call(['GET', 'TRACKING', ...(id === undefined ? [] : [id])], [], 'resolve')).raw;
    if (id === undefined && line !== 'ON' && line !== 'OFF' && !line.startsWith('ERR')) {
      throw this.protocolError(`GET TRACKING answered ${JSON.stringify(line)}, not ON or OFF`);
    }
    return line;
  }

  private async getValue(query: string[]): Promise<string> {
    const reply = await this.call(['GET', ...query], query);
    const value = reply.words[query.length];
    if (value === undefined) throw this.protocolError(`${JSON.stringify(reply.raw)} carries no value`);
    return value;
  }

  private async listRows(query: string[], minWords: number): Promise<string[][]> {
    const rows = await this.list(query);
    const short = rows.find((w) => w.length < minWords);
    if (short) throw this.protocolError(`LIST ${query.join(' ')} sent ${JSON.stringify(short.join(' '))}: fewer than ${minWords} words`);
    return rows;
  }

  private expectOk(line: string, request: string): void {
    if (!line.startsWith('OK')) throw this.protocolError(`${request} answered ${JSON.stringify(line)}, neither OK nor ERR`);
  }

  private trackedOk(line: string, request: string): string | undefined {
    this.expectOk(line, request);
    const m = /^OK TRACKING (\S+)$/.exec(line);
    return m ? m[1] : undefined;
  }
}
