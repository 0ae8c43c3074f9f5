/**
 * One connection to the broker, from the TCP connect to the close: TLS, CONNECT and its CONNACK
 * within a deadline, the keepalive (PINGREQ when we have been quiet, and a watchdog that ends a
 * half-open link when the broker has been silent for 1.5 x keepalive), and the packet stream.
 * It never throws at its owner: every way it can end is one call of `onClose(reason)`, with a
 * reason that says what to fix. Reconnecting is the owner's job (client.ts).
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { Clock, Timer } from '../../core/clock.js';
import type { BrokerTarget } from './broker-url.js';
import { PacketReader } from './packet-reader.js';
import { encodePacket, type Packet } from './packets.js';

export interface ConnectionSetup {
  target: BrokerTarget;
  connect: Extract<Packet, { type: 'connect' }>;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  /** node:tls's connect, for an mqtts:// target (loaded by the client only then: TLS costs memory). */
  tlsConnect?: typeof import('node:tls').connect;
  connectTimeoutMs: number;
  maxIncomingPacketBytes: number;
  clock: Clock;
}

export interface ConnectionHandlers {
  /** CONNACK accepted: the connection may be used. */
  onReady(): void;
  /** Every packet after the CONNACK except PINGRESP (the keepalive's own business). */
  onPacket(packet: Packet): void;
  /** Exactly once, when the socket is gone. */
  onClose(reason: string): void;
}

/** How long TCP may stay silent before the kernel probes the link (a second line of defence). */
const TCP_KEEPALIVE_MS = 30_000;

export class MqttConnection {
  private readonly socket: Socket | TLSSocket;
  private readonly reader: PacketReader;
  private stage: 'tcp' | 'tls' | 'connack' | 'ready' | 'closed' = 'tcp';
  private reason: string | undefined;
  private connectTimer: Timer | undefined;
  private pingTimer: Timer | undefined;
  private watchdog: Timer | undefined;
  private lastSent = 0;
  private lastReceived = 0;
  readonly closed: Promise<void>;

  constructor(
    private readonly setup: ConnectionSetup,
    private readonly handlers: ConnectionHandlers,
  ) {
    const { target, clock } = setup;
    this.reader = new PacketReader(setup.maxIncomingPacketBytes);
    this.connectTimer = clock.setTimeout(() => this.fail(this.timeoutReason()), setup.connectTimeoutMs);
    if (target.secure) {
      const t = setup.tls;
      if (!setup.tlsConnect) throw new Error('mqtts:// needs node:tls loaded (MqttClient does it)');
      this.socket = setup.tlsConnect({
        host: target.host,
        port: target.port,
        // SNI and the name check use the host of the URL; an IP address is checked against the
        // certificate's IP SANs and must not be sent as SNI.
        ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
        ...(t?.ca ? { ca: t.ca } : {}),
        ...(t?.cert ? { cert: t.cert } : {}),
        ...(t?.key ? { key: t.key } : {}),
        rejectUnauthorized: t?.rejectUnauthorized ?? true,
      });
      this.socket.once('connect', () => (this.stage = 'tls'));
      this.socket.once('secureConnect', () => this.sendConnect());
    } else {
      this.socket = netConnect({ host: target.host, port: target.port });
      this.socket.once('connect', () => this.sendConnect());
    }
    this.socket.setNoDelay(true);
    this.socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(describeSocketError(err, this.stage, target)));
    this.closed = new Promise((resolve) => {
      this.socket.once('close', () => {
        this.finish();
        resolve();
      });
    });
  }

  /** CONNACK accepted and the socket still open. */
  get ready(): boolean {
    return this.stage === 'ready' && !this.socket.destroyed;
  }

  /** Bytes written but not yet taken by the kernel. */
  get writableLength(): number {
    return this.socket.writableLength;
  }

  /** Writes a packet; false when the connection is not usable. */
  send(packet: Packet): boolean {
    if (!this.ready) return false;
    this.write(encodePacket(packet));
    return true;
  }

  /**
   * A clean end: DISCONNECT (so the broker drops the will) and a half-close, then a bounded
   * wait for the broker to close its side, then the socket is destroyed regardless.
   */
  async end(waitMs: number): Promise<void> {
    if (this.stage === 'closed') return;
    this.reason ??= 'stopped';
    if (this.ready) this.socket.end(encodePacket({ type: 'disconnect' }));
    else this.socket.destroy();
    const bound = this.setup.clock.setTimeout(() => this.socket.destroy(), waitMs);
    await this.closed;
    bound.cancel();
  }

  /** Ends the connection now, for `reason` (unless an earlier reason is already known). */
  fail(reason: string): void {
    this.reason ??= reason;
    this.socket.destroy();
  }

  private write(bytes: Buffer): void {
    this.lastSent = this.setup.clock.now();
    this.socket.write(bytes);
  }

  private sendConnect(): void {
    this.stage = 'connack';
    this.write(encodePacket(this.setup.connect));
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = this.setup.clock.now();
    const { packets, error } = this.reader.feed(chunk);
    for (const packet of packets) {
      if (this.stage === 'closed' || this.socket.destroyed) return;
      this.onPacket(packet);
    }
    if (error) this.fail(`malformed packet from the broker (${error.message}); reconnecting`);
  }

  private onPacket(packet: Packet): void {
    if (this.stage === 'connack') {
      if (packet.type !== 'connack') return this.fail(`the broker sent ${packet.type.toUpperCase()} before CONNACK (protocol error)`);
      if (packet.returnCode !== 0) return this.fail(connackRefusal(packet.returnCode, this.setup.connect.clientId));
      this.stage = 'ready';
      this.connectTimer?.cancel();
      this.connectTimer = undefined;
      this.startKeepalive();
      this.handlers.onReady();
      return;
    }
    if (packet.type === 'pingresp') return;
    if (packet.type === 'connack') return this.fail('the broker sent a second CONNACK (protocol error)');
    this.handlers.onPacket(packet);
  }

  private startKeepalive(): void {
    const keepaliveMs = this.setup.connect.keepaliveSeconds * 1000;
    if (keepaliveMs === 0) return; // 0 turns the keepalive off (§3.1.2.10)
    const { clock } = this.setup;
    // One timer each, re-armed for the moment it could next be due: no per-packet timer work.
    const ping = (): void => {
      const idle = clock.now() - this.lastSent;
      if (idle >= keepaliveMs) this.write(encodePacket({ type: 'pingreq' }));
      this.pingTimer = clock.setTimeout(ping, idle >= keepaliveMs ? keepaliveMs : keepaliveMs - idle);
    };
    const watch = (): void => {
      const limit = keepaliveMs * 1.5;
      const silent = clock.now() - this.lastReceived;
      if (silent >= limit) return this.fail(`nothing heard from the broker for ${limit / 1000} s (1.5 x keepalive): the link is gone; reconnecting`);
      this.watchdog = clock.setTimeout(watch, limit - silent);
    };
    this.pingTimer = clock.setTimeout(ping, Math.max(0, keepaliveMs - (clock.now() - this.lastSent)));
    this.watchdog = clock.setTimeout(watch, keepaliveMs * 1.5);
  }

  private timeoutReason(): string {
    const ms = this.setup.connectTimeoutMs;
    const what = { tcp: 'the TCP connection', tls: 'the TLS handshake', connack: "the broker's CONNACK", ready: '', closed: '' }[this.stage];
    return `${what} did not complete within ${ms} ms (connectTimeoutMs): is ${this.setup.target.display} the broker's address, and is it reachable?`;
  }

  private finish(): void {
    if (this.stage === 'closed') return;
    const wasReady = this.stage === 'ready';
    this.stage = 'closed';
    for (const t of [this.connectTimer, this.pingTimer, this.watchdog]) t?.cancel();
    this.handlers.onClose(this.reason ?? (wasReady ? 'the broker closed the connection' : 'the broker closed the connection before CONNACK'));
  }
}

/** CONNACK return codes 1..5 (§3.2.2.3), each saying what to fix. */
export function connackRefusal(code: number, clientId: string): string {
  switch (code) {
    case 1:
      return 'the broker refused the connection (unacceptable protocol version): it does not accept MQTT 3.1.1; use a broker that does (mosquitto, EMQX, HiveMQ all do)';
    case 2:
      return `the broker refused the client identifier "${clientId}" (identifier rejected): change mqtt.clientId in upsgate.json`;
    case 3:
      return 'the broker refused the connection (server unavailable): the MQTT service is not available right now';
    case 4:
    case 5:
      return `the broker refused the login (${code === 4 ? 'bad user name or password' : 'not authorized'}): check mqtt.username and mqtt.password in upsgate.json`;
    default:
      return `the broker refused the connection with unknown CONNACK return code ${code}`;
  }
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** A socket or TLS error as a sentence that names the setting to look at. */
export function describeSocketError(err: Error & { code?: string }, stage: string, target: BrokerTarget): string {
  const where = target.display;
  const code = err.code ?? '';
  if (UNTRUSTED.has(code)) {
    return `the TLS certificate of ${where} is not trusted (${code}): set mqtt.tls.ca in upsgate.json to the CA certificate that signed it`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the TLS certificate of ${where} is not for that host (${err.message}): use a host name the certificate names in mqtt.url`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `the TLS certificate of ${where} is out of its validity period (${code}): renew it, or check the gateway's clock`;
  }
  if (code === 'ECONNREFUSED') return `${where} refused the connection (ECONNREFUSED): is the broker running and listening on port ${target.port}?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the broker host "${target.host}" could not be resolved (${code}): check mqtt.url`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} is unreachable (${code}): check mqtt.url and the network`;
  if (target.secure && stage === 'tls') {
    return `the TLS handshake with ${where} failed (${code || err.message}): is that port speaking TLS (mqtts, usually 8883)? ${err.message}`;
  }
  return `connection to ${where} failed: ${code ? `${code} ` : ''}${err.message}`;
}
