// A stand-in for the bridge's MQTT client in unit tests: records what is published, lets the test
// play the broker (connect, deliver a message, refuse writes), and keeps retained messages the way
// a broker would, so a test can ask "what does the broker hold now".
import { Emitter } from '../../src/core/emitter.js';
import type { BridgeClient } from '../../src/mqtt-bridge/bridge.js';
import type { MqttClientEvents, MqttClientOptions } from '../../src/mqtt-bridge/mqtt/client.js';

export interface Published {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export class FakeMqttClient implements BridgeClient {
  readonly published: Published[] = [];
  readonly retained = new Map<string, string>();
  readonly subscriptions: string[] = [];
  /** When false, publish() refuses as a backed-up socket would. */
  accepting = true;
  started = false;
  stopped = false;
  private isConnected = false;
  private readonly events = new Emitter<MqttClientEvents>((e, err) => {
    throw new Error(`listener of ${e} threw: ${String(err)}`);
  });

  constructor(readonly options: MqttClientOptions) {}

  on<K extends keyof MqttClientEvents>(event: K, listener: (...a: MqttClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  start(): void {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.isConnected = false;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  publish(topic: string, payload: string | Buffer, opts: { qos: 0 | 1; retain: boolean }): boolean {
    if (!this.isConnected || !this.accepting) return false;
    const text = payload.toString();
    this.published.push({ topic, payload: text, qos: opts.qos, retain: opts.retain });
    if (opts.retain) {
      if (text === '') this.retained.delete(topic);
      else this.retained.set(topic, text);
    }
    return true;
  }

  async subscribe(filters: { filter: string; qos: 0 | 1 }[]): Promise<void> {
    this.subscriptions.push(...filters.map((f) => f.filter));
  }

  // ---- the test plays the broker -------------------------------------------------------------

  connect(): void {
    this.isConnected = true;
    this.events.emit('connect');
  }

  disconnect(reason = 'test'): void {
    this.isConnected = false;
    this.events.emit('disconnect', reason);
  }

  deliver(topic: string, payload: string, retain = false): void {
    this.events.emit('message', topic, Buffer.from(payload), retain);
  }

  /** Published messages on `topic` since `from` (an index into published). */
  sent(topic: string, from = 0): Published[] {
    return this.published.slice(from).filter((p) => p.topic === topic);
  }

  json(topic: string): Record<string, unknown> {
    const text = this.retained.get(topic);
    if (text === undefined) throw new Error(`the broker holds nothing on ${topic}; it holds: ${[...this.retained.keys()].join(', ')}`);
    return JSON.parse(text) as Record<string, unknown>;
  }
}
