/**
 * The bridge's MQTT 3.1.1 client, small on purpose (MQTT.js alone would cost ~13.6 MiB of RSS, over
 * the gateway's whole budget). Clean sessions only: nothing is queued while offline and nothing
 * survives a reconnect, because the bridge republishes a full snapshot on every `connect`.
 *
 * This file keeps the client alive across connections (backoff, logging that does not flood while
 * a broker is down for hours, QoS bookkeeping, the public API); connection.ts is one connection.
 */
import type { Clock, Timer } from '../../core/clock.js';
import { Emitter } from '../../core/emitter.js';
import type { Logger } from '../../core/logger.js';
import { parseBrokerUrl, type BrokerTarget } from './broker-url.js';
import { MqttConnection } from './connection.js';
import { MAX_REMAINING_LENGTH, SUBACK_FAILURE, topicFilterProblem, topicNameProblem, type Packet } from './packets.js';

export interface MqttClientOptions {
  /** mqtt://host[:port] (1883) or mqtts://host[:port] (8883); IPv6 as [::1]. */
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  keepaliveSeconds: number;
  will?: { topic: string; payload: string; qos: 0 | 1; retain: boolean };
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  /** Default 10000: TCP + TLS + CONNACK must complete in this. */
  connectTimeoutMs?: number;
  /** Default 1000 / 60000: capped exponential between failed attempts; reset by a CONNACK. */
  backoff?: { initialMs: number; maxMs: number };
  /** Default 256 KiB: a bigger packet from the broker costs the connection. */
  maxIncomingPacketBytes?: number;
  /** Default 1 MiB: above this much unsent output publish() refuses. */
  maxBufferedBytes?: number;
  clock: Clock;
  log: Logger;
}

export interface MqttClientEvents extends Record<string, unknown[]> {
  /** After each accepted CONNACK. */
  connect: [];
  /** Once per lost or failed connection. */
  disconnect: [reason: string];
  message: [topic: string, payload: Buffer, retain: boolean];
}

/** QoS 1 publishes awaiting PUBACK; more than this and publish() refuses. */
export const MAX_IN_FLIGHT = 100;
/** Subscriptions awaiting SUBACK. */
const MAX_PENDING_SUBSCRIBES = 100;
/** Incoming QoS 2 packet ids awaiting PUBREL (the broker's window is far smaller). */
const MAX_INCOMING_QOS2 = 1000;
/** How long stop() waits for the broker to close after DISCONNECT. */
const STOP_WAIT_MS = 2000;

interface PendingSubscribe {
  filters: string[];
  resolve(): void;
  reject(err: Error): void;
}

export class MqttClient {
  private readonly target: BrokerTarget;
  private readonly events: Emitter<MqttClientEvents>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly maxBufferedBytes: number;
  private connection: MqttConnection | undefined;
  private running = false;
  private tlsConnect: typeof import('node:tls').connect | undefined;
  private retryTimer: Timer | undefined;
  private nextDelayMs: number;
  /** The last failure logged at warn; the same failure again is only a debug line. */
  private lastLoggedReason: string | undefined;
  private lastPacketId = 0;
  private readonly inFlight = new Map<number, string>();
  private readonly pendingSubscribes = new Map<number, PendingSubscribe>();
  private readonly incomingQos2 = new Set<number>();

  constructor(private readonly options: MqttClientOptions) {
    this.target = parseBrokerUrl(options.url);
    this.clock = options.clock;
    this.log = options.log;
    this.events = new Emitter((event, err) => this.log.error(`a listener of the MQTT ${event} event failed: ${err instanceof Error ? err.message : String(err)}`));
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    this.nextDelayMs = this.backoff.initialMs;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    if (!Number.isInteger(options.keepaliveSeconds) || options.keepaliveSeconds < 0 || options.keepaliveSeconds > 65535) {
      throw new Error(`mqtt keepalive ${options.keepaliveSeconds}: must be a whole number of seconds 0..65535`);
    }
    const willProblem = options.will ? topicNameProblem(options.will.topic) : undefined;
    if (willProblem) throw new Error(`mqtt will topic "${options.will!.topic}": ${willProblem}`);
  }

  on<K extends keyof MqttClientEvents>(event: K, listener: (...a: MqttClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Connects, and keeps reconnecting (with backoff) until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.target.secure) return this.open();
    // node:tls and OpenSSL's state cost over a MiB of resident memory: loaded only for mqtts://.
    void import('node:tls').then((tls) => {
      this.tlsConnect = tls.connect;
      if (this.running) this.open();
    });
  }

  /** DISCONNECT (so the broker does not send the will), close, cancel timers. */
  async stop(): Promise<void> {
    this.running = false;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    await this.connection?.end(STOP_WAIT_MS);
  }

  /** CONNACK accepted and the socket open. */
  get connected(): boolean {
    return this.connection?.ready ?? false;
  }

  /** QoS 1 publishes sent on this connection and not yet acknowledged. */
  get pendingAcks(): number {
    return this.inFlight.size;
  }

  /**
   * Sends now or not at all: false when not connected, when the socket already holds more than
   * maxBufferedBytes, when MAX_IN_FLIGHT QoS 1 messages await their PUBACK, or for a topic no
   * broker would take. Nothing is kept for later.
   */
  publish(topic: string, payload: string | Buffer, opts: { qos: 0 | 1; retain: boolean }): boolean {
    const problem = topicNameProblem(topic);
    if (problem) {
      this.log.warn(`not published to "${topic.slice(0, 200)}": ${problem}`);
      return false;
    }
    const connection = this.connection;
    if (!connection?.ready || connection.writableLength > this.maxBufferedBytes) return false;
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (body.length + Buffer.byteLength(topic) + 4 > MAX_REMAINING_LENGTH) {
      this.log.warn(`not published to "${topic}": a payload of ${body.length} bytes is over MQTT's packet size limit`);
      return false;
    }
    const packet: Packet = { type: 'publish', topic, payload: body, qos: opts.qos, retain: opts.retain, dup: false };
    if (opts.qos === 1) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) return false;
      packet.packetId = this.allocatePacketId();
      this.inFlight.set(packet.packetId, topic);
    }
    return connection.send(packet);
  }

  /** Resolves on SUBACK; rejects naming the filter on a refusal (0x80), a lost connection, or when not connected. */
  subscribe(filters: { filter: string; qos: 0 | 1 }[]): Promise<void> {
    const names = filters.map((f) => f.filter);
    if (filters.length === 0) return Promise.resolve();
    for (const f of filters) {
      const problem = topicFilterProblem(f.filter);
      if (problem) return Promise.reject(new Error(`cannot subscribe to "${f.filter}": ${problem}`));
    }
    const connection = this.connection;
    if (!connection?.ready) return Promise.reject(new Error(`cannot subscribe to ${names.join(', ')}: not connected to ${this.target.display}`));
    if (this.pendingSubscribes.size >= MAX_PENDING_SUBSCRIBES) {
      return Promise.reject(new Error(`cannot subscribe to ${names.join(', ')}: ${MAX_PENDING_SUBSCRIBES} subscriptions already await the broker's answer`));
    }
    return new Promise<void>((resolve, reject) => {
      const packetId = this.allocatePacketId();
      this.pendingSubscribes.set(packetId, { filters: names, resolve, reject });
      connection.send({ type: 'subscribe', packetId, filters });
    });
  }

  // ---------------------------------------------------------------------------------------------

  private open(): void {
    const o = this.options;
    const username = o.username ?? this.target.username;
    const password = o.username !== undefined ? o.password : this.target.password;
    const connection = new MqttConnection(
      {
        target: this.target,
        connect: {
          type: 'connect',
          clientId: o.clientId,
          cleanSession: true,
          keepaliveSeconds: o.keepaliveSeconds,
          ...(o.will ? { will: { ...o.will, payload: Buffer.from(o.will.payload, 'utf8') } } : {}),
          ...(username !== undefined ? { username } : {}),
          ...(password !== undefined ? { password: Buffer.from(password, 'utf8') } : {}),
        },
        ...(o.tls ? { tls: o.tls } : {}),
        ...(this.tlsConnect ? { tlsConnect: this.tlsConnect } : {}),
        connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        maxIncomingPacketBytes: o.maxIncomingPacketBytes ?? 256 * 1024,
        clock: this.clock,
      },
      {
        onReady: () => this.onReady(),
        onPacket: (p) => this.onPacket(connection, p),
        onClose: (reason) => this.onClose(connection, reason),
      },
    );
    this.connection = connection;
  }

  private onReady(): void {
    this.nextDelayMs = this.backoff.initialMs;
    this.lastLoggedReason = undefined;
    this.log.info(`connected to ${this.target.display}`);
    this.events.emit('connect');
  }

  private onClose(connection: MqttConnection, reason: string): void {
    if (this.connection === connection) this.connection = undefined;
    // Clean session: whatever awaited an answer on this connection never gets one.
    this.inFlight.clear();
    this.incomingQos2.clear();
    for (const pending of this.pendingSubscribes.values()) {
      pending.reject(new Error(`subscription to ${pending.filters.join(', ')} not acknowledged: ${reason}`));
    }
    this.pendingSubscribes.clear();
    if (this.running) {
      const delay = this.nextDelayMs;
      this.nextDelayMs = Math.min(this.backoff.maxMs, delay * 2);
      const line = `${this.target.display}: ${reason}; retrying in ${formatDelay(delay)}`;
      if (reason !== this.lastLoggedReason) {
        this.lastLoggedReason = reason;
        this.log.warn(line);
      } else {
        this.log.debug(line);
      }
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryTimer = undefined;
        if (this.running) this.open();
      }, delay);
    } else {
      this.log.info(`disconnected from ${this.target.display}`);
    }
    this.events.emit('disconnect', reason);
  }

  private onPacket(connection: MqttConnection, p: Packet): void {
    switch (p.type) {
      case 'publish':
        return this.onPublish(connection, p);
      case 'puback':
        this.inFlight.delete(p.packetId);
        return;
      case 'pubrel':
        // The second half of an incoming QoS 2 delivery (the message went out at PUBLISH).
        this.incomingQos2.delete(p.packetId);
        connection.send({ type: 'pubcomp', packetId: p.packetId });
        return;
      case 'pubrec':
        // We never publish QoS 2; answering keeps a confused broker's state machine moving.
        connection.send({ type: 'pubrel', packetId: p.packetId });
        return;
      case 'pubcomp':
      case 'unsuback':
        return;
      case 'suback':
        return this.onSuback(p.packetId, p.returnCodes);
      default:
        connection.fail(`the broker sent ${p.type.toUpperCase()}, which only a client sends (protocol error)`);
    }
  }

  private onPublish(connection: MqttConnection, p: Extract<Packet, { type: 'publish' }>): void {
    if (p.qos === 2) {
      const id = p.packetId!;
      // A resent PUBLISH of an id still awaiting PUBREL is the same message: deliver it once.
      const seen = this.incomingQos2.has(id);
      if (!seen) {
        if (this.incomingQos2.size >= MAX_INCOMING_QOS2) this.incomingQos2.delete(this.incomingQos2.values().next().value!);
        this.incomingQos2.add(id);
      }
      connection.send({ type: 'pubrec', packetId: id });
      if (seen) return;
    } else if (p.qos === 1) {
      connection.send({ type: 'puback', packetId: p.packetId! });
    }
    this.events.emit('message', p.topic, p.payload, p.retain);
  }

  private onSuback(packetId: number, codes: number[]): void {
    const pending = this.pendingSubscribes.get(packetId);
    if (!pending) return;
    this.pendingSubscribes.delete(packetId);
    const refused = pending.filters.filter((_, i) => codes[i] === undefined || codes[i] === SUBACK_FAILURE);
    if (refused.length > 0) {
      pending.reject(new Error(`the broker refused the subscription to ${refused.join(', ')} (SUBACK 0x80): check the broker's ACL for this user`));
    } else {
      pending.resolve();
    }
  }

  /** 1..65535, skipping ids still in use on this connection. */
  private allocatePacketId(): number {
    for (;;) {
      this.lastPacketId = (this.lastPacketId % 65535) + 1;
      if (!this.inFlight.has(this.lastPacketId) && !this.pendingSubscribes.has(this.lastPacketId)) return this.lastPacketId;
    }
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
