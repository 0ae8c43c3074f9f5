/**
 * Everything the bridge publishes about one UPS: its retained state, availability, outage,
 * per-variable topics and discovery. Each is published only when it changed since the broker
 * last took it, so a poll that changes nothing costs nothing, and a failed publish (not
 * connected, or the socket backed up) is simply retried on the next flush: nothing is queued.
 */
import type { Clock } from '../core/clock.js';
import type { Device } from '../core/device.js';
import { markRemovedComponents, upsDiscovery, type BridgeIdentity } from './discovery.js';
import type { EnergyMeter } from './energy.js';
import { OutageTracker, type OutageReport } from './outage.js';
import { OFFLINE, ONLINE, topicSafe } from './topics.js';
import { realPower } from '../core/readings.js';
import { upsState } from './ups-state.js';

export type Publish = (topic: string, payload: string, qos: 0 | 1, retain: boolean) => boolean;

export interface PublisherContext {
  identity: BridgeIdentity;
  discovery: { enabled: boolean; mode: 'device' | 'entity' };
  allowCommands: readonly string[];
  perVariableTopics: boolean;
  energy: EnergyMeter;
  clock: Clock;
  publish: Publish;
}

/** Variables whose value is part of the discovery device block (name, model, serial, firmware …). */
const DEVICE_INFO = /^(device\.|driver\.(name|version)$|ups\.(mfr|model|serial|firmware|productid)$)/i;

export class UpsPublisher {
  /** topic → payload the broker holds from us (retained topics only). */
  private readonly held = new Map<string, string>();
  /** Discovery topics this UPS has now (for the sweep of stale ones). */
  private discoveryTopics = new Set<string>();
  private shapeChanged = true;
  private readonly knownVars = new Set<string>();
  private readonly outage: OutageTracker;
  /** The outage report last worth sending (its duration is as of then: not re-sent every poll). */
  private outageReport: OutageReport | undefined;

  constructor(
    readonly device: Device,
    private readonly ctx: PublisherContext,
  ) {
    this.outage = new OutageTracker(ctx.clock);
    for (const v of device.variables()) this.knownVars.add(v.name.toLowerCase());
  }

  /** A variable was added, removed or retyped, or the command list changed: discovery may differ. */
  noteShapeChange(): void {
    this.shapeChanged = true;
  }

  /** A new or deleted variable can add or remove an entity; a device-info value is in every config. */
  noteVariable(name: string, value: string | undefined): void {
    const key = name.toLowerCase();
    if (value === undefined) this.knownVars.delete(key);
    else if (!this.knownVars.has(key)) this.knownVars.add(key);
    else if (!DEVICE_INFO.test(name)) return;
    this.shapeChanged = true;
  }

  /** After a (re)connect: the broker may hold nothing of ours (no persistence), so send it all. */
  forgetPublished(): void {
    this.held.clear();
    this.shapeChanged = true;
  }

  ownsDiscoveryTopic(topic: string): boolean {
    return this.discoveryTopics.has(topic);
  }

  /** Publishes what changed; returns false if something could not be sent (try again later). */
  flush(): boolean {
    let ok = true;
    const d = this.device;
    const t = this.ctx.identity.topics;
    const available = d.availability() === 'ok';
    if (this.ctx.discovery.enabled && this.shapeChanged && d.availability() !== 'not-connected') {
      ok = this.flushDiscovery() && ok;
    }
    if (!available) {
      // Stale data is never published as news, and a lost driver took its variables with it:
      // the broker keeps the last good state, and the UPS is said to be offline.
      this.ctx.energy.record(d.name, null);
      return this.send(t.ups(d.name, 'availability'), OFFLINE, 1) && ok;
    }
    this.ctx.energy.record(d.name, realPower(d).watts);
    const state = upsState(d, { energyKwh: this.energyWh() });
    ok = this.send(t.ups(d.name, 'state'), JSON.stringify(state), 0) && ok;
    const report = this.outage.update(d.statusTokens().includes('OB'), numberOrNull(state.battery_runtime));
    this.outageReport = report ?? this.outageReport ?? this.outage.current();
    ok = this.send(t.ups(d.name, 'outage'), JSON.stringify(this.outageReport), 1) && ok;
    if (this.ctx.perVariableTopics) ok = this.flushVariables() && ok;
    // Last, so that Home Assistant sees the new values before the entities turn available.
    ok = this.send(t.ups(d.name, 'availability'), available ? ONLINE : OFFLINE, 1) && ok;
    return ok;
  }

  /**
   * Integrates the present real power though nothing changed (a steady load still draws energy);
   * true when the total moved by a watt-hour, which is worth a new state.
   */
  sampleEnergy(): boolean {
    const d = this.device;
    const before = this.energyWh();
    this.ctx.energy.record(d.name, d.availability() === 'ok' ? realPower(d).watts : null);
    return this.energyWh() !== before;
  }

  /** The energy total in kWh to 1 Wh: finer would change the state on every poll. */
  private energyWh(): number | undefined {
    const kwh = this.ctx.energy.kwh(this.device.name);
    return kwh === undefined ? undefined : Math.floor(kwh * 1000) / 1000;
  }

  private flushDiscovery(): boolean {
    const messages = upsDiscovery(this.device, this.ctx.identity, { mode: this.ctx.discovery.mode, allowCommands: this.ctx.allowCommands });
    const now = new Set(messages.map((m) => m.topic));
    let ok = true;
    for (const m of messages) {
      const marked = markRemovedComponents(this.held.get(m.topic), m);
      ok = this.send(marked.topic, marked.payload, 1) && ok;
    }
    // An entity the UPS no longer has (a command gone, a mode switch): clear its retained config.
    for (const old of this.discoveryTopics) if (!now.has(old)) ok = this.send(old, '', 1) && ok;
    if (ok) {
      this.discoveryTopics = now;
      this.shapeChanged = false;
    }
    return ok;
  }

  private flushVariables(): boolean {
    let ok = true;
    const seen = new Set<string>();
    for (const v of this.device.variables()) {
      if (!topicSafe(v.name)) continue;
      const topic = this.ctx.identity.topics.variable(this.device.name, v.name);
      seen.add(topic);
      ok = this.send(topic, v.value, 0) && ok;
    }
    const prefix = this.ctx.identity.topics.variable(this.device.name, '');
    for (const topic of [...this.held.keys()]) {
      if (topic.startsWith(prefix) && !seen.has(topic) && this.held.get(topic) !== '') ok = this.send(topic, '', 0) && ok;
    }
    return ok;
  }

  /** Publishes a retained message unless the broker already holds exactly this from us. */
  private send(topic: string, payload: string, qos: 0 | 1): boolean {
    if (this.held.get(topic) === payload) return true;
    if (!this.ctx.publish(topic, payload, qos, true)) return false;
    this.held.set(topic, payload);
    return true;
  }
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
