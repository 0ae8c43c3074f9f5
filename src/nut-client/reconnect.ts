/**
 * A NUT connection kept up for a long-running user (the monitor, the repeater driver): it
 * connects, runs `setup` (USERNAME/PASSWORD/LOGIN/PRIMARY …), hands the client out as `current`,
 * and when the connection ends or any step fails, tries again after a delay that doubles from
 * minDelayMs up to maxDelayMs. A connection that got set up resets the delay.
 */
import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { NutClient, type NutClientOptions } from './client.js';
import { NutConnectionError } from './errors.js';
import { describeAddress } from './transport.js';

export interface ReconnectingOptions extends NutClientOptions {
  clock: Clock;
  log: Logger;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Re-run after every (re)connect; a rejection (e.g. NutError ACCESS-DENIED) counts as a failed attempt. */
  setup?: (c: NutClient) => Promise<void>;
  /** Every failure: connect, setup, and the end of a set-up connection. */
  onError?: (e: Error) => void;
  /** A connection is up and set up. */
  onConnected?: (c: NutClient) => void;
}

export class ReconnectingClient {
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly where: string;
  private delay: number;
  private running = false;
  private timer: Timer | undefined;
  private abort: AbortController | undefined;
  private attempt: NutClient | undefined;
  private up: NutClient | undefined;
  // Bumped by stop(): callbacks of an older run see a different number and do nothing.
  private generation = 0;

  constructor(private readonly opts: ReconnectingOptions) {
    this.minDelay = Math.max(1, opts.minDelayMs ?? 1000);
    this.maxDelay = Math.max(this.minDelay, opts.maxDelayMs ?? 60_000);
    this.delay = this.minDelay;
    this.where = describeAddress(opts.host, opts.port);
  }

  /** Connected and set up; undefined while (re)connecting. */
  get current(): NutClient | undefined {
    return this.up;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.delay = this.minDelay;
    void this.connectOnce(this.generation);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.timer?.cancel();
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    this.attempt?.close();
    this.attempt = undefined;
    const up = this.up;
    this.up = undefined;
    if (up) void up.logout();
  }

  private live(gen: number): boolean {
    return this.running && gen === this.generation;
  }

  private async connectOnce(gen: number): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    let client: NutClient | undefined;
    try {
      client = await NutClient.connect({ ...this.opts, clock: this.opts.clock, signal: abort.signal });
      if (!this.live(gen)) {
        client.close();
        return;
      }
      this.attempt = client;
      await this.opts.setup?.(client);
      if (!this.live(gen)) return;
      if (client.isClosed) throw (await client.closed) ?? new Error(`${this.where}: the connection closed during set-up`);
    } catch (e) {
      client?.close();
      this.attempt = undefined;
      if (!this.live(gen)) return;
      this.report(e, `set-up on ${this.where} failed`);
      this.retryLater(gen);
      return;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
    this.attempt = undefined;
    this.up = client;
    this.delay = this.minDelay;
    this.opts.log.info(`connected to ${this.where}${client.tls ? ' (TLS)' : ''}`);
    this.callback(() => this.opts.onConnected?.(client));
    const reason = await client.closed;
    if (!this.live(gen)) return;
    this.up = undefined;
    this.report(reason ?? new NutConnectionError(this.where, 'local', 'the connection was closed'), '');
    this.retryLater(gen);
  }

  private report(e: unknown, context: string): void {
    const err = e instanceof Error ? e : new Error(String(e));
    // A connection error names host:port itself; a NutError from setup ("Access denied") does not.
    const what = err instanceof NutConnectionError ? err.message : `${context}: ${err.message}`;
    this.opts.log.warn(`${what}; retrying in ${this.delay} ms`);
    this.callback(() => this.opts.onError?.(err));
  }

  /** A throwing callback must not stop the reconnect loop. */
  private callback(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.log.error(`a ReconnectingClient callback threw: ${String(e)}`);
    }
  }

  private retryLater(gen: number): void {
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.live(gen)) void this.connectOnce(gen);
    }, wait);
  }
}
